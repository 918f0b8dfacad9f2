// The bind sources the host opens for an init in a user namespace: which
// mounts, and that the fds are the init's own copies of the sources.
#include <doctest/doctest.h>

#include <fcntl.h>
#include <sched.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <string>
#include <vector>

#include "linux/bind_sources.hpp"
#include "linux/clone.hpp"
#include "test_support.hpp"
#include "util/unique_fd.hpp"

using hull::UniqueFd;
using hull::oci::Mount;
using hull::test::TempDir;

namespace {

Mount mount(std::string type, std::vector<std::string> options, std::string source = "/src") {
    Mount m;
    m.destination = "/dst";
    m.type = std::move(type);
    m.source = std::move(source);
    m.options = std::move(options);
    return m;
}

std::uint64_t mount_id(int fd) {
    struct statx stx {};
    if (::statx(fd, "", AT_EMPTY_PATH, STATX_MNT_ID, &stx) < 0) return 0;
    return stx.stx_mnt_id;
}

// A process in a mount namespace of its own that waits until the returned
// pipe end closes, as the init waits for parent_setup_done.
struct WaitingInit {
    hull::sys::ChildProcess process;
    UniqueFd release;
};

WaitingInit start_waiting_init() {
    int fds[2];
    REQUIRE(::pipe2(fds, O_CLOEXEC) == 0);
    UniqueFd read_end(fds[0]), write_end(fds[1]);
    auto process = hull::sys::clone_child(CLONE_NEWNS, -1, [&] {
        write_end.reset();
        char byte;
        [[maybe_unused]] ssize_t n = ::read(read_end.get(), &byte, 1);
        return 0;
    });
    return WaitingInit{std::move(process), std::move(write_end)};
}

}  // namespace

TEST_CASE("bind_sources: the host opens every bind's source but the idmapped and tmpcopyup ones") {
    hull::oci::Spec spec;
    spec.mounts = {
        mount("bind", {}),                     // 0: type bind
        mount("none", {"rbind", "ro"}),        // 1: the option makes it a bind
        mount("tmpfs", {"nosuid"}, "tmpfs"),   // 2: not a bind
        mount("bind", {"bind", "idmap"}),      // 3: a tree (idmapped_mounts)
        mount("bind", {"rbind"}),              // 4: with its own mappings below
        mount("bind", {"bind", "tmpcopyup"}),  // 5: refused by the init
        mount("proc", {}, "proc"),             // 6: not a bind
    };
    spec.mounts[4].uid_mappings = {hull::oci::IdMapping{0, 1000, 1, {}}};
    CHECK(hull::sys::host_opened_binds(spec) == std::vector<std::size_t>{0, 1});
}

TEST_CASE("bind_sources: the fds are the init's copies of the sources, in spec order; a missing one is named") {
    if (::geteuid() != 0) {
        MESSAGE("skipped: needs root (a new mount namespace, setns)");
        return;
    }
    TempDir dir("/dev/shm");
    REQUIRE(::mkdir((dir / "secret").c_str(), 0700) == 0);
    REQUIRE(::mkdir((dir / "secret/dir").c_str(), 0755) == 0);
    std::ofstream(dir / "secret/file") << "x";
    hull::oci::Spec spec;
    spec.mounts = {mount("bind", {"rbind"}, dir / "secret/dir"), mount("proc", {}, "proc"),
                   mount("bind", {"bind"}, dir / "secret/file")};
    WaitingInit init = start_waiting_init();
    auto sources = hull::sys::open_bind_sources(spec, init.process.pidfd(), init.process.pid());
    REQUIRE(sources.size() == 2);
    CHECK(sources[0].spec_index == 0);
    CHECK(sources[1].spec_index == 2);
    UniqueFd host_dir(::open((dir / "secret/dir").c_str(), O_PATH | O_CLOEXEC));
    struct stat fd_st {}, host_st {};
    REQUIRE(::fstat(sources[0].fd.get(), &fd_st) == 0);
    REQUIRE(::fstat(host_dir.get(), &host_st) == 0);
    CHECK(fd_st.st_ino == host_st.st_ino);
    // The same directory, but through the init's mount namespace: another mount.
    CHECK(mount_id(sources[0].fd.get()) != mount_id(host_dir.get()));
    REQUIRE(::fstat(sources[1].fd.get(), &fd_st) == 0);
    CHECK(S_ISREG(fd_st.st_mode));

    spec.mounts[2].source = dir / "secret/missing";
    std::string error = hull::test::error_of([&] {
        hull::sys::open_bind_sources(spec, init.process.pidfd(), init.process.pid());
    });
    CHECK(error.find("mounts[2]") != std::string::npos);
    CHECK(error.find("secret/missing") != std::string::npos);
    CHECK(error.find("no such file or directory") != std::string::npos);
    init.release.reset();
    init.process.wait();
}
