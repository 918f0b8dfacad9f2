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

void make_node(int root_fd, const DeviceNode& dev) {
    UniqueFd dir = mkdir_all_in_root(root_fd, parent_of(dev.path), 0755);
    // O_PATH directories cannot take mknodat; reopen the directory itself.
    UniqueFd real_dir(::open(fd_path(dir.get()).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!real_dir) throw_errno(errno, "open {}", parent_of(dev.path));
    std::string name = base_of(dev.path);
    ::unlinkat(real_dir.get(), name.c_str(), 0);
    dev_t number = makedev(static_cast<unsigned>(dev.major), static_cast<unsigned>(dev.minor));
    check(::mknodat(real_dir.get(), name.c_str(), type_bits(dev.type) | (dev.mode & 07777), number), "mknod {}",
          util::quote(dev.path));
    check(::fchmodat(real_dir.get(), name.c_str(), dev.mode & 07777, 0), "chmod {}", util::quote(dev.path));
    check(::fchownat(real_dir.get(), name.c_str(), dev.uid, dev.gid, AT_SYMLINK_NOFOLLOW), "chown {}",
          util::quote(dev.path));
}

// Inside a user namespace mknod fails with EPERM: bind the host's node instead.
void bind_node(int root_fd, const DeviceNode& dev) {
    UniqueFd target = create_file_in_root(root_fd, dev.path, 0644);
    std::string target_path = fd_path(target.get());
    check(::mount(dev.path.c_str(), target_path.c_str(), nullptr, MS_BIND, nullptr), "bind mount device {}",
          util::quote(dev.path));
}

void add_symlink(int root_fd, const char* target, const char* link) {
    UniqueFd dir = mkdir_all_in_root(root_fd, parent_of(link), 0755);
    UniqueFd real_dir(::open(fd_path(dir.get()).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!real_dir) throw_errno(errno, "open {}", parent_of(link));
    std::string name = base_of(link);
    if (::symlinkat(target, real_dir.get(), name.c_str()) < 0 && errno != EEXIST) {
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
    add_symlink(root_fd, "pts/ptmx", "/dev/ptmx");
}

}  // namespace hull::sys
