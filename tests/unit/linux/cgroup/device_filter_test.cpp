// The eBPF device filter: the compiled program run through a small BPF
// interpreter (only what the compiler may emit), checked against tables and
// against the v1 kernel's matching; then, as root, loaded into the kernel and
// attached to a cgroup of its own on the host's cgroup2 mount.
#include <doctest/doctest.h>

#include <fcntl.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "../test_support.hpp"
#include "device_test_support.hpp"
#include "linux/cgroup/device_filter.hpp"
#include "util/scope_exit.hpp"

using namespace hull::sys::cgroup;
using hull::UniqueFd;
using namespace hull::test;

namespace {

// --- a BPF interpreter for the instructions the compiler emits ---

struct Machine {
    std::array<std::uint64_t, 11> reg{};
    std::array<bool, 11> set{};  // read before write is a verifier error
    bool r1_is_ctx = true;

    std::uint64_t read(std::uint8_t r) const {
        if (r > 10 || !set[r]) throw std::runtime_error(fmt::format("read of unset register r{}", r));
        return reg[r];
    }
    void write(std::uint8_t r, std::uint64_t v) {
        if (r >= 10) throw std::runtime_error(fmt::format("write to r{}", r));
        reg[r] = v;
        set[r] = true;
        if (r == BPF_REG_1) r1_is_ctx = false;
    }
};

std::uint32_t ctx_word(const bpf_cgroup_dev_ctx& ctx, std::int16_t off) {
    switch (off) {
        case offsetof(bpf_cgroup_dev_ctx, access_type): return ctx.access_type;
        case offsetof(bpf_cgroup_dev_ctx, major): return ctx.major;
        case offsetof(bpf_cgroup_dev_ctx, minor): return ctx.minor;
    }
    throw std::runtime_error(fmt::format("load from ctx+{}", off));
}

std::uint64_t alu(std::uint8_t op, std::uint64_t dst, std::uint64_t src) {
    switch (op) {
        case BPF_MOV: return src;
        case BPF_AND: return dst & src;
        case BPF_OR: return dst | src;
        case BPF_RSH: return dst >> (src & 63);
        case BPF_LSH: return dst << (src & 63);
    }
    throw std::runtime_error(fmt::format("alu op {:#x}", op));
}

bool jump_taken(std::uint8_t op, std::uint64_t dst, std::uint64_t imm) {
    switch (op) {
        case BPF_JA: return true;
        case BPF_JEQ: return dst == imm;
        case BPF_JNE: return dst != imm;
    }
    throw std::runtime_error(fmt::format("jump op {:#x}", op));
}

// Runs the program; returns R0 at EXIT. Throws on anything else: an unknown
// opcode, a backward or out-of-range jump, a read of an unset register.
std::uint64_t run(const std::vector<bpf_insn>& program, const bpf_cgroup_dev_ctx& ctx) {
    Machine m;
    m.set[BPF_REG_1] = true;
    for (std::size_t pc = 0; pc < program.size(); ++pc) {
        const bpf_insn& i = program[pc];
        std::uint8_t cls = BPF_CLASS(i.code), op = BPF_OP(i.code);
        bool k = BPF_SRC(i.code) == BPF_K;
        if (i.code == (BPF_LDX | BPF_MEM | BPF_W)) {
            if (i.src_reg != BPF_REG_1 || !m.r1_is_ctx) throw std::runtime_error("load not from the context");
            m.write(i.dst_reg, ctx_word(ctx, i.off));
        } else if (cls == BPF_ALU || cls == BPF_ALU64) {
            std::uint64_t src = k ? static_cast<std::uint64_t>(static_cast<std::int64_t>(i.imm)) : m.read(i.src_reg);
            std::uint64_t dst = op == BPF_MOV ? 0 : m.read(i.dst_reg);
            std::uint64_t v = cls == BPF_ALU ? static_cast<std::uint32_t>(alu(op, static_cast<std::uint32_t>(dst),
                                                                              static_cast<std::uint32_t>(src)))
                                             : alu(op, dst, src);
            m.write(i.dst_reg, v);
        } else if (i.code == (BPF_JMP | BPF_EXIT)) {
            return m.read(BPF_REG_0);
        } else if (cls == BPF_JMP && k) {
            if (i.off < 0 || pc + 1 + i.off > program.size()) throw std::runtime_error("jump out of range");
            std::uint64_t imm = static_cast<std::uint64_t>(static_cast<std::int64_t>(i.imm));
            if (jump_taken(op, op == BPF_JA ? 0 : m.read(i.dst_reg), imm)) pc += i.off;
        } else {
            throw std::runtime_error(fmt::format("instruction {:#04x} at {}", i.code, pc));
        }
    }
    throw std::runtime_error("ran off the end of the program");
}

bool filter_allows(const std::vector<bpf_insn>& program, char type, std::uint32_t major, std::uint32_t minor,
                   unsigned access) {
    bpf_cgroup_dev_ctx ctx{};
    ctx.access_type = (access << 16) | (type == 'b' ? BPF_DEVCG_DEV_BLOCK : BPF_DEVCG_DEV_CHAR);
    ctx.major = major;
    ctx.minor = minor;
    std::uint64_t r0 = run(program, ctx);
    REQUIRE((r0 == 0 || r0 == 1));
    return r0 == 1;
}

struct Case {
    char type;
    std::uint32_t major, minor;
    unsigned access;
    bool allowed;
};

void check_table(const DevicePolicy& policy, const std::vector<Case>& table) {
    auto program = compile_device_filter(policy);
    for (const Case& c : table) {
        CAPTURE(cgroup_string(c.type, c.major, c.minor, c.access));
        CHECK(filter_allows(program, c.type, c.major, c.minor, c.access) == c.allowed);
    }
}

// Every combination of a grid of devices and accesses: the program and the
// v1 kernel's matching agree.
void check_agrees_with_v1(const DevicePolicy& policy) {
    auto program = compile_device_filter(policy);
    for (char type : {'b', 'c'}) {
        for (std::uint32_t major : {0U, 1U, 5U, 8U, 10U, 136U, 4095U}) {
            for (std::uint32_t minor : {0U, 1U, 3U, 5U, 7U, 200U, 1048575U}) {
                for (unsigned access = 1; access <= 7; ++access) {
                    CAPTURE(cgroup_string(type, major, minor, access));
                    CHECK(filter_allows(program, type, major, minor, access) ==
                          device_policy_allows(policy, type, major, minor, access));
                }
            }
        }
    }
}

// runc's `runc spec` list: deny everything; runc's defaults follow.
DevicePolicy runc_spec_policy() { return container_device_policy({oci_rule(false, std::nullopt, kAny, kAny, "rwm")}); }

// Allow everything, then take some away.
DevicePolicy wildcard_allow_then_denies() {
    return policy_of({oci_rule(true), oci_rule(false, "c", 1, 3, "w"), oci_rule(false, "b", 8, kAny, "rwm"),
                      oci_rule(false, "c", kAny, 9, "m")});
}

// An allow list with partial accesses.
DevicePolicy partial_allow_list() {
    return policy_of({oci_rule(false), oci_rule(true, "c", 1, 3, "rw"), oci_rule(false, "c", 1, 3, "w"),
                      oci_rule(true, "b", 8, kAny, "r"), oci_rule(true, "b", 1, 3, "rwm")});
}

}  // namespace

