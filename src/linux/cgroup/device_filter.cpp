#include "linux/cgroup/device_filter.hpp"

#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstring>
#include <string>

#include <fmt/format.h>

#include "util/error.hpp"
#include "util/strings.hpp"

namespace hull::sys::cgroup {
namespace {

// Registers of the program, loaded once from struct bpf_cgroup_dev_ctx.
constexpr std::uint8_t kCtx = BPF_REG_1;     // the context on entry; a scratch register after the prologue
constexpr std::uint8_t kType = BPF_REG_2;    // BPF_DEVCG_DEV_BLOCK or _CHAR
constexpr std::uint8_t kAccess = BPF_REG_3;  // BPF_DEVCG_ACC_* bits
constexpr std::uint8_t kMajor = BPF_REG_4;
constexpr std::uint8_t kMinor = BPF_REG_5;
constexpr std::uint8_t kScratch = BPF_REG_1;

bpf_insn insn(std::uint8_t code, std::uint8_t dst, std::uint8_t src, std::int16_t off, std::int32_t imm) {
    bpf_insn i{};
    i.code = code;
    i.dst_reg = dst & 0xf;
    i.src_reg = src & 0xf;
    i.off = off;
    i.imm = imm;
    return i;
}

bpf_insn load_ctx_word(std::uint8_t dst, std::int16_t offset) {
    return insn(BPF_LDX | BPF_MEM | BPF_W, dst, kCtx, offset, 0);
}
bpf_insn alu32(std::uint8_t op, std::uint8_t dst, std::int32_t imm) {
    return insn(BPF_ALU | op | BPF_K, dst, 0, 0, imm);
}
bpf_insn mov32_reg(std::uint8_t dst, std::uint8_t src) { return insn(BPF_ALU | BPF_MOV | BPF_X, dst, src, 0, 0); }
// Jumps by an offset patched in once the block's length is known.
bpf_insn jump_if(std::uint8_t op, std::uint8_t dst, std::int32_t imm) {
    return insn(BPF_JMP | op | BPF_K, dst, 0, 0, imm);
}
bpf_insn exit_insn() { return insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0); }

void append_verdict(std::vector<bpf_insn>& out, bool allow) {
    out.push_back(alu32(BPF_MOV, BPF_REG_0, allow ? 1 : 0));
    out.push_back(exit_insn());
}

// The prologue: type, access, major and minor out of the context.
void append_prologue(std::vector<bpf_insn>& out) {
    out.push_back(load_ctx_word(kType, offsetof(bpf_cgroup_dev_ctx, access_type)));
    out.push_back(alu32(BPF_AND, kType, 0xffff));
    out.push_back(load_ctx_word(kAccess, offsetof(bpf_cgroup_dev_ctx, access_type)));
    out.push_back(alu32(BPF_RSH, kAccess, 16));
    out.push_back(load_ctx_word(kMajor, offsetof(bpf_cgroup_dev_ctx, major)));
    out.push_back(load_ctx_word(kMinor, offsetof(bpf_cgroup_dev_ctx, minor)));
}

// The access test of one exception, by the v1 kernel's rules: an allow
// exception needs every requested bit (match_exception), a deny exception any
// one of them (match_exception_partial). runc's filter tests "every bit" for
// both, which lets an O_RDWR open through a "deny w" exception; v1 does not.
void append_access_test(std::vector<bpf_insn>& block, unsigned bits, bool deny_exception) {
    // The kernel's access is never 0 nor beyond rwm, so an rwm exception matches any.
    if (bits == kDeviceAllAccess) return;
    block.push_back(mov32_reg(kScratch, kAccess));
    if (deny_exception) {
        block.push_back(alu32(BPF_AND, kScratch, static_cast<std::int32_t>(bits)));
        block.push_back(jump_if(BPF_JEQ, kScratch, 0));  // no bit in common: not this exception
    } else {
        block.push_back(alu32(BPF_AND, kScratch, static_cast<std::int32_t>(~bits)));
        block.push_back(jump_if(BPF_JNE, kScratch, 0));  // a bit it does not grant: not this exception
    }
}

// One exception: a chain of tests, each jumping past the block when it fails,
// then the exception's verdict.
void append_exception(std::vector<bpf_insn>& out, const DeviceKey& key, unsigned bits, bool default_allow) {
    auto [type, major, minor] = key;
    std::vector<bpf_insn> block;
    block.push_back(jump_if(BPF_JNE, kType, type == 'b' ? BPF_DEVCG_DEV_BLOCK : BPF_DEVCG_DEV_CHAR));
    append_access_test(block, bits, default_allow);
    if (major != kAnyDeviceNumber) block.push_back(jump_if(BPF_JNE, kMajor, static_cast<std::int32_t>(major)));
    if (minor != kAnyDeviceNumber) block.push_back(jump_if(BPF_JNE, kMinor, static_cast<std::int32_t>(minor)));
    std::size_t tests = block.size();
    append_verdict(block, !default_allow);
    for (std::size_t i = 0; i < tests; ++i) {
        if (BPF_CLASS(block[i].code) == BPF_JMP) block[i].off = static_cast<std::int16_t>(block.size() - i - 1);
    }
    out.insert(out.end(), block.begin(), block.end());
}

long bpf(int cmd, bpf_attr& attr) { return ::syscall(SYS_bpf, cmd, &attr, sizeof(attr)); }

std::uint64_t address_of(const void* p) { return static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(p)); }

