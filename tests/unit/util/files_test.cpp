// util/files and util/directory: directories made with their parents,
// fd ranges closed, directory entries read.
#include <doctest/doctest.h>

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "util/directory.hpp"
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

TEST_CASE("close_fd_range closes, or marks close-on-exec, exactly the range") {
    int a = ::open("/dev/null", O_RDONLY);
    int b = ::open("/dev/null", O_RDONLY);
    REQUIRE(a >= 3);
    REQUIRE(b == a + 1);
    hull::util::close_fd_range(static_cast<unsigned>(b), static_cast<unsigned>(b), true);
    CHECK(::fcntl(a, F_GETFD) == 0);
    CHECK(::fcntl(b, F_GETFD) == FD_CLOEXEC);
    hull::util::close_fd_range(static_cast<unsigned>(a), static_cast<unsigned>(a), false);
    CHECK(::fcntl(a, F_GETFD) < 0);
    CHECK(::fcntl(b, F_GETFD) == FD_CLOEXEC);
    ::close(b);
}

TEST_CASE("read_directory lists the entries but . and .., of a path or of an fd it leaves open") {
    char tmpl[] = "/dev/shm/hulltest-files.XXXXXX";
    REQUIRE(::mkdtemp(tmpl) != nullptr);
    std::string base = tmpl;
    REQUIRE(::mkdir((base + "/sub").c_str(), 0755) == 0);
    { std::ofstream(base + "/file") << "x"; }
    auto entries = hull::util::read_directory(base);
    REQUIRE(entries);
    std::vector<std::string> names;
    for (const auto& e : *entries) names.push_back(e.name + (e.type == DT_DIR ? "/" : ""));
    std::sort(names.begin(), names.end());
    CHECK(names == std::vector<std::string>{"file", "sub/"});
    int fd = ::open(base.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    REQUIRE(fd >= 0);
    CHECK(hull::util::read_directory(fd, base).size() == 2);
    CHECK(hull::util::read_directory(fd, base).size() == 2);  // read again from the top
    CHECK(::fcntl(fd, F_GETFD) == FD_CLOEXEC);  // still the caller's
    ::close(fd);
    CHECK_FALSE(hull::util::read_directory(base + "/missing"));
    CHECK_THROWS_WITH(hull::util::read_directory(base + "/file"), doctest::Contains("not a directory"));
    CHECK(std::system(("rm -rf " + base).c_str()) == 0);
}
