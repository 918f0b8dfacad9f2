// util/files: directories made with their parents, relative or absolute.
#include <doctest/doctest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

#include "util/error.hpp"
#include "util/files.hpp"

namespace {

bool is_dir(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

}  // namespace

TEST_CASE("make_directories makes every missing parent of an absolute path") {
    char tmpl[] = "/dev/shm/hulltest-files.XXXXXX";
    REQUIRE(::mkdtemp(tmpl) != nullptr);
    std::string base = tmpl;
    hull::util::make_directories(base + "/a/b/c", 0700);
    CHECK(is_dir(base + "/a/b/c"));
    hull::util::make_directories(base + "/a/b/c", 0700);  // already there
    CHECK(std::system(("rm -rf " + base).c_str()) == 0);
}

TEST_CASE("make_directories keeps a relative path relative to the working directory") {
    char tmpl[] = "/dev/shm/hulltest-files.XXXXXX";
    REQUIRE(::mkdtemp(tmpl) != nullptr);
    std::string base = tmpl;
    char old[4096];
    REQUIRE(::getcwd(old, sizeof old) != nullptr);
    REQUIRE(::chdir(base.c_str()) == 0);
    // A unique first component: were it made at "/", the check below sees it.
    std::string first = "hulltest-rel-" + std::to_string(::getpid());
    hull::util::make_directories(first + "/dir/sub", 0700);
    CHECK(is_dir(base + "/" + first + "/dir/sub"));
    CHECK_FALSE(is_dir("/" + first));
    REQUIRE(::chdir(old) == 0);
    CHECK(std::system(("rm -rf " + base).c_str()) == 0);
}
