#include "linux/lsm.hpp"

#include <fcntl.h>
#include <sys/statvfs.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <fmt/format.h>

#include "linux/path_resolve.hpp"
#include "util/error.hpp"
#include "util/files.hpp"
#include "util/strings.hpp"
#include "util/unique_fd.hpp"

namespace hull::sys {
namespace {

// Attributes are per thread, and a write through another thread's
// directory fails (EACCES): thread-self, as runc and go-selinux use.
constexpr std::string_view kAttrDir = "thread-self/attr";

// The first bytes of a small file under dir_fd; "" when it cannot be read.
std::string read_small(int dir_fd, const std::string& path) {
    UniqueFd fd(::openat(dir_fd, path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) return {};
    try {
        return util::read_fd(fd.get(), 4096, path);
    } catch (const Error&) {
        return {};
    }
}

// One write(2) of value to attr/NAME. The attribute files take a whole
// value per write; the kernel answers for a bad one (EINVAL, ENOENT for an
// unknown AppArmor profile).
void write_attr(int proc_fd, const std::string& path, std::string_view value) {
    UniqueFd fd(::openat(proc_fd, path.c_str(), O_WRONLY | O_CLOEXEC));
    if (!fd) throw_errno(errno, "open /proc/{}", path);
    util::write_all(fd.get(), value, "/proc/" + path);
}

bool given(const std::optional<std::string>& value) { return value && !value->empty(); }

void apply_apparmor_profile(const std::string& profile, int proc_fd) {
    with_context(fmt::format("process.apparmorProfile {}", util::quote(profile)), [&] {
        // aa_change_onexec: the per-LSM file since it exists, else the
        // shared one of older kernels (runc's order).
        std::string path = fmt::format("{}/apparmor/exec", kAttrDir);
        if (::faccessat(proc_fd, path.c_str(), F_OK, 0) != 0 && errno == ENOENT) {
            path = fmt::format("{}/exec", kAttrDir);
        }
        write_attr(proc_fd, path, "exec " + profile);
    });
}

}  // namespace

// runc also wants securityfs's apparmor/ directory for IsEnabled, but it
// never consults that before writing a profile; the write works wherever
// the module is enabled, mounted securityfs or not.
bool apparmor_enabled(int sys_fd) {
    return read_small(sys_fd, "module/apparmor/parameters/enabled").starts_with('Y');
}

// go-selinux's getEnabled: a writable selinuxfs (read-only inside a
// container whose host shares it for show) and a task label other than
// "kernel" (a policy is loaded). selinuxfs is recognised by its enforce
// file: sysfs has only the empty mount point. go-selinux also searches
// mountinfo for a selinuxfs mounted elsewhere (/selinux, before 3.0):
// no kernel hull runs on needs that.
bool selinux_enabled(int sys_fd, int proc_fd) {
    UniqueFd fs(::openat(sys_fd, "fs/selinux", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!fs || ::faccessat(fs.get(), "enforce", F_OK, 0) != 0) return false;
    struct statvfs st {};
    if (::fstatvfs(fs.get(), &st) == 0 && (st.f_flag & ST_RDONLY) != 0) return false;
    std::string current = read_small(proc_fd, fmt::format("{}/current", kAttrDir));
    while (!current.empty() && (current.back() == '\0' || current.back() == '\n')) current.pop_back();
    return current != "kernel";
}

LsmHost detect_lsm(int sys_fd, int proc_fd) {
    return LsmHost{apparmor_enabled(sys_fd), selinux_enabled(sys_fd, proc_fd)};
}

LsmHost host_lsm() {
    UniqueFd sys = util::open_fd("/sys", O_PATH | O_DIRECTORY);
    UniqueFd proc = util::open_fd("/proc", O_PATH | O_DIRECTORY);
    return detect_lsm(sys.get(), proc.get());
}

// runc refuses a SELinux label up front ("selinux label is specified in
// config, but selinux is disabled or not supported") and fails an AppArmor
// profile in its init, when the kernel rejects the write (EINVAL); hull
// refuses both before any side effect, naming the field.
void check_process_labels(const oci::Process& process, const LsmHost& host) {
    if (given(process.apparmor_profile) && !host.apparmor) {
        throw_error("process.apparmorProfile {}: AppArmor is not enabled on this host",
                    util::quote(*process.apparmor_profile));
    }
    if (given(process.selinux_label) && !host.selinux) {
        throw_error("process.selinuxLabel {}: SELinux is not enabled on this host",
                    util::quote(*process.selinux_label));
    }
}

// runc passes the mount label whatever the host, so without SELinux its
// first labelled mount (/dev) fails with EINVAL; hull says why up front.
namespace {

bool asks_for_labels(const oci::Process& process) {
    return given(process.apparmor_profile) || given(process.selinux_label);
}

}  // namespace

void check_process_labels(const oci::Process& process) {
    if (asks_for_labels(process)) check_process_labels(process, host_lsm());
}

void check_spec_labels(const oci::Spec& spec) {
    bool asks = (spec.process && asks_for_labels(*spec.process)) || (spec.linux && given(spec.linux->mount_label));
    if (asks) check_spec_labels(spec, host_lsm());
}

void check_spec_labels(const oci::Spec& spec, const LsmHost& host) {
    if (spec.process) check_process_labels(*spec.process, host);
    if (!spec.linux || !given(spec.linux->mount_label)) return;
    const std::string& label = *spec.linux->mount_label;
    if (!host.selinux) throw_error("linux.mountLabel {}: SELinux is not enabled on this host", util::quote(label));
    // The kernel's option parser knows quotes but no escapes.
    for (unsigned char c : label) {
        if (c == '"' || c < 0x20 || c == 0x7f) {
            throw_error("linux.mountLabel {}: a label cannot hold quotes or control characters", util::quote(label));
        }
    }
}

void apply_exec_labels(const oci::Process& process, int proc_fd) {
    if (given(process.apparmor_profile)) apply_apparmor_profile(*process.apparmor_profile, proc_fd);
    if (given(process.selinux_label)) {
        with_context(fmt::format("process.selinuxLabel {}", util::quote(*process.selinux_label)), [&] {
            write_attr(proc_fd, fmt::format("{}/exec", kAttrDir), *process.selinux_label);
        });
    }
}

// The keyring's label is the process's (runc: selinux.SetKeyLabel(ProcessLabel)).
// go-selinux takes a missing keycreate as a kernel without keyring labels.
void set_keyring_label(const oci::Process& process, int proc_fd) {
    if (!given(process.selinux_label)) return;
    std::string path = fmt::format("{}/keycreate", kAttrDir);
    if (::faccessat(proc_fd, path.c_str(), F_OK, 0) != 0 && errno == ENOENT) return;
    with_context(fmt::format("process.selinuxLabel {} for the session keyring", util::quote(*process.selinux_label)),
                 [&] { write_attr(proc_fd, path, *process.selinux_label); });
}

std::string format_mount_label(std::string_view data, std::string_view label) {
    if (label.empty()) return std::string(data);
    std::string option = fmt::format("context=\"{}\"", label);
    return data.empty() ? option : fmt::format("{},{}", data, option);
}

bool mount_type_takes_label(std::string_view type) {
    return type != "proc" && type != "sysfs" && type != "mqueue" && type != "cgroup" && type != "cgroup2" &&
           type != "bind";
}

void label_mount_root(int fd, std::string_view label) {
    if (label.empty()) return;
    std::string path = fd_path(fd);
    std::string value(label);
    if (::setxattr(path.c_str(), "security.selinux", value.data(), value.size(), 0) < 0) {
        throw_errno(errno, "label the mount with linux.mountLabel {} (setxattr security.selinux)",
                    util::quote(label));
    }
}

}  // namespace hull::sys