TEST_CASE("device filter: runc's default list") {
    check_table(runc_spec_policy(), {
                                        {'c', 1, 3, kR, true},  // /dev/null
                                        {'c', 1, 3, kR | kW, true},
                                        {'c', 1, 3, kM, true},
                                        {'c', 1, 9, kR, true},          // /dev/urandom
                                        {'c', 5, 2, kR | kW, true},     // /dev/ptmx
                                        {'c', 136, 7, kR | kW, true},   // /dev/pts/7
                                        {'c', 10, 200, kR | kW, true},  // /dev/net/tun
                                        {'c', 1, 4, kR, false},         // /dev/port
                                        {'c', 5, 1, kR | kW, false},    // /dev/console
                                        {'c', 137, 0, kR, false},
                                        {'b', 8, 0, kR, false},  // /dev/sda
                                        {'b', 8, 0, kM, true},   // mknod of any device
                                        {'c', 4, 0, kM, true},
                                        {'b', 8, 0, kR | kM, false},
                                    });
    check_agrees_with_v1(runc_spec_policy());
}

TEST_CASE("device filter: a wildcard allow followed by denies") {
    check_table(wildcard_allow_then_denies(), {
                                                  {'c', 1, 3, kR, true},
                                                  {'c', 1, 3, kW, false},
                                                  {'c', 1, 3, kR | kW, false},  // any denied bit denies
                                                  {'c', 1, 3, kM, true},
                                                  {'c', 1, 5, kR | kW, true},
                                                  {'b', 8, 0, kR, false},
                                                  {'b', 8, 16, kM, false},
                                                  {'b', 9, 0, kR | kW | kM, true},
                                                  {'c', 8, 0, kR, true},  // the deny is for block 8 only
                                                  {'c', 77, 9, kM, false},
                                                  {'c', 77, 9, kR, true},
                                              });
    check_agrees_with_v1(wildcard_allow_then_denies());
}

