// The compiled-filter cache: a hit reads the file, a miss or a damaged file
// compiles, and a file made for another profile is never used.
#include <doctest/doctest.h>

#include <linux/seccomp.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "../test_support.hpp"
#include "bpf_interpreter.hpp"
#include "build_config.hpp"
#include "linux/seccomp/cache.hpp"
#include "linux/seccomp/compile.hpp"
#include "util/files.hpp"

#if HULL_HAVE_SECCOMP

using hull::oci::Seccomp;
using hull::oci::SeccompSyscall;
namespace sc = hull::sys::seccomp;

namespace {

Seccomp deny_mkdir() {
    Seccomp s;
    s.default_action = "SCMP_ACT_ALLOW";
    SeccompSyscall r;
    r.names = {"mkdir"};
    r.action = "SCMP_ACT_ERRNO";
    s.syscalls.push_back(r);
    return s;
}

std::vector<sock_filter> marker_program(std::uint32_t value) { return {BPF_STMT(BPF_RET | BPF_K, value)}; }

}  // namespace

TEST_CASE("seccomp cache: a miss compiles and saves a 0600 file, a hit reads it") {
    hull::test::TempDir root("/dev/shm");
    hull::util::Logger quiet;
    Seccomp p = deny_mkdir();
    auto first = sc::compile_cached(p, root.path(), quiet);
    CHECK(hull::test::run_bpf(first.program, hull::test::syscall_data(SYS_mkdir)) == (SECCOMP_RET_ERRNO | EPERM));
    std::string path = sc::cache_path(root.path(), sc::cache_key(p));
    struct stat st {};
    REQUIRE(::stat(path.c_str(), &st) == 0);
    CHECK((st.st_mode & 07777) == 0600);
    CHECK(first.program == sc::compile(p, quiet).program);
    // A valid file for the same key with another program: a hit returns it.
    hull::util::write_file_atomic(path, sc::encode_cache_file(sc::cache_key(p), marker_program(SECCOMP_RET_LOG)), 0600);
    auto hit = sc::compile_cached(p, root.path(), quiet);
    CHECK(hit.program == marker_program(SECCOMP_RET_LOG));
}

TEST_CASE("seccomp cache: eviction keeps the newest entries and touches nothing else") {
    hull::test::TempDir dir("/dev/shm");
    // Ten entries, 0.bpf the oldest; a hit on 1.bpf makes it the newest.
    for (int i = 0; i < 10; ++i) {
        std::string path = dir / (std::to_string(i) + ".bpf");
        hull::util::write_file_atomic(path, "x", 0600);
        timespec times[2] = {{1000 + i, 0}, {1000 + i, 0}};
        REQUIRE(::utimensat(AT_FDCWD, path.c_str(), times, 0) == 0);
    }
    REQUIRE(::utimensat(AT_FDCWD, (dir / "1.bpf").c_str(), nullptr, 0) == 0);
    hull::util::write_file_atomic(dir / "other.tmp", "x", 0600);
    REQUIRE(::mkdir((dir / "sub.bpf").c_str(), 0700) == 0);
    sc::evict_cache_entries(dir.path(), 4);
    std::vector<std::string> left;
    for (const auto& e : std::filesystem::directory_iterator(dir.path())) left.push_back(e.path().filename());
    std::sort(left.begin(), left.end());
    CHECK(left == std::vector<std::string>{"1.bpf", "7.bpf", "8.bpf", "9.bpf", "other.tmp", "sub.bpf"});
    sc::evict_cache_entries(dir.path() + "/missing", 4);  // no directory: nothing to do
}

TEST_CASE("seccomp cache: a hit makes its file the newest") {
    hull::test::TempDir root("/dev/shm");
    hull::util::Logger quiet;
    Seccomp p = deny_mkdir();
    sc::compile_cached(p, root.path(), quiet);
    std::string path = sc::cache_path(root.path(), sc::cache_key(p));
    timespec old[2] = {{1000, 0}, {1000, 0}};
    REQUIRE(::utimensat(AT_FDCWD, path.c_str(), old, 0) == 0);
    sc::compile_cached(p, root.path(), quiet);
    struct stat st {};
    REQUIRE(::stat(path.c_str(), &st) == 0);
    CHECK(st.st_mtim.tv_sec > 1000);
}

