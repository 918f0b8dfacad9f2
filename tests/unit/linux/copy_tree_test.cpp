// tmpcopyup's copy: every kind of entry, with owner, mode and times, and
// symlinks copied, never followed.
#include <doctest/doctest.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <fstream>
#include <string>

#include "linux/copy_tree.hpp"
#include "test_support.hpp"
#include "util/files.hpp"
#include "util/unique_fd.hpp"

using hull::UniqueFd;
using hull::test::TempDir;

namespace {

struct stat stat_of(const std::string& path) {
    struct stat st {};
    REQUIRE(::lstat(path.c_str(), &st) == 0);
    return st;
}

UniqueFd open_dir(const std::string& path) { return UniqueFd(::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)); }

void write(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

}  // namespace

TEST_CASE("copy_tree: files, directories, symlinks and fifos keep contents, owner, mode and times") {
    TempDir from, to;
    write(from / "file", "hello");
    REQUIRE(::chmod((from / "file").c_str(), 0640) == 0);
    REQUIRE(::mkdir((from / "dir").c_str(), 0711) == 0);
    REQUIRE(::mkdir((from / "dir/deeper").c_str(), 0755) == 0);
    write(from / "dir/deeper/inner", "inside");
    REQUIRE(::symlink("/etc/passwd", (from / "dir/abs-link").c_str()) == 0);
    REQUIRE(::mkfifo((from / "fifo").c_str(), 0600) == 0);
    timespec old_times[2] = {{1000000, 0}, {2000000, 0}};
    REQUIRE(::utimensat(AT_FDCWD, (from / "file").c_str(), old_times, 0) == 0);
    bool root = ::geteuid() == 0;
    if (root) REQUIRE(::chown((from / "file").c_str(), 1234, 4321) == 0);

    UniqueFd from_fd = open_dir(from.path()), to_fd = open_dir(to.path());
    hull::sys::copy_directory_contents(from_fd.get(), to_fd.get());

    CHECK(hull::util::read_file(to / "file", 1024) == "hello");
    struct stat st = stat_of(to / "file");
    CHECK((st.st_mode & 07777) == 0640);
    CHECK(st.st_mtim.tv_sec == 2000000);
    if (root) {
        CHECK(st.st_uid == 1234);
        CHECK(st.st_gid == 4321);
    } else {
        MESSAGE("not root: ownership is not checked");
    }
    CHECK((stat_of(to / "dir").st_mode & 07777) == 0711);
    CHECK(S_ISDIR(stat_of(to / "dir/deeper").st_mode));
    CHECK(S_ISREG(stat_of(to / "dir/deeper/inner").st_mode));
    CHECK(S_ISLNK(stat_of(to / "dir/abs-link").st_mode));
    char target[64] = {};
    CHECK(::readlink((to / "dir/abs-link").c_str(), target, sizeof target - 1) == 11);
    CHECK(std::string(target) == "/etc/passwd");
    CHECK(S_ISFIFO(stat_of(to / "fifo").st_mode));
}

TEST_CASE("copy_tree: an entry that already exists in the target fails, naming it") {
    TempDir from, to;
    REQUIRE(::mkdir((from / "a").c_str(), 0755) == 0);
    write(from / "a/b", "x");
    REQUIRE(::mkdir((to / "a").c_str(), 0755) == 0);
    UniqueFd from_fd = open_dir(from.path()), to_fd = open_dir(to.path());
    std::string error = hull::test::error_of([&] { hull::sys::copy_directory_contents(from_fd.get(), to_fd.get()); });
    CHECK(error.find("copy \"a\"") != std::string::npos);
    CHECK(error.find("exists") != std::string::npos);
}
