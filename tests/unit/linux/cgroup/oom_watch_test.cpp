// The OOM watcher: v2 logic on files that stand in for memory.events and
// cgroup.events, and a real OOM kill in a v1 memory cgroup on this host.
#include <doctest/doctest.h>

#include <fcntl.h>
#include <poll.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csignal>
#include <cstring>
#include <fstream>
#include <string>

#include <fmt/format.h>

#include "../test_support.hpp"
#include "linux/cgroup/oom_watch.hpp"
#include "linux/cgroup/stat_files.hpp"
#include "linux/cgroup/stats.hpp"
#include "util/files.hpp"
#include "util/scope_exit.hpp"
#include "util/strings.hpp"

using namespace hull::sys::cgroup;
using hull::test::TempDir;

namespace {

void put(const std::string& path, std::string_view text) { std::ofstream(path) << text; }

bool readable(int fd, int timeout_ms) {
    pollfd p{fd, POLLIN, 0};
    return ::poll(&p, 1, timeout_ms) == 1 && (p.revents & POLLIN);
}

std::string memory_events(int oom_kill, int max = 0) {
    return fmt::format("low 0\nhigh 0\nmax {}\noom {}\noom_kill {}\noom_group_kill 0\n", max, oom_kill, oom_kill);
}

}  // namespace

TEST_CASE("oom watch v2: a rise of memory.events oom_kill is an OOM, other changes are not") {
    TempDir tmp("/dev/shm");
    put(tmp / "memory.events", memory_events(1));
    put(tmp / "cgroup.events", "populated 1\nfrozen 0\n");
    OomWatch watch = OomWatch::v2(tmp.path());
    CHECK_FALSE(readable(watch.fd(), 0));
    CHECK_FALSE(watch.consume());  // the kill before the watch started is not news

    put(tmp / "memory.events", memory_events(1, 5));
    REQUIRE(readable(watch.fd(), 2000));
    CHECK_FALSE(watch.consume());
    CHECK_FALSE(readable(watch.fd(), 0));  // drained

    put(tmp / "memory.events", memory_events(3, 5));
    REQUIRE(readable(watch.fd(), 2000));
    CHECK(watch.consume());
    CHECK_FALSE(watch.consume());
    CHECK_FALSE(watch.gone());

    put(tmp / "cgroup.events", "populated 0\nfrozen 0\n");
    REQUIRE(readable(watch.fd(), 2000));
    CHECK_FALSE(watch.consume());
    CHECK(watch.gone());
}

TEST_CASE("oom watch v2: the cgroup's files going away ends the watch") {
    TempDir tmp("/dev/shm");
    put(tmp / "memory.events", memory_events(0));
    put(tmp / "cgroup.events", "populated 1\nfrozen 0\n");
    OomWatch watch = OomWatch::v2(tmp.path());
    ::unlink((tmp / "memory.events").c_str());
    REQUIRE(readable(watch.fd(), 2000));
    CHECK_FALSE(watch.consume());
    CHECK(watch.gone());
}

TEST_CASE("oom watch: which hierarchy is watched") {
    TempDir tmp("/dev/shm");
    CHECK_FALSE(OomWatch::for_cgroups({}));
    CHECK_FALSE(OomWatch::for_cgroups({{"pids", tmp.path()}}));
    CHECK_FALSE(OomWatch::for_cgroups({{"", tmp.path()}}));  // v2 without the memory controller
    put(tmp / "memory.events", memory_events(0));
    put(tmp / "cgroup.events", "populated 1\n");
    CHECK(OomWatch::for_cgroups({{"", tmp.path()}}));
    // A v1 memory hierarchy is preferred; this one is no cgroup, so registering fails and says where.
    std::string err = hull::test::error_of([&] { OomWatch::for_cgroups({{"memory", tmp / "m"}, {"", tmp.path()}}); });
    CHECK(err.find(tmp / "m/memory.oom_control") != std::string::npos);
}

namespace {

// This process's cgroup in the v1 memory hierarchy, "" when there is none.
std::string own_v1_memory_cgroup() {
    std::ifstream f("/proc/self/cgroup");
    for (std::string line; std::getline(f, line);) {
        auto parts = hull::util::split(line, ':');
        if (parts.size() < 3) continue;
        for (const std::string& c : hull::util::split(parts[1], ',')) {
            if (c == "memory") return line.substr(parts[0].size() + parts[1].size() + 2);
        }
    }
    return "";
}

constexpr std::size_t kMiB = 1 << 20;

// In the child: joins the cgroup, then touches 64 MiB page by page.
int allocate_in(const std::string& dir) {
    hull::UniqueFd procs = hull::util::open_fd(dir + "/cgroup.procs", O_WRONLY);
    hull::util::write_all(procs.get(), std::to_string(::getpid()), "cgroup.procs");
    constexpr std::size_t size = 64 * kMiB;
    void* p = ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return 2;
    auto* bytes = static_cast<volatile char*>(p);
    for (std::size_t i = 0; i < size; i += 4096) bytes[i] = 1;
    return 0;  // survived: the limit did not hold
}

}  // namespace

TEST_CASE("oom watch v1: an allocation beyond memory.limit_in_bytes fires the watcher (root, v1 memory)") {
    std::string own = own_v1_memory_cgroup();
    if (::geteuid() != 0 || own.empty()) {
        MESSAGE("SKIPPED: needs root and a cgroup v1 memory hierarchy");
        return;
    }
    const std::string dir = fmt::format("/sys/fs/cgroup/memory{}/hulltest-oom-{}", own == "/" ? "" : own, ::getpid());
    if (::mkdir(dir.c_str(), 0755) != 0) {
        MESSAGE("SKIPPED: the v1 memory hierarchy is not writable: mkdir ", dir, ": ", std::strerror(errno));
        return;
    }
    hull::ScopeExit remove([&] { ::rmdir(dir.c_str()); });
    put(dir + "/memory.limit_in_bytes", std::to_string(8 * kMiB));
    // With swap, the limit on memory+swap too, or the child would swap instead.
    if (::access((dir + "/memory.memsw.limit_in_bytes").c_str(), F_OK) == 0) {
        put(dir + "/memory.memsw.limit_in_bytes", std::to_string(8 * kMiB));
    }
    REQUIRE(read_stats({{"memory", dir}}).memory.usage.limit == 8 * kMiB);

    OomWatch watch = OomWatch::v1(dir);
    CHECK_FALSE(watch.consume());
    int status = hull::test::in_child([&] { return allocate_in(dir); });
    CHECK(status == 128 + SIGKILL);
    REQUIRE(readable(watch.fd(), 10000));
    CHECK(watch.consume());
    CHECK_FALSE(watch.consume());
    CHECK_FALSE(watch.gone());

    // The peak shows the child reached the limit (this kernel leaves
    // memory.failcnt at 0 for an OOM kill, so that is not checked).
    Stats s = read_stats({{"memory", dir}});
    CHECK(s.memory.usage.max > 4 * kMiB);
    CHECK(s.memory.usage.max <= 8 * kMiB);
    CHECK(stat_files::read_key(dir + "/memory.oom_control", "oom_kill").value_or(0) >= 1);

    // Removing the cgroup signals the eventfd too: that is the end, not an OOM.
    REQUIRE(::rmdir(dir.c_str()) == 0);
    remove.dismiss();
    REQUIRE(readable(watch.fd(), 5000));
    CHECK_FALSE(watch.consume());
    CHECK(watch.gone());
}