int prog_load(const std::vector<bpf_insn>& program, char* log, std::size_t log_size) {
    static const char kLicense[] = "Apache";
    bpf_attr attr{};
    attr.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
    attr.insns = address_of(program.data());
    attr.insn_cnt = static_cast<std::uint32_t>(program.size());
    attr.license = address_of(kLicense);
    std::strncpy(attr.prog_name, "hull_devices", sizeof(attr.prog_name) - 1);
    if (log != nullptr) {
        attr.log_buf = address_of(log);
        attr.log_size = static_cast<std::uint32_t>(log_size);
        attr.log_level = 1;
    }
    return static_cast<int>(bpf(BPF_PROG_LOAD, attr));
}

// The verifier's account of a rejected program, loaded a second time with a log.
std::string verifier_log(const std::vector<bpf_insn>& program) {
    std::string log(64 * 1024, '\0');
    UniqueFd fd(prog_load(program, log.data(), log.size()));
    log.resize(std::strlen(log.c_str()));
    while (!log.empty() && log.back() == '\n') log.pop_back();
    return log;
}

// An fd for each attached program this process may open; one that went away
// meanwhile, or that an LSM keeps from us, is skipped.
std::vector<UniqueFd> open_programs(const std::vector<std::uint32_t>& ids) {
    std::vector<UniqueFd> fds;
    for (std::uint32_t id : ids) {
        bpf_attr attr{};
        attr.prog_id = id;
        UniqueFd fd(static_cast<int>(bpf(BPF_PROG_GET_FD_BY_ID, attr)));
        if (fd) {
            fds.push_back(std::move(fd));
        } else if (errno != ENOENT && errno != EPERM && errno != EACCES) {
            throw_errno(errno, "bpf(BPF_PROG_GET_FD_BY_ID) of attached device program {}", id);
        }
    }
    return fds;
}

bool prog_attach(int cgroup_dir_fd, int program_fd, std::uint32_t flags, int replace_fd) {
    bpf_attr attr{};
    attr.target_fd = static_cast<std::uint32_t>(cgroup_dir_fd);
    attr.attach_bpf_fd = static_cast<std::uint32_t>(program_fd);
    attr.attach_type = BPF_CGROUP_DEVICE;
    attr.attach_flags = flags;
    if (flags & BPF_F_REPLACE) attr.replace_bpf_fd = static_cast<std::uint32_t>(replace_fd);
    return bpf(BPF_PROG_ATTACH, attr) == 0;
}

