// Resolution inside a rootfs: whatever symlinks and ".." chains the rootfs
// holds, the object reached is inside it.
#include <doctest/doctest.h>

#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "linux/path_resolve.hpp"
#include "test_support.hpp"
#include "util/error.hpp"

using hull::UniqueFd;
using hull::test::error_of;
using namespace hull::sys;

namespace {

std::string real_path(const UniqueFd& fd) { return std::filesystem::read_symlink(fd_path(fd.get())).string(); }

bool exists(const std::string& path) {
    struct stat st {};
    return ::lstat(path.c_str(), &st) == 0;
}

// A rootfs whose symlinks all aim outside it, as a hostile image would.
struct Rootfs {
    hull::test::TempDir tmp;
    std::string root = tmp / "rootfs";
    std::string host = tmp / "host";  // a host directory the links name
    UniqueFd fd;

    Rootfs() {
        std::filesystem::create_directories(root + "/etc");
        std::filesystem::create_directories(host);
        std::filesystem::create_symlink("/etc", root + "/etclink");
        std::filesystem::create_symlink(host, root + "/hostlink");
        std::filesystem::create_symlink("../../../../../../..", root + "/up");
        std::filesystem::create_symlink(host + "/victim", root + "/dangling");
        std::filesystem::create_symlink("up/etclink", root + "/chain");
        std::filesystem::create_symlink("loop2", root + "/loop1");
        std::filesystem::create_symlink("loop1", root + "/loop2");
        std::filesystem::create_symlink("../run/systemd/resolve/stub-resolv.conf", root + "/etc/resolv.conf");
        fd.reset(::open(root.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
        REQUIRE(fd);
    }
};

}  // namespace

TEST_CASE("path_resolve: absolute symlinks resolve inside the rootfs") {
    Rootfs r;
    CHECK(real_path(open_in_root(r.fd.get(), "/etclink", O_PATH)) == r.root + "/etc");
    CHECK(real_path(open_in_root(r.fd.get(), "chain", O_PATH)) == r.root + "/etc");
    CHECK(real_path(open_in_root(r.fd.get(), "/", O_PATH)) == r.root);
    CHECK(real_path(open_in_root(r.fd.get(), "", O_PATH)) == r.root);
}

TEST_CASE("path_resolve: .. chains and climbing symlinks stop at the rootfs") {
    Rootfs r;
    CHECK(real_path(open_in_root(r.fd.get(), "../../..", O_PATH)) == r.root);
    CHECK(real_path(open_in_root(r.fd.get(), "/up/up/..", O_PATH)) == r.root);
    CHECK(real_path(open_in_root(r.fd.get(), "etc/../../up/etc", O_PATH)) == r.root + "/etc");
}

TEST_CASE("path_resolve: errors name the path") {
    Rootfs r;
    CHECK(error_of([&] { open_in_root(r.fd.get(), "/missing/x", O_PATH); }) ==
          "resolve \"/missing/x\" in rootfs: no such file or directory");
    CHECK(error_of([&] { open_in_root(r.fd.get(), "/hostlink", O_PATH); }) ==
          "resolve \"/hostlink\" in rootfs: no such file or directory");
}

TEST_CASE("path_resolve: mkdir_all_in_root creates through a host-aimed symlink inside the rootfs") {
    Rootfs r;
    UniqueFd dir = mkdir_all_in_root(r.fd.get(), "/hostlink/new/dir", 0755);
    CHECK(real_path(dir) == r.root + r.host + "/new/dir");
    CHECK_FALSE(exists(r.host + "/new"));
    CHECK((::fcntl(dir.get(), F_GETFL) & O_PATH) != 0);
}

TEST_CASE("path_resolve: mkdir_all_in_root follows .. and climbing links inside the rootfs") {
    Rootfs r;
    CHECK(real_path(mkdir_all_in_root(r.fd.get(), "up/a/../b", 0700)) == r.root + "/b");
    CHECK(exists(r.root + "/a"));
    CHECK(real_path(mkdir_all_in_root(r.fd.get(), "/etclink/x//./y/", 0755)) == r.root + "/etc/x/y");
    CHECK(real_path(mkdir_all_in_root(r.fd.get(), "/", 0755)) == r.root);
    // Existing directories are fine.
    CHECK(real_path(mkdir_all_in_root(r.fd.get(), "/etc/x", 0755)) == r.root + "/etc/x");
}

TEST_CASE("path_resolve: mkdir_all_in_root creates a dangling symlink's target inside the rootfs") {
    Rootfs r;
    CHECK(real_path(mkdir_all_in_root(r.fd.get(), "/dangling/sub", 0755)) == r.root + r.host + "/victim/sub");
    CHECK_FALSE(exists(r.host + "/victim"));
}

TEST_CASE("path_resolve: mkdir_all_in_root refuses symlink loops and files on the way") {
    Rootfs r;
    CHECK(error_of([&] { mkdir_all_in_root(r.fd.get(), "/loop1/x", 0755); }) ==
          "resolve \"/loop1/x\" in rootfs: open directory \"/loop1\": too many levels of symbolic links");
    UniqueFd file = create_file_in_root(r.fd.get(), "/etc/file", 0644);
    CHECK(error_of([&] { mkdir_all_in_root(r.fd.get(), "/etc/file/sub", 0755); }) ==
          "resolve \"/etc/file/sub\" in rootfs: open directory \"/etc/file\": not a directory");
}

TEST_CASE("path_resolve: create_file_in_root makes parents and an empty file, inside the rootfs") {
    Rootfs r;
    UniqueFd f = create_file_in_root(r.fd.get(), "/hostlink/sub/file", 0600);
    CHECK(real_path(f) == r.root + r.host + "/sub/file");
    CHECK_FALSE(exists(r.host + "/sub"));
    struct stat st {};
    REQUIRE(::fstat(f.get(), &st) == 0);
    CHECK(S_ISREG(st.st_mode));
    CHECK(st.st_size == 0);
    // Again: the existing file is returned, not recreated.
    CHECK(real_path(create_file_in_root(r.fd.get(), "hostlink/sub/file", 0600)) == r.root + r.host + "/sub/file");
    // An existing symlink is followed inside the root (a bind onto /etc/hosts -> /etc works).
    CHECK(real_path(create_file_in_root(r.fd.get(), "/etclink", 0644)) == r.root + "/etc");
}

TEST_CASE("path_resolve: create_file_in_root creates a dangling symlink's target inside the rootfs") {
    Rootfs r;
    CHECK(real_path(create_file_in_root(r.fd.get(), "/dangling", 0644)) == r.root + r.host + "/victim");
    CHECK_FALSE(exists(r.host + "/victim"));
    // The usual case: an image's /etc/resolv.conf aimed at a systemd-resolved file.
    CHECK(real_path(create_file_in_root(r.fd.get(), "/etc/resolv.conf", 0644)) ==
          r.root + "/run/systemd/resolve/stub-resolv.conf");
}

TEST_CASE("path_resolve: create_file_in_root refuses the root, loops and a directory path") {
    Rootfs r;
    CHECK(error_of([&] { create_file_in_root(r.fd.get(), "/", 0644); }) == "resolve \"/\" in rootfs: is a directory");
    CHECK(error_of([&] { create_file_in_root(r.fd.get(), "/loop1", 0644); }) ==
          "resolve \"/loop1\" in rootfs: too many levels of symbolic links");
    CHECK(real_path(create_file_in_root(r.fd.get(), "/etc", 0644)) == r.root + "/etc");
}

TEST_CASE("path_resolve: fd_path names the fd in /proc/self/fd") {
    CHECK(fd_path(7) == "/proc/self/fd/7");
}

TEST_CASE("path_resolve: open_beneath_same_mount opens below the directory, never past a symlink or out") {
    Rootfs r;
    std::ofstream(r.root + "/etc/file") << "x";
    CHECK(real_path(open_beneath_same_mount(r.fd.get(), "etc/file", O_RDONLY)) == r.root + "/etc/file");
    CHECK(error_of([&] { open_beneath_same_mount(r.fd.get(), "etclink", O_PATH); }) ==
          "open \"etclink\": too many levels of symbolic links");
    CHECK(error_of([&] { open_beneath_same_mount(r.fd.get(), "etc/../../x", O_PATH); }) ==
          "open \"etc/../../x\": a mount is in the way or it leads out: invalid cross-device link");
}

// CVE-2025-52881: a file something is mounted over is not the file asked for.
TEST_CASE("path_resolve: open_beneath_same_mount refuses a file something is mounted over") {
    if (::geteuid() != 0) {
        MESSAGE("skipped: needs root (a bind mount in a new mount namespace)");
        return;
    }
    Rootfs r;
    std::ofstream(r.root + "/etc/sysctl") << "x";
    std::ofstream(r.host + "/victim") << "host";
    int status = hull::test::in_child([&] {
        if (::unshare(CLONE_NEWNS) != 0 || ::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) return 10;
        std::string target = r.root + "/etc/sysctl", victim = r.host + "/victim";
        if (::mount(victim.c_str(), target.c_str(), nullptr, MS_BIND, nullptr) != 0) return 11;
        // An fd opened before unshare still walks the old namespace's mounts.
        UniqueFd root(::open(r.root.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
        std::string err = error_of([&] { open_beneath_same_mount(root.get(), "etc/sysctl", O_WRONLY); });
        return err == "open \"etc/sysctl\": a mount is in the way or it leads out: invalid cross-device link" ? 0 : 12;
    });
    CHECK(status == 0);
}

TEST_CASE("path_resolve: require_procfs tells procfs from the rest") {
    UniqueFd proc(::open("/proc/self", O_PATH | O_DIRECTORY | O_CLOEXEC));
    REQUIRE(proc);
    CHECK(error_of([&] { require_procfs(proc.get(), "/proc/self"); }).empty());
    Rootfs r;
    CHECK(error_of([&] { require_procfs(r.fd.get(), "the rootfs"); }) == "the rootfs is not on a procfs");
}
