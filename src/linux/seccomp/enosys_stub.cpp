#include "linux/seccomp/enosys_stub.hpp"

#include <linux/audit.h>
#include <linux/seccomp.h>

#include <cerrno>
#include <cstddef>

namespace hull::sys::seccomp {
namespace {

constexpr std::uint32_t kX32SyscallBit = 0x40000000;  // __X32_SYSCALL_BIT
constexpr std::uint32_t kRetEnosys = SECCOMP_RET_ERRNO | ENOSYS;
constexpr std::uint32_t kNrOffset = offsetof(seccomp_data, nr);
constexpr std::uint32_t kArchOffset = offsetof(seccomp_data, arch);

// Where a jump inside one architecture's section goes. Conditional jumps
// have 8-bit offsets, so they only ever target the section itself; the
// way out to the libseccomp program is an unconditional `ja`, whose
// offset is 32 bits.
enum class Target { next, enosys, program, x32 };

struct Insn {
    sock_filter code;
    Target jt = Target::next;  // for BPF_JA: where k jumps
    Target jf = Target::next;
};

Insn load(std::uint32_t offset) { return {BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offset)}; }
Insn jump_if(std::uint16_t op, std::uint32_t k, Target jt, Target jf) {
    return {BPF_JUMP(BPF_JMP | op | BPF_K, k, 0, 0), jt, jf};
}
Insn jump_always(Target to) { return {BPF_STMT(BPF_JMP | BPF_JA, 0), to}; }

// ENOSYS above `max`; an ABI the profile names nothing of goes to the program.
Insn limit_check(std::optional<std::uint32_t> max) {
    return max ? jump_if(BPF_JGT, *max, Target::enosys, Target::program) : jump_always(Target::program);
}

// One architecture: load the number, compare, and end in
//   ret ENOSYS ; ja <program>
// with the final `ja` left for enosys_stub to aim.
std::vector<sock_filter> section(const ArchLimit& limit) {
    std::vector<Insn> code = {load(kNrOffset)};
    // On s390 a number the kernel does not know reaches the filter as 0
    // (the multiplexer, setup(2), which userspace no longer calls).
    if (limit.audit_arch == AUDIT_ARCH_S390 || limit.audit_arch == AUDIT_ARCH_S390X) {
        code.push_back(jump_if(BPF_JEQ, 0, Target::enosys, Target::next));
    }
    std::size_t x32_at = 0;
    if (limit.audit_arch == AUDIT_ARCH_X86_64) {
        code.push_back(jump_if(BPF_JSET, kX32SyscallBit, Target::x32, Target::next));
        code.push_back(limit_check(limit.max));
        x32_at = code.size();
        code.push_back(limit_check(limit.x32_max));
    } else {
        code.push_back(limit_check(limit.max));
    }
    std::size_t enosys_at = code.size();
    code.push_back({BPF_STMT(BPF_RET | BPF_K, kRetEnosys)});
    std::size_t program_at = code.size();
    code.push_back(jump_always(Target::program));

    auto offset = [&](std::size_t from, Target to) -> std::uint32_t {
        switch (to) {
            case Target::next: return 0;
            case Target::enosys: return static_cast<std::uint32_t>(enosys_at - from - 1);
            case Target::program: return static_cast<std::uint32_t>(program_at - from - 1);
            case Target::x32: return static_cast<std::uint32_t>(x32_at - from - 1);
        }
        return 0;
    };
    std::vector<sock_filter> out;
    for (std::size_t i = 0; i + 1 < code.size(); ++i) {
        sock_filter f = code[i].code;
        if (BPF_OP(f.code) == BPF_JA && BPF_CLASS(f.code) == BPF_JMP) {
            f.k = offset(i, code[i].jt);
        } else if (BPF_CLASS(f.code) == BPF_JMP) {
            f.jt = static_cast<std::uint8_t>(offset(i, code[i].jt));
            f.jf = static_cast<std::uint8_t>(offset(i, code[i].jf));
        }
        out.push_back(f);
    }
    out.push_back(BPF_STMT(BPF_JMP | BPF_JA, 0));  // aimed by enosys_stub
    return out;
}

bool has_limit(const ArchLimit& l) { return l.max || l.x32_max; }

}  // namespace

// Layout:
//   ld [arch]
//   jeq #arch_1, 0, 1 ; ja section_1      (a pair per architecture)
//   ...
//   ja <program>                          (an architecture not listed)
//   section_1 ... section_n               (each ends in ja <program>)
//   <program>
std::vector<sock_filter> enosys_stub(std::span<const ArchLimit> limits) {
    std::vector<std::vector<sock_filter>> sections;
    std::vector<std::uint32_t> archs;
    for (const auto& l : limits) {
        if (!has_limit(l)) continue;
        sections.push_back(section(l));
        archs.push_back(l.audit_arch);
    }
    if (sections.empty()) return {};
    std::size_t dispatch = 1 + 2 * sections.size() + 1;
    std::size_t total = dispatch;
    for (const auto& s : sections) total += s.size();

    std::vector<sock_filter> out;
    out.reserve(total);
    out.push_back(BPF_STMT(BPF_LD | BPF_W | BPF_ABS, kArchOffset));
    std::size_t section_at = dispatch;
    for (std::size_t i = 0; i < sections.size(); ++i) {
        out.push_back(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, archs[i], 0, 1));
        out.push_back(BPF_STMT(BPF_JMP | BPF_JA, static_cast<std::uint32_t>(section_at - out.size() - 1)));
        section_at += sections[i].size();
    }
    out.push_back(BPF_STMT(BPF_JMP | BPF_JA, static_cast<std::uint32_t>(total - out.size() - 1)));
    for (auto& s : sections) {
        s.back().k = static_cast<std::uint32_t>(total - (out.size() + s.size()));
        out.insert(out.end(), s.begin(), s.end());
    }
    return out;
}

}  // namespace hull::sys::seccomp
