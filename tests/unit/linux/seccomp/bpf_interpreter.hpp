// A classic-BPF interpreter over struct seccomp_data, with the kernel's
// seccomp rules (seccomp_check_filter): what the seccomp tests run compiled
// programs through, so they check behaviour, not instruction sequences.
#pragma once

#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#include <array>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

// Programs compare instruction by instruction (the kernel's struct has no operator==).
inline bool operator==(const sock_filter& a, const sock_filter& b) {
    return a.code == b.code && a.jt == b.jt && a.jf == b.jf && a.k == b.k;
}

namespace hull::test {

// seccomp_data for a call of `nr` with `args` on `arch` (x86_64 by default).
inline seccomp_data syscall_data(int nr, std::array<std::uint64_t, 6> args = {},
                                 std::uint32_t arch = AUDIT_ARCH_X86_64) {
    seccomp_data d{};
    d.nr = nr;
    d.arch = arch;
    std::memcpy(d.args, args.data(), sizeof d.args);
    return d;
}

// Runs `program` and returns what it returns (SECCOMP_RET_*). Throws on a
// program the kernel would refuse to run: a jump out of it, a load outside
// seccomp_data, falling off the end, a backward jump.
inline std::uint32_t run_bpf(const std::vector<sock_filter>& program, const seccomp_data& data) {
    if (program.empty() || program.size() > BPF_MAXINSNS) throw std::runtime_error("bad program size");
    std::uint32_t a = 0, x = 0;
    std::array<std::uint32_t, BPF_MEMWORDS> mem{};
    auto load_word = [&](std::uint32_t k) {
        if (k % 4 != 0 || k + 4 > sizeof data) throw std::runtime_error("load outside seccomp_data: " + std::to_string(k));
        std::uint32_t w;
        std::memcpy(&w, reinterpret_cast<const char*>(&data) + k, 4);
        return w;
    };
    std::size_t pc = 0;
    while (pc < program.size()) {
        const sock_filter& f = program[pc];
        std::uint32_t src = BPF_SRC(f.code) == BPF_X ? x : f.k;
        std::size_t next = pc + 1;
        switch (BPF_CLASS(f.code)) {
            case BPF_LD:
                if (f.code == (BPF_LD | BPF_W | BPF_ABS)) a = load_word(f.k);
                else if (f.code == (BPF_LD | BPF_W | BPF_LEN)) a = sizeof data;
                else if (f.code == (BPF_LD | BPF_IMM)) a = f.k;
                else if (f.code == (BPF_LD | BPF_MEM)) a = mem.at(f.k);
                else throw std::runtime_error("unsupported ld");
                break;
            case BPF_LDX:
                if (f.code == (BPF_LDX | BPF_W | BPF_LEN)) x = sizeof data;
                else if (f.code == (BPF_LDX | BPF_IMM)) x = f.k;
                else if (f.code == (BPF_LDX | BPF_MEM)) x = mem.at(f.k);
                else throw std::runtime_error("unsupported ldx");
                break;
            case BPF_ST: mem.at(f.k) = a; break;
            case BPF_STX: mem.at(f.k) = x; break;
            case BPF_ALU:
                switch (BPF_OP(f.code)) {
                    case BPF_ADD: a += src; break;
                    case BPF_SUB: a -= src; break;
                    case BPF_MUL: a *= src; break;
                    case BPF_DIV: if (src == 0) return 0; a /= src; break;
                    case BPF_MOD: if (src == 0) return 0; a %= src; break;
                    case BPF_AND: a &= src; break;
                    case BPF_OR: a |= src; break;
                    case BPF_XOR: a ^= src; break;
                    case BPF_LSH: a <<= src; break;
                    case BPF_RSH: a >>= src; break;
                    case BPF_NEG: a = -a; break;
                    default: throw std::runtime_error("unsupported alu");
                }
                break;
            case BPF_JMP: {
                if (BPF_OP(f.code) == BPF_JA) {
                    next = pc + 1 + f.k;
                    break;
                }
                bool taken = false;
                switch (BPF_OP(f.code)) {
                    case BPF_JEQ: taken = a == src; break;
                    case BPF_JGT: taken = a > src; break;
                    case BPF_JGE: taken = a >= src; break;
                    case BPF_JSET: taken = (a & src) != 0; break;
                    default: throw std::runtime_error("unsupported jmp");
                }
                next = pc + 1 + (taken ? f.jt : f.jf);
                break;
            }
            case BPF_RET: return BPF_RVAL(f.code) == BPF_A ? a : f.k;
            case BPF_MISC:
                if (BPF_MISCOP(f.code) == BPF_TAX) x = a;
                else a = x;
                break;
            default: throw std::runtime_error("unsupported class");
        }
        if (next >= program.size()) throw std::runtime_error("jump past the end at " + std::to_string(pc));
        pc = next;
    }
    throw std::runtime_error("fell off the end");
}

}  // namespace hull::test
