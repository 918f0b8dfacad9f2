// Detached mount trees: cloned, idmapped through a user namespace made from
// map lines, and attached in another mount namespace. Each check runs in a
// forked child with its own private mount namespace.
#include <doctest/doctest.h>

#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <string>

#include "linux/mount_tree.hpp"
#include "test_support.hpp"
#include "util/unique_fd.hpp"

using hull::UniqueFd;
using hull::test::in_child;
using hull::test::TempDir;

namespace {

bool private_mount_namespace() {
    return ::unshare(CLONE_NEWNS) == 0 && ::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) == 0;
}

uid_t owner(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 ? st.st_uid : static_cast<uid_t>(-1);
}

}  // namespace

TEST_CASE("mount_tree: an idmapped tree made here shows on-disk ids through the mapping once attached elsewhere") {
    if (::geteuid() != 0) {
        MESSAGE("skipped: needs root (open_tree, mount_setattr, a new mount namespace)");
        return;
    }
    TempDir dir("/dev/shm");
    std::string source = dir / "source", target = dir / "target";
    REQUIRE(::mkdir(source.c_str(), 0755) == 0);
    REQUIRE(::mkdir(target.c_str(), 0755) == 0);
    std::ofstream(source + "/file") << "x";
    int status = in_child([&] {
        UniqueFd tree = hull::sys::clone_mount_tree(source, false);
        UniqueFd userns = hull::sys::make_user_namespace("0 2000 1\n", "0 3000 1\n");
        hull::sys::idmap_mount_tree(tree.get(), userns.get(), false);
        // Attached in a namespace other than the one the tree was made in, as the init does.
        if (!private_mount_namespace()) return 10;
        UniqueFd dest(::open(target.c_str(), O_PATH | O_CLOEXEC));
        hull::sys::attach_mount_tree(tree.get(), dest.get());
        hull::sys::set_tree_attributes(tree.get(), MOUNT_ATTR_RDONLY, 0, false);
        if (owner(target + "/file") != 2000) return 11;
        if (owner(source + "/file") != 0) return 12;
        if (::access((target + "/file").c_str(), W_OK) == 0 || errno != EROFS) return 13;
        return 0;
    });
    CHECK(status == 0);
    CHECK(owner(target + "/file") == static_cast<uid_t>(-1));  // never attached here
}

TEST_CASE("mount_tree: errors name what failed") {
    CHECK(hull::test::error_of([] { hull::sys::clone_mount_tree("/no/such/dir", false); }).find("/no/such/dir") !=
          std::string::npos);
}
