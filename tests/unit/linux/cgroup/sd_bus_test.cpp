// Loading sd-bus at run time: every function hull calls resolves from the
// host's libsystemd, and each way of failing says what is missing.
#include <doctest/doctest.h>

#include <filesystem>

#include "../test_support.hpp"
#include "build_config.hpp"
#include "linux/cgroup/sd_bus.hpp"

using namespace hull::sys::cgroup;
using hull::test::error_of;

#if HULL_HAVE_SYSTEMD

TEST_CASE("sd_bus: every function hull calls resolves from libsystemd.so.0") {
    // Debian's libsystemd0 is a dependency of systemd, apt and udev alike; a
    // host without it cannot tell whether a symbol name is misspelt.
    if (!std::filesystem::exists("/usr/lib/x86_64-linux-gnu/libsystemd.so.0") &&
        !std::filesystem::exists("/lib/x86_64-linux-gnu/libsystemd.so.0")) {
        MESSAGE("SKIPPED: no libsystemd.so.0 on this host");
        return;
    }
    CHECK(error_of([] { load_sd_bus(); }).empty());
}

TEST_CASE("sd_bus: a missing library is named with dlerror's reason") {
    std::string e = error_of([] { load_sd_bus("libhull-test-no-such-library.so.0"); });
    CHECK(e.find("the systemd cgroup driver needs libhull-test-no-such-library.so.0: ") == 0);
    CHECK(e.find("No such file") != std::string::npos);
}

TEST_CASE("sd_bus: a library without sd-bus is refused, naming the first missing function") {
    std::string e = error_of([] { load_sd_bus("libc.so.6"); });
    CHECK(e.find("the systemd cgroup driver needs libc.so.6: ") == 0);
    CHECK(e.find("sd_bus_open_system") != std::string::npos);
}

#else

TEST_CASE("sd_bus: a build without the driver says so") {
    CHECK(error_of([] { load_sd_bus(); }).find("hull was built without the systemd cgroup driver") == 0);
    CHECK(error_of([] {
              Bus::system(std::chrono::seconds(1));
          }).find("hull was built without the systemd cgroup driver") == 0);
}

#endif

TEST_CASE("sd_bus: without systemd as init, opening the bus says systemd is not running") {
    if (!HULL_HAVE_SYSTEMD || systemd_running()) {
        MESSAGE((HULL_HAVE_SYSTEMD ? "SKIPPED: systemd runs here" : "SKIPPED: the driver is not built"));
        return;
    }
    CHECK(error_of([] { Bus::system(std::chrono::seconds(1)); }) == "systemd is not running (no /run/systemd/system)");
}
