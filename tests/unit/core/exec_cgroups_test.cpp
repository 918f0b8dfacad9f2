// exec --cgroup: runc's [CONTROLLER,...:]PATH, joined to the container's
// cgroups and kept at or below them.
#include <doctest/doctest.h>

#include <map>
#include <string>
#include <vector>

#include "core/exec_cgroups.hpp"
#include "util/error.hpp"

using hull::core::exec_cgroup_dirs;
using Dirs = std::map<std::string, std::string>;

namespace {

const Dirs kV1{{"cpu,cpuacct", "/sys/fs/cgroup/cpu,cpuacct/c1"},
               {"memory", "/sys/fs/cgroup/memory/c1"},
               {"pids", "/sys/fs/cgroup/pids/c1"}};
const Dirs kV2{{"", "/sys/fs/cgroup/c1"}};

}  // namespace

TEST_CASE("exec --cgroup: none is the container's cgroups; / and . are them too, as runc joins paths") {
    CHECK(exec_cgroup_dirs(kV1, {}) == kV1);
    CHECK(exec_cgroup_dirs(kV1, {"/"}) == kV1);
    CHECK(exec_cgroup_dirs(kV2, {"."}) == kV2);
    CHECK(exec_cgroup_dirs(kV1, {"pids:/"}) == kV1);
    CHECK(exec_cgroup_dirs(kV1, {"memory:"}) == kV1);
}

TEST_CASE("exec --cgroup: a path is below the container's cgroup, in every hierarchy or those named") {
    CHECK(exec_cgroup_dirs(kV2, {"/sub"}) == Dirs{{"", "/sys/fs/cgroup/c1/sub"}});
    Dirs all = exec_cgroup_dirs(kV1, {"a/b"});
    CHECK(all.at("memory") == "/sys/fs/cgroup/memory/c1/a/b");
    CHECK(all.at("cpu,cpuacct") == "/sys/fs/cgroup/cpu,cpuacct/c1/a/b");
    Dirs some = exec_cgroup_dirs(kV1, {"pids,memory:sub", "cpuacct:other"});
    CHECK(some.at("pids") == "/sys/fs/cgroup/pids/c1/sub");
    CHECK(some.at("memory") == "/sys/fs/cgroup/memory/c1/sub");
    CHECK(some.at("cpu,cpuacct") == "/sys/fs/cgroup/cpu,cpuacct/c1/other");
    // Co-mounted controllers may name their shared hierarchy twice, alike.
    CHECK(exec_cgroup_dirs(kV1, {"cpu:x", "cpuacct:x"}).at("cpu,cpuacct") == "/sys/fs/cgroup/cpu,cpuacct/c1/x");
    // A .. that comes back below is a path like any other (runc's path.Join).
    CHECK(exec_cgroup_dirs(kV2, {"../c1/sub"}).at("") == "/sys/fs/cgroup/c1/sub");
}

TEST_CASE("exec --cgroup: out of the container's cgroup, unknown controllers and mixed forms are refused") {
    CHECK_THROWS_WITH_AS(exec_cgroup_dirs(kV1, {".."}), doctest::Contains("not a sub cgroup path"), hull::Error);
    CHECK_THROWS_WITH_AS(exec_cgroup_dirs(kV2, {"../c10"}), doctest::Contains("not a sub cgroup path"), hull::Error);
    CHECK_THROWS_WITH_AS(exec_cgroup_dirs(kV1, {"pids:../../x"}), doctest::Contains("\"pids:../../x\""), hull::Error);
    CHECK_THROWS_WITH_AS(exec_cgroup_dirs(kV1, {"blkio:sub"}), doctest::Contains("\"blkio\""), hull::Error);
    CHECK_THROWS_WITH_AS(exec_cgroup_dirs(kV2, {"pids:sub"}), doctest::Contains("no cgroup v1 hierarchy"), hull::Error);
    CHECK_THROWS_WITH_AS(exec_cgroup_dirs(kV1, {"/", "/"}), doctest::Contains("must be the only"), hull::Error);
    CHECK_THROWS_WITH_AS(exec_cgroup_dirs(kV1, {"pids:a", "b"}), doctest::Contains("must be the only"), hull::Error);
    CHECK_THROWS_WITH_AS(exec_cgroup_dirs(kV1, {"cpu:x", "cpuacct:y"}), doctest::Contains("two paths"), hull::Error);
    CHECK_THROWS_WITH_AS(exec_cgroup_dirs(kV1, {",pids:x"}), doctest::Contains("expected"), hull::Error);
    CHECK_THROWS_WITH_AS(exec_cgroup_dirs(kV1, {"pids:a:b"}), doctest::Contains("expected"), hull::Error);
    CHECK_THROWS_WITH_AS(exec_cgroup_dirs({}, {"/"}), doctest::Contains("no cgroups"), hull::Error);
}
