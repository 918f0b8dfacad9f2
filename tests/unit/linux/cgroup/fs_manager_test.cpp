// The cgroupfs driver's removal, on plain directories standing in for
// cgroups (rmdir behaves alike: a directory with something in it stays).
#include <doctest/doctest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <string>

#include "linux/cgroup/manager.hpp"
#include "util/error.hpp"

using namespace hull::sys::cgroup;

namespace {

bool exists(const std::string& path) { return ::access(path.c_str(), F_OK) == 0; }

}  // namespace

TEST_CASE("cgroupfs destroy: a hierarchy that cannot be removed does not stop the others, and is reported") {
    char tmpl[] = "/dev/shm/hulltest-fsmgr.XXXXXX";
    REQUIRE(::mkdtemp(tmpl) != nullptr);
    std::string base = tmpl;
    for (const char* d : {"/a", "/b", "/c"}) REQUIRE(::mkdir((base + d).c_str(), 0755) == 0);
    std::ofstream(base + "/a/busy") << "x";  // rmdir fails: ENOTEMPTY, as a cgroup with a process fails
    SavedCgroups saved;
    saved.driver = "cgroupfs";
    saved.paths = {{"blkio", base + "/a"}, {"cpu", base + "/b"}, {"pids", base + "/c"}};
    auto manager = load_manager(saved);
    std::string error;
    try {
        manager->destroy();
    } catch (const hull::Error& e) {
        error = e.what();
    }
    CHECK(error.find(base + "/a") != std::string::npos);
    CHECK(exists(base + "/a"));
    CHECK_FALSE(exists(base + "/b"));
    CHECK_FALSE(exists(base + "/c"));
    CHECK(std::system(("rm -rf " + base).c_str()) == 0);
}
