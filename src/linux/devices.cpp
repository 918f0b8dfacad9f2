#include "linux/devices.hpp"

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <array>
#include <string>

#include <fmt/format.h>

#include "linux/path_resolve.hpp"
#include "util/error.hpp"
#include "util/strings.hpp"

namespace hull::sys {
namespace {

struct DeviceNode {
    std::string path;
    char type;  // c, b, u (unbuffered char), p (fifo)
    std::int64_t major;
    std::int64_t minor;
    std::uint32_t mode;
    std::uint32_t uid;
    std::uint32_t gid;
};

// config-linux.md "Default Devices".
const std::array<DeviceNode, 6> kDefaultDevices = {{
    {"/dev/null", 'c', 1, 3, 0666, 0, 0},
    {"/dev/zero", 'c', 1, 5, 0666, 0, 0},
    {"/dev/full", 'c', 1, 7, 0666, 0, 0},
    {"/dev/random", 'c', 1, 8, 0666, 0, 0},
    {"/dev/urandom", 'c', 1, 9, 0666, 0, 0},
    {"/dev/tty", 'c', 5, 0, 0666, 0, 0},
}};

mode_t type_bits(char type) {
    switch (type) {
        case 'b': return S_IFBLK;
        case 'p': return S_IFIFO;
        default: return S_IFCHR;
    }
}

std::string parent_of(const std::string& path) {
    auto slash = path.rfind('/');
    return slash == 0 || slash == std::string::npos ? "/" : path.substr(0, slash);
}

std::string base_of(const std::string& path) { return path.substr(path.rfind('/') + 1); }

// The directory that will hold path, created inside the rootfs, opened for
// the *at calls (an O_PATH fd cannot take mknodat or symlinkat).
UniqueFd open_parent(int root_fd, const std::string& path) {
    UniqueFd dir = mkdir_all_in_root(root_fd, parent_of(path), 0755);
    UniqueFd real_dir(::open(fd_path(dir.get()).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!real_dir) throw_errno(errno, "open {}", parent_of(path));
    return real_dir;
}

void make_node(int root_fd, const DeviceNode& dev) {
    UniqueFd dir = open_parent(root_fd, dev.path);
    std::string name = base_of(dev.path);
    ::unlinkat(dir.get(), name.c_str(), 0);
    dev_t number = makedev(static_cast<unsigned>(dev.major), static_cast<unsigned>(dev.minor));
    check(::mknodat(dir.get(), name.c_str(), type_bits(dev.type) | (dev.mode & 07777), number), "mknod {}",
          util::quote(dev.path));
    check(::fchmodat(dir.get(), name.c_str(), dev.mode & 07777, 0), "chmod {}", util::quote(dev.path));
    check(::fchownat(dir.get(), name.c_str(), dev.uid, dev.gid, AT_SYMLINK_NOFOLLOW), "chown {}",
          util::quote(dev.path));
}

// Inside a user namespace mknod fails with EPERM: bind the host's node
// instead, onto a new empty file. Whatever the image had at the path goes
// first, as for mknod: a symlink there (/dev/null -> a host file in a
// volume) would carry the bind to its target and leave /dev/null pointing
// at that file, for the masked paths and the container's own writes
// (CVE-2025-31133).
void bind_node(int root_fd, const DeviceNode& dev) {
    UniqueFd dir = open_parent(root_fd, dev.path);
    std::string name = base_of(dev.path);
    ::unlinkat(dir.get(), name.c_str(), 0);
    UniqueFd target(::openat(dir.get(), name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644));
    if (!target) throw_errno(errno, "create {} to bind the device on", util::quote(dev.path));
    check(::mount(dev.path.c_str(), fd_path(target.get()).c_str(), nullptr, MS_BIND, nullptr), "bind mount device {}",
          util::quote(dev.path));
}

// replace: an existing entry goes first. /dev/ptmx must be the devpts link
// (runc replaces it too): an image's /dev/ptmx symlink to a host file would
// have the console opened there (CVE-2025-52565).
void add_symlink(int root_fd, const char* target, const char* link, bool replace = false) {
    UniqueFd dir = open_parent(root_fd, link);
    std::string name = base_of(link);
    if (replace) ::unlinkat(dir.get(), name.c_str(), 0);
    if (::symlinkat(target, dir.get(), name.c_str()) < 0 && errno != EEXIST) {
        throw_errno(errno, "symlink {} -> {}", link, target);
    }
}

DeviceNode from_spec(const oci::Device& d) {
    return DeviceNode{d.path, d.type.empty() ? 'c' : d.type[0], d.major.value_or(0), d.minor.value_or(0),
                      d.file_mode.value_or(0666), d.uid.value_or(0), d.gid.value_or(0)};
}

}  // namespace

void setup_dev(int root_fd, const oci::Spec& spec, bool in_user_namespace) {
    auto create = [&](const DeviceNode& dev) {
        if (in_user_namespace) {
            bind_node(root_fd, dev);
        } else {
            make_node(root_fd, dev);
        }
    };
    for (const auto& dev : kDefaultDevices) create(dev);
    if (spec.linux) {
        for (const auto& d : spec.linux->devices) create(from_spec(d));
    }
    add_symlink(root_fd, "/proc/self/fd", "/dev/fd");
    add_symlink(root_fd, "/proc/self/fd/0", "/dev/stdin");
    add_symlink(root_fd, "/proc/self/fd/1", "/dev/stdout");
    add_symlink(root_fd, "/proc/self/fd/2", "/dev/stderr");
    add_symlink(root_fd, "pts/ptmx", "/dev/ptmx", true);
}

}  // namespace hull::sys
