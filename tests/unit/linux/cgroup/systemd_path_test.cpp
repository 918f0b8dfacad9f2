// --systemd-cgroup's linux.cgroupsPath "slice:prefix:name", read as runc reads it.
#include <doctest/doctest.h>

#include "../test_support.hpp"
#include "linux/cgroup/systemd_path.hpp"

using hull::sys::cgroup::expand_slice;
using hull::sys::cgroup::parse_systemd_path;
using hull::sys::cgroup::SystemdPath;
using hull::test::error_of;

TEST_CASE("systemd path: slice:prefix:name makes prefix-name.scope in the slice") {
    SystemdPath p = parse_systemd_path("machine.slice:libpod:abc123", "ignored");
    CHECK(p.slice == "machine.slice");
    CHECK(p.name == "abc123");
    CHECK(p.unit == "libpod-abc123.scope");
    CHECK(p.cgroup == "/machine.slice/libpod-abc123.scope");
    CHECK_FALSE(p.is_slice());
}

TEST_CASE("systemd path: an empty cgroupsPath is system.slice and hull-ID.scope") {
    SystemdPath p = parse_systemd_path("", "ctr1");
    CHECK(p == SystemdPath{"system.slice", "ctr1", "hull-ctr1.scope", "/system.slice/hull-ctr1.scope"});
}

TEST_CASE("systemd path: an empty slice is system.slice") {
    SystemdPath p = parse_systemd_path(":docker:42", "x");
    CHECK(p.slice == "system.slice");
    CHECK(p.cgroup == "/system.slice/docker-42.scope");
}

TEST_CASE("systemd path: a nested slice expands along its dashes") {
    SystemdPath p = parse_systemd_path("kubepods-burstable-pod1.slice:cri:c1", "x");
    CHECK(p.cgroup == "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod1.slice/cri-c1.scope");
}

TEST_CASE("systemd path: a name ending in .slice makes a slice unit, no prefix") {
    SystemdPath p = parse_systemd_path("system.slice:ignored:system-pods.slice", "x");
    CHECK(p.is_slice());
    CHECK(p.unit == "system-pods.slice");
    CHECK(p.cgroup == "/system.slice/system-pods.slice");
}

TEST_CASE("systemd path: the root slice -.slice holds the unit at the top") {
    CHECK(parse_systemd_path("-.slice:p:n", "x").cgroup == "/p-n.scope");
}

TEST_CASE("systemd path: anything but three colon-separated parts is refused, naming the form") {
    for (const char* bad : {"/a/b", "a:b", "a:b:c:d", "system.slice"}) {
        CAPTURE(bad);
        std::string e = error_of([&] { parse_systemd_path(bad, "x"); });
        CHECK(e.find("linux.cgroupsPath") != std::string::npos);
        CHECK(e.find("\"slice:prefix:name\"") != std::string::npos);
    }
}

TEST_CASE("systemd path: an empty name is refused") {
    CHECK(error_of([] { parse_systemd_path("system.slice:p:", "x"); }).find("name") != std::string::npos);
}

TEST_CASE("systemd path: a name that could leave its slice is refused") {
    for (const char* bad :
         {"system.slice:p:../../etc", "system.slice:p:a/b", "system.slice:p:a b", "system.slice:p:a@b"}) {
        CAPTURE(bad);
        std::string e = error_of([&] { parse_systemd_path(bad, "x"); });
        CHECK(e.find("linux.cgroupsPath") != std::string::npos);
        CHECK(e.find("unit name") != std::string::npos);
    }
}

TEST_CASE("systemd path: a bad slice name is refused with the path named") {
    for (const char* bad :
         {"system:p:n", "a--b.slice:p:n", "-a.slice:p:n", "a-.slice:p:n", ".slice:p:n", "a/b.slice:p:n"}) {
        CAPTURE(bad);
        std::string e = error_of([&] { parse_systemd_path(bad, "x"); });
        CHECK(e.find("linux.cgroupsPath") != std::string::npos);
        CHECK(e.find("invalid slice name") != std::string::npos);
    }
}

TEST_CASE("expand_slice: systemd's dash hierarchy") {
    CHECK(expand_slice("test.slice") == "/test.slice");
    CHECK(expand_slice("test-a.slice") == "/test.slice/test-a.slice");
    CHECK(expand_slice("test-a-b.slice") == "/test.slice/test-a.slice/test-a-b.slice");
    CHECK(expand_slice("-.slice") == "/");
    CHECK_FALSE(error_of([] { expand_slice("test--a.slice"); }).empty());
    CHECK_FALSE(error_of([] { expand_slice("-test.slice"); }).empty());
    CHECK_FALSE(error_of([] { expand_slice("test.scope"); }).empty());
}