TEST_CASE("seccomp cache: the key covers everything the program depends on, and only that") {
    Seccomp a = deny_mkdir();
    Seccomp b = a;
    CHECK(sc::cache_key(a) == sc::cache_key(b));
    b.listener_metadata = "m";  // not part of the program
    b.flags = std::vector<std::string>{"SECCOMP_FILTER_FLAG_LOG"};
    CHECK(sc::cache_key(a) == sc::cache_key(b));
    auto differs = [&](auto change) {
        Seccomp c = a;
        change(c);
        return sc::cache_key(c) != sc::cache_key(a);
    };
    CHECK(differs([](Seccomp& c) { c.default_action = "SCMP_ACT_LOG"; }));
    CHECK(differs([](Seccomp& c) { c.default_errno_ret = 1; }));
    CHECK(differs([](Seccomp& c) { c.architectures = std::vector<std::string>{"SCMP_ARCH_X86"}; }));
    CHECK(differs([](Seccomp& c) { c.syscalls[0].errno_ret = 1; }));
    CHECK(differs([](Seccomp& c) { c.syscalls[0].names = {"mkdir", "rmdir"}; }));
    CHECK(differs([](Seccomp& c) { c.syscalls[0].names = {"mkdirrmdir"}; }));
    CHECK(differs([](Seccomp& c) { c.syscalls[0].args.push_back({0, 1, std::nullopt, "SCMP_CMP_EQ", {}}); }));
    CHECK(differs([](Seccomp& c) { c.syscalls[0].args.push_back({0, 1, 0, "SCMP_CMP_EQ", {}}); }));
    // Length prefixes: moving a name between rules is a different profile.
    Seccomp two = a;
    two.syscalls[0].names = {"mkdir", "rmdir"};
    Seccomp split = a;
    split.syscalls.push_back(split.syscalls[0]);
    split.syscalls[1].names = {"rmdir"};
    CHECK(sc::cache_key(two) != sc::cache_key(split));
}

TEST_CASE("seccomp cache: short, corrupt or foreign files are recompiled and replaced") {
    hull::test::TempDir root("/dev/shm");
    hull::util::Logger quiet;
    Seccomp p = deny_mkdir();
    std::string key = sc::cache_key(p);
    std::string path = sc::cache_path(root.path(), key);
    auto good = sc::compile(p, quiet).program;
    sc::compile_cached(p, root.path(), quiet);
    std::string intact = hull::util::read_file(path, 1 << 20);

    auto recompiled_from = [&](std::string bytes) {
        hull::util::write_file_atomic(path, bytes, 0600);
        auto program = sc::compile_cached(p, root.path(), quiet).program;
        return program == good && hull::util::read_file(path, 1 << 20) == intact;
    };
    CHECK(recompiled_from(""));
    CHECK(recompiled_from(intact.substr(0, intact.size() - 3)));
    CHECK(recompiled_from(intact + "x"));
    std::string flipped = intact;
    flipped[flipped.size() - 2] ^= 0x40;  // inside the program: the checksum catches it
    CHECK(recompiled_from(flipped));
    // A file for another profile at this profile's name (a hash collision).
    Seccomp other = deny_mkdir();
    other.syscalls[0].names = {"rmdir"};
    CHECK(recompiled_from(sc::encode_cache_file(sc::cache_key(other), marker_program(SECCOMP_RET_ALLOW))));
}

TEST_CASE("seccomp cache: decode refuses anything but the exact file") {
    std::string key = "k";
    auto program = marker_program(SECCOMP_RET_ALLOW);
    std::string file = sc::encode_cache_file(key, program);
    CHECK(sc::decode_cache_file(file, key) == program);
    CHECK_FALSE(sc::decode_cache_file(file, "j"));
    CHECK_FALSE(sc::decode_cache_file(file.substr(1), key));
    std::string bad_magic = file;
    bad_magic[0] = 'X';
    CHECK_FALSE(sc::decode_cache_file(bad_magic, key));
}

TEST_CASE("seccomp cache: an unwritable cache does not fail the compile") {
    hull::util::Logger quiet;
    auto filter = sc::compile_cached(deny_mkdir(), "/proc/no-such-root", quiet);
    CHECK(hull::test::run_bpf(filter.program, hull::test::syscall_data(SYS_mkdir)) == (SECCOMP_RET_ERRNO | EPERM));
}

#endif
