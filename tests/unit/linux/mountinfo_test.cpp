// /proc/PID/mountinfo lines, and which mount holds a path.
#include <doctest/doctest.h>

#include "linux/mountinfo.hpp"

using hull::sys::mount_containing;
using hull::sys::parse_mountinfo;
using hull::sys::parse_mountinfo_line;
using hull::sys::path_is_within;

TEST_CASE("a mountinfo line gives ids, root, mount point, optional fields, type and source") {
    auto m = parse_mountinfo_line("36 35 98:0 /mnt1 /mnt/parent rw,noatime shared:12 master:1 - ext3 /dev/root rw,errors=continue");
    REQUIRE(m);
    CHECK(m->id == 36);
    CHECK(m->parent_id == 35);
    CHECK(m->root == "/mnt1");
    CHECK(m->mount_point == "/mnt/parent");
    CHECK(m->optional_fields == std::vector<std::string>{"shared:12", "master:1"});
    CHECK(m->has_optional("shared:"));
    CHECK_FALSE(m->has_optional("unbindable"));
    CHECK(m->fs_type == "ext3");
    CHECK(m->source == "/dev/root");
}

TEST_CASE("a line without optional fields has none") {
    auto m = parse_mountinfo_line("22 1 0:21 / /proc rw,nosuid - proc proc rw");
    REQUIRE(m);
    CHECK(m->optional_fields.empty());
    CHECK(m->fs_type == "proc");
}

TEST_CASE("escaped spaces, tabs and backslashes in paths are unescaped") {
    auto m = parse_mountinfo_line(R"(40 22 0:30 /a\040b /mnt/x\011y\134z rw - tmpfs tmpfs rw)");
    REQUIRE(m);
    CHECK(m->root == "/a b");
    CHECK(m->mount_point == "/mnt/x\ty\\z");
}

TEST_CASE("a backslash not followed by three octal digits stays as it is") {
    auto m = parse_mountinfo_line(R"(40 22 0:30 / /mnt/a\09 rw - tmpfs tmpfs rw)");
    REQUIRE(m);
    CHECK(m->mount_point == R"(/mnt/a\09)");
}

TEST_CASE("malformed lines are skipped, not misread") {
    CHECK_FALSE(parse_mountinfo_line(""));
    CHECK_FALSE(parse_mountinfo_line("36 35 98:0 / /mnt rw"));                  // no separator
    CHECK_FALSE(parse_mountinfo_line("x 35 98:0 / /mnt rw - ext4 /dev/sda rw"));  // not a number
    CHECK_FALSE(parse_mountinfo_line("36 35 98:0 / /mnt rw - ext4"));             // fields missing after "-"
    CHECK(parse_mountinfo("junk\n22 1 0:21 / /proc rw - proc proc rw\n\n").size() == 1);
}

TEST_CASE("path_is_within compares whole components") {
    CHECK(path_is_within("/a/b", "/a"));
    CHECK(path_is_within("/a", "/a"));
    CHECK(path_is_within("/a", "/"));
    CHECK_FALSE(path_is_within("/ab", "/a"));
    CHECK_FALSE(path_is_within("/a", "/a/b"));
}

TEST_CASE("the mount holding a path is the deepest mount point above it, the last of equals") {
    auto mounts = parse_mountinfo(
        "1 0 8:1 / / rw - ext4 /dev/sda rw\n"
        "2 1 0:5 / /dev/shm rw shared:3 - tmpfs tmpfs rw\n"
        "3 2 0:6 / /dev/shm/x rw - tmpfs tmpfs rw\n"
        "4 2 0:7 / /dev/shm/x rw master:9 - tmpfs tmpfs rw\n");
    CHECK(mount_containing(mounts, "/dev/shm/y/rootfs")->id == 2);
    CHECK(mount_containing(mounts, "/dev/shm/x/rootfs")->id == 4);
    CHECK(mount_containing(mounts, "/dev/shmx")->id == 1);
    CHECK(mount_containing(mounts, "/")->id == 1);
    CHECK_FALSE(mount_containing({}, "/"));
}