void prog_detach(int cgroup_dir_fd, int program_fd) {
    bpf_attr attr{};
    attr.target_fd = static_cast<std::uint32_t>(cgroup_dir_fd);
    attr.attach_bpf_fd = static_cast<std::uint32_t>(program_fd);
    attr.attach_type = BPF_CGROUP_DEVICE;
    check(bpf(BPF_PROG_DETACH, attr), "bpf(BPF_PROG_DETACH) of the cgroup's old device program");
}

}  // namespace

std::vector<bpf_insn> compile_device_filter(const DevicePolicy& policy) {
    std::vector<bpf_insn> program;
    append_prologue(program);
    for (const auto& [key, bits] : policy.exceptions) append_exception(program, key, bits, policy.default_allow);
    append_verdict(program, policy.default_allow);
    return program;
}

UniqueFd load_device_filter(const std::vector<bpf_insn>& program) {
    // Without a log first: a log buffer too small for a long log fails the load by itself.
    UniqueFd fd(prog_load(program, nullptr, 0));
    if (fd) return fd;
    int err = errno;
    std::string hint =
        err == EPERM ? " (needs CAP_BPF or CAP_SYS_ADMIN; before Linux 5.11 also RLIMIT_MEMLOCK room)" : "";
    std::string log = verifier_log(program);
    throw Error(err, fmt::format("bpf(BPF_PROG_LOAD) of the device filter ({} instructions){}{}", program.size(), hint,
                                 log.empty() ? "" : ", verifier log " + util::quote(log)));
}

std::vector<std::uint32_t> attached_device_filters(int cgroup_dir_fd) {
    std::vector<std::uint32_t> ids(64);  // the kernel's limit per cgroup and attach type
    // A program attached between two queries makes the first one fail with
    // ENOSPC, reporting the new count.
    for (int attempt = 0; attempt < 10; ++attempt) {
        bpf_attr attr{};
        attr.query.target_fd = static_cast<std::uint32_t>(cgroup_dir_fd);
        attr.query.attach_type = BPF_CGROUP_DEVICE;
        attr.query.prog_ids = address_of(ids.data());
        attr.query.prog_cnt = static_cast<std::uint32_t>(ids.size());
        long rc = bpf(BPF_PROG_QUERY, attr);
        if (rc != 0 && errno != ENOSPC) throw_errno(errno, "bpf(BPF_PROG_QUERY) of the cgroup's device programs");
        ids.resize(attr.query.prog_cnt);
        if (rc == 0) return ids;
    }
    throw_error("bpf(BPF_PROG_QUERY) of the cgroup's device programs: the list kept changing");
}

void attach_device_filter(int cgroup_dir_fd, int program_fd) {
    std::vector<UniqueFd> old = open_programs(attached_device_filters(cgroup_dir_fd));
    if (old.size() == 1) {
        if (prog_attach(cgroup_dir_fd, program_fd, BPF_F_ALLOW_MULTI | BPF_F_REPLACE, old[0].get())) return;
        // EINVAL: no BPF_F_REPLACE before Linux 5.6; attach, then detach.
        if (errno != EINVAL) throw_errno(errno, "bpf(BPF_PROG_ATTACH) of the device filter in place of the old one");
    }
    if (!prog_attach(cgroup_dir_fd, program_fd, BPF_F_ALLOW_MULTI, -1)) {
        // EPERM here also when a program sits there without BPF_F_ALLOW_MULTI.
        throw_errno(errno, "bpf(BPF_PROG_ATTACH) of the device filter with BPF_F_ALLOW_MULTI");
    }
    for (const UniqueFd& fd : old) prog_detach(cgroup_dir_fd, fd.get());
}

void apply_device_filter(int cgroup_dir_fd, const DevicePolicy& policy) {
    UniqueFd program = load_device_filter(compile_device_filter(policy));
    attach_device_filter(cgroup_dir_fd, program.get());
}

}  // namespace hull::sys::cgroup
