#include "linux/namespaces.hpp"

#include <fcntl.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <linux/nsfs.h>

#include <array>

#include <fmt/format.h>

#include "util/error.hpp"
#include "util/files.hpp"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

namespace hull::sys {
namespace {

constexpr std::array kKinds = {
    NamespaceKind{"pid", "pid", CLONE_NEWPID},      NamespaceKind{"network", "net", CLONE_NEWNET},
    NamespaceKind{"mount", "mnt", CLONE_NEWNS},     NamespaceKind{"ipc", "ipc", CLONE_NEWIPC},
    NamespaceKind{"uts", "uts", CLONE_NEWUTS},      NamespaceKind{"user", "user", CLONE_NEWUSER},
    NamespaceKind{"cgroup", "cgroup", CLONE_NEWCGROUP}, NamespaceKind{"time", "time", CLONE_NEWTIME},
};

}  // namespace

std::optional<NamespaceKind> namespace_kind(std::string_view spec_name) {
    for (const auto& kind : kKinds) {
        if (kind.spec_name == spec_name) return kind;
    }
    return std::nullopt;
}

std::optional<NamespaceKind> namespace_kind_by_flag(int clone_flag) {
    for (const auto& kind : kKinds) {
        if (kind.clone_flag == clone_flag) return kind;
    }
    return std::nullopt;
}

std::span<const NamespaceKind> namespace_kinds() { return kKinds; }

UniqueFd open_namespace(const std::string& path, const NamespaceKind& kind) {
    UniqueFd fd = with_context(fmt::format("{} namespace", kind.spec_name),
                               [&] { return util::open_fd(path, O_RDONLY); });
    // NS_GET_NSTYPE answers with the CLONE_NEW* flag of the namespace behind fd.
    int type = ::ioctl(fd.get(), NS_GET_NSTYPE);
    if (type < 0) throw_errno(errno, "{} namespace {}: not a namespace file", kind.spec_name, path);
    if (type != kind.clone_flag) {
        auto actual = namespace_kind_by_flag(type);
        throw_error("{} namespace {}: is a {} namespace", kind.spec_name, path,
                    actual ? actual->spec_name : std::string_view("different"));
    }
    return fd;
}

void join_namespace(int fd, const NamespaceKind& kind, const std::string& path) {
    check(::setns(fd, kind.clone_flag), "join {} namespace {}", kind.spec_name, path);
}

bool is_current_namespace(int fd, const NamespaceKind& kind) {
    std::string own = fmt::format("/proc/self/ns/{}", kind.proc_name);
    struct stat a {}, b {};
    if (::fstat(fd, &a) < 0) throw_errno(errno, "fstat a {} namespace fd", kind.spec_name);
    if (::stat(own.c_str(), &b) < 0) throw_errno(errno, "stat {}", own);
    return a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

void join_namespaces_of(int pidfd, pid_t pid, int clone_flags) {
    if (clone_flags == 0) return;
    if (::setns(pidfd, clone_flags) == 0) return;
    if (errno != EINVAL) throw_errno(errno, "join the namespaces of pid {}", pid);
    // An older kernel: pidfds are not namespace fds there. Every file is
    // opened before any setns, while /proc is still the caller's.
    std::vector<std::pair<UniqueFd, NamespaceKind>> fds;
    for (const auto& kind : kKinds) {
        if (!(clone_flags & kind.clone_flag)) continue;
        auto path = fmt::format("/proc/{}/ns/{}", pid, kind.proc_name);
        auto fd = open_namespace(path, kind);
        if (kind.clone_flag == CLONE_NEWUSER) {
            fds.insert(fds.begin(), {std::move(fd), kind});
        } else {
            fds.emplace_back(std::move(fd), kind);
        }
    }
    for (const auto& [fd, kind] : fds) {
        check(::setns(fd.get(), kind.clone_flag), "join the {} namespace of pid {}", kind.spec_name, pid);
    }
}

std::string id_map_lines(const std::vector<oci::IdMapping>& maps) {
    std::string out;
    for (const auto& m : maps) out += fmt::format("{} {} {}\n", m.container_id, m.host_id, m.size);
    return out;
}

void write_id_map(pid_t pid, std::string_view file, std::string_view lines) {
    std::string path = fmt::format("/proc/{}/{}", pid, file);
    UniqueFd fd = util::open_fd(path, O_WRONLY);
    // The kernel takes the whole map in one write().
    ssize_t n = ::write(fd.get(), lines.data(), lines.size());
    if (n < 0) throw_errno(errno, "write {} {}", path, std::string(lines));
}

}  // namespace hull::sys