TEST_CASE("device filter: an allow list with partial accesses") {
    check_table(partial_allow_list(), {
                                          {'c', 1, 3, kR, true},
                                          {'c', 1, 3, kW, false},
                                          {'c', 1, 3, kR | kW, false},  // every bit must be allowed
                                          {'c', 1, 3, kM, false},
                                          {'b', 8, 2, kR, true},
                                          {'b', 8, 2, kR | kW, false},
                                          {'b', 7, 0, kR, false},
                                          {'b', 1, 3, kR, true},
                                          {'c', 8, 2, kR, false},  // block 8 is not char 8
                                      });
    check_agrees_with_v1(partial_allow_list());
}

TEST_CASE("device filter: allow everything and deny everything") {
    check_table(policy_of({oci_rule(true)}), {{'c', 1, 3, kR, true}, {'b', 8, 0, kR | kW | kM, true}});
    check_table(policy_of({oci_rule(false)}), {{'c', 1, 3, kR, false}, {'b', 8, 0, kM, false}});
    check_agrees_with_v1(policy_of({oci_rule(true)}));
    check_agrees_with_v1(policy_of({}));
}

TEST_CASE("device filter: the program is a prologue, one block per exception and the default") {
    auto program = compile_device_filter(DevicePolicy{false, {{{'c', 1, 3}, kDeviceAllAccess}}});
    // 6 loads and shifts; type, major, minor tests and a verdict; the default.
    CHECK(program.size() == 6 + 5 + 2);
    CHECK(program.back().code == (BPF_JMP | BPF_EXIT));
    CHECK(compile_device_filter(DevicePolicy{true, {}}).size() == 6 + 2);
}

// --- the kernel ---

namespace {

constexpr const char* kUnified = "/sys/fs/cgroup/unified";

// Loads and returns the program, or "" with the reason the kernel cannot run the test.
std::string load_or_skip_reason(const DevicePolicy& policy, UniqueFd& out) {
    if (::geteuid() != 0) return "needs root";
    try {
        out = load_device_filter(compile_device_filter(policy));
    } catch (const hull::Error& e) {
        if (e.error_number() == EPERM) return fmt::format("bpf() refused: {}", e.what());
        throw;
    }
    return "";
}

// Attaches one more program beside what is there, as another manager might.
void attach_extra(int cgroup_fd, int program_fd) {
    bpf_attr attr{};
    attr.target_fd = static_cast<std::uint32_t>(cgroup_fd);
    attr.attach_bpf_fd = static_cast<std::uint32_t>(program_fd);
    attr.attach_type = BPF_CGROUP_DEVICE;
    attr.attach_flags = BPF_F_ALLOW_MULTI;
    REQUIRE(::syscall(SYS_bpf, BPF_PROG_ATTACH, &attr, sizeof(attr)) == 0);
}

}  // namespace

