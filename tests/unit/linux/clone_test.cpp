// Cloning the container init into a user namespace it joins: the new
// namespaces belong to that user namespace, and the child is still ours.
#include <doctest/doctest.h>

#include <fcntl.h>
#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>

#include "linux/clone.hpp"
#include "linux/mount_tree.hpp"
#include "test_support.hpp"

TEST_CASE("clone: a child cloned into a joined user namespace owns its new namespaces and is our child") {
    if (::geteuid() != 0) {
        MESSAGE("skipped: needs root (a user namespace mapped to host ids)");
        return;
    }
    hull::UniqueFd userns = hull::sys::make_user_namespace("0 100000 1\n", "0 100000 1\n");
    // Root of the joined namespace may set the hostname only if the new uts
    // namespace is owned by it; the host's root would have been refused there.
    auto child = hull::sys::clone_child_in_user_namespace(userns.get(), CLONE_NEWUTS, -1, [] {
        if (::setresgid(0, 0, 0) != 0 || ::setresuid(0, 0, 0) != 0) return 3;
        return ::sethostname("hulltest", 8) == 0 ? 0 : 4;
    });
    REQUIRE(child.pid() > 0);
    CHECK(child.pidfd() >= 0);
    int status = child.wait();  // ours to reap (CLONE_PARENT)
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
}

TEST_CASE("clone: a namespace fd that is not a user namespace fails naming the step") {
    hull::UniqueFd uts(::open("/proc/self/ns/uts", O_RDONLY | O_CLOEXEC));
    REQUIRE(uts.valid());
    std::string error = hull::test::error_of([&] {
        hull::sys::clone_child_in_user_namespace(uts.get(), CLONE_NEWNS, -1, [] { return 0; });
    });
    CHECK(error.find("join the user namespace") != std::string::npos);
}
