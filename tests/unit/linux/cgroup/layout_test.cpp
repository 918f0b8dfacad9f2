// Host layout detection and cgroupsPath resolution, from real mountinfo
// and /proc/self/cgroup texts.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "linux/cgroup/cgroup_path.hpp"
#include "linux/cgroup/layout.hpp"

using namespace hull::sys::cgroup;

namespace {

// The project's own machines: v1 controllers, cgroup2 at unified, a
// memory cgroup below the root.
constexpr const char* kHybridMountinfo =
    "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"
    "32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw,relatime shared:9 - cgroup cgroup rw,cpu,cpuacct\n"
    "35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n"
    "39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids\n"
    "40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,xattr,name=systemd\n"
    "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n";
constexpr const char* kHybridProcCgroup =
    "9:name=systemd:/\n8:pids:/\n4:memory:/process_api/abc\n1:cpu,cpuacct:/\n0::/\n";

}  // namespace

TEST_CASE("layout: a hybrid host has its v1 hierarchies first and the v2 one last") {
    HostCgroups host = parse_host_cgroups(kHybridMountinfo, kHybridProcCgroup);
    CHECK(host.layout == Layout::hybrid);
    REQUIRE(host.hierarchies.size() == 5);
    CHECK(host.hierarchies[0].name == "cpu,cpuacct");
    CHECK(host.hierarchies[0].controllers == std::vector<std::string>{"cpu", "cpuacct"});
    CHECK(host.hierarchies[3].name == "name=systemd");  // xattr is not a controller
    REQUIRE(host.v2() != nullptr);
    CHECK(host.v2()->mount_point == "/sys/fs/cgroup/unified");
    REQUIRE(host.v1_with("memory") != nullptr);
    CHECK(host.v1_with("memory")->own_path == "/process_api/abc");
    CHECK(host.v1_with("cpuacct")->mount_point == "/sys/fs/cgroup/cpu,cpuacct");
    CHECK(host.v1_with("hugetlb") == nullptr);
}

TEST_CASE("layout: unified and legacy hosts") {
    HostCgroups unified = parse_host_cgroups("30 23 0:26 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw,nsdelegate\n",
                                             "0::/user.slice/session-1.scope\n");
    CHECK(unified.layout == Layout::unified);
    REQUIRE(unified.hierarchies.size() == 1);
    CHECK(unified.hierarchies[0].own_path == "/user.slice/session-1.scope");
    HostCgroups legacy = parse_host_cgroups("35 31 0:32 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n",
                                            "4:memory:/\n");
    CHECK(legacy.layout == Layout::legacy);
    CHECK(legacy.v2() == nullptr);
}

TEST_CASE("layout: malformed mountinfo lines are skipped") {
    HostCgroups host = parse_host_cgroups("garbage\n1 2 3\n - cgroup\n", "");
    CHECK(host.hierarchies.empty());
}

TEST_CASE("cgroupsPath: absolute, relative to the runtime's cgroup, empty = the id; .. cannot climb") {
    Hierarchy memory{"memory", "/sys/fs/cgroup/memory", {"memory"}, "/process_api/abc", false};
    CHECK(path_in_hierarchy("/machine/c1", "c1", memory) == "/machine/c1");
    CHECK(path_in_hierarchy("sub/c1", "c1", memory) == "/process_api/abc/sub/c1");
    CHECK(path_in_hierarchy("", "c1", memory) == "/process_api/abc/c1");
    CHECK(path_in_hierarchy("/../../etc", "c1", memory) == "/etc");
    CHECK(path_in_hierarchy("../../x", "c1", memory) == "/process_api/abc/x");
    Hierarchy v2{"", "/sys/fs/cgroup", {}, "/system.slice/hull.service", true};
    CHECK(path_in_hierarchy("", "c1", v2) == "/system.slice/c1");
    Hierarchy v2_root{"", "/sys/fs/cgroup/unified", {}, "/", true};
    CHECK(path_in_hierarchy("", "c1", v2_root) == "/c1");
    CHECK(clean_rooted("//a/./b//") == "/a/b");
    CHECK(clean_rooted("") == "/");
}

TEST_CASE("cgroupsPath: create makes the directories from the first missing one down, parents first") {
    auto existing = [](std::initializer_list<const char*> dirs) {
        std::vector<std::string> list(dirs.begin(), dirs.end());
        return [list](const std::string& dir) { return std::find(list.begin(), list.end(), dir) != list.end(); };
    };
    const std::string mnt = "/sys/fs/cgroup/pids";
    CHECK(missing_directories(mnt, "/a/b/c", existing({})) ==
          std::vector<std::string>{mnt + "/a", mnt + "/a/b", mnt + "/a/b/c"});
    CHECK(missing_directories(mnt, "/a/b/c", existing({"/sys/fs/cgroup/pids/a"})) ==
          std::vector<std::string>{mnt + "/a/b", mnt + "/a/b/c"});
    // An existing leaf is not ours: nothing to make, nothing for delete to remove.
    CHECK(missing_directories(mnt, "/a/b", existing({"/sys/fs/cgroup/pids/a", "/sys/fs/cgroup/pids/a/b"})).empty());
    // Below a missing directory nothing can exist, whatever a racing look says.
    CHECK(missing_directories(mnt, "//a/./b/", existing({"/sys/fs/cgroup/pids/a/b"})) ==
          std::vector<std::string>{mnt + "/a", mnt + "/a/b"});
}