TEST_CASE("device filter (root): the kernel's verifier accepts the compiled programs") {
    UniqueFd fd;
    std::string skip = load_or_skip_reason(runc_spec_policy(), fd);
    if (!skip.empty()) {
        MESSAGE("SKIPPED: " << skip);
        return;
    }
    CHECK(fd.valid());
    for (const DevicePolicy& p :
         {wildcard_allow_then_denies(), partial_allow_list(), policy_of({oci_rule(true)}), policy_of({})}) {
        CHECK(load_device_filter(compile_device_filter(p)).valid());
    }
}

TEST_CASE("device filter (root): attached to a cgroup2 directory, it decides opens and is replaced in place") {
    DevicePolicy deny_null = policy_of({oci_rule(false), oci_rule(true, "c", 1, 5, "rwm")});     // /dev/zero only
    DevicePolicy allow_null = policy_of({oci_rule(false), oci_rule(true, "c", 1, 3, "rwm")});    // /dev/null only
    DevicePolicy no_null_writes = policy_of({oci_rule(true), oci_rule(false, "c", 1, 3, "w")});  // allow-by-default
    UniqueFd probe;
    std::string skip = load_or_skip_reason(deny_null, probe);
    struct statfs fs {};
    if (skip.empty() && (::statfs(kUnified, &fs) != 0 || fs.f_type != CGROUP2_SUPER_MAGIC)) {
        skip = fmt::format("{} is not a cgroup2 mount", kUnified);
    }
    if (!skip.empty()) {
        MESSAGE("SKIPPED: " << skip);
        return;
    }
    std::string cgroup = fmt::format("{}/hulltest-devices-{}", kUnified, ::getpid());
    REQUIRE_MESSAGE(::mkdir(cgroup.c_str(), 0755) == 0, "mkdir ", cgroup, ": ", std::strerror(errno));
    hull::ScopeExit remove([&] { ::rmdir(cgroup.c_str()); });
    UniqueFd dir(::open(cgroup.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    REQUIRE(dir.valid());

    // Without a program the open works: what follows is the program's doing.
    CHECK(open_in_cgroup(cgroup, "/dev/null", O_RDONLY) == 0);
    CHECK(attached_device_filters(dir.get()).empty());

    apply_device_filter(dir.get(), deny_null);
    auto first = attached_device_filters(dir.get());
    CHECK(first.size() == 1);
    CHECK(open_in_cgroup(cgroup, "/dev/null", O_RDONLY) == 1);
    CHECK(open_in_cgroup(cgroup, "/dev/zero", O_RDONLY) == 0);

    // One program there: swapped with BPF_F_REPLACE.
    apply_device_filter(dir.get(), allow_null);
    auto second = attached_device_filters(dir.get());
    REQUIRE(second.size() == 1);
    CHECK(second != first);
    CHECK(open_in_cgroup(cgroup, "/dev/null", O_RDONLY) == 0);
    CHECK(open_in_cgroup(cgroup, "/dev/zero", O_RDONLY) == 1);

    // Two programs there: the new one goes on, both old ones come off.
    UniqueFd extra = load_device_filter(compile_device_filter(deny_null));
    attach_extra(dir.get(), extra.get());
    REQUIRE(attached_device_filters(dir.get()).size() == 2);
    apply_device_filter(dir.get(), no_null_writes);
    auto third = attached_device_filters(dir.get());
    REQUIRE(third.size() == 1);
    CHECK(third != second);
    // The kernel asks about read and write at once; one denied bit denies, as on v1.
    CHECK(open_in_cgroup(cgroup, "/dev/null", O_RDONLY) == 0);
    CHECK(open_in_cgroup(cgroup, "/dev/null", O_RDWR) == 1);
    CHECK(open_in_cgroup(cgroup, "/dev/zero", O_RDWR) == 0);
}
