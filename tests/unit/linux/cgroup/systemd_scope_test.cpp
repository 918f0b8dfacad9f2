// The D-Bus side of the systemd driver. The version parsing runs anywhere;
// the transient scope needs systemd as PID 1 and root, so on the project's
// machines it runs in the VM lane (VM_INIT=systemd) and is skipped loudly here.
#include <doctest/doctest.h>

#include <signal.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include <fmt/format.h>
#include <linux/magic.h>

#include "../test_support.hpp"
#include "linux/cgroup/systemd_scope.hpp"
#include "util/files.hpp"
#include "util/scope_exit.hpp"
#include "util/strings.hpp"

using namespace hull::sys::cgroup;
using hull::test::error_of;

TEST_CASE("parse_systemd_version: the leading number, as runc's systemdVersionAtoi") {
    CHECK(parse_systemd_version("\"219\"") == 219);
    CHECK(parse_systemd_version("\"v245.4-1.fc32\"") == 245);
    CHECK(parse_systemd_version("\"241-1\"") == 241);
    CHECK(parse_systemd_version("\"v241-1\"") == 241);
    CHECK(parse_systemd_version("333.45\"") == 333);
    CHECK(parse_systemd_version("v321-0") == 321);
    CHECK(parse_systemd_version("252.38-1~deb12u1") == 252);
    CHECK(parse_systemd_version("NaN") == -1);
    CHECK(parse_systemd_version("") == -1);
    CHECK(parse_systemd_version("v") == -1);
}

namespace {

constexpr std::chrono::seconds kTimeout{120};  // TCG makes systemd some 20 times slower

bool unified_host() {
    struct statfs st {};
    return ::statfs("/sys/fs/cgroup", &st) == 0 && st.f_type == CGROUP2_SUPER_MAGIC;
}

std::string trimmed(const std::string& path) {
    std::string s = hull::util::read_file(path, 4096);
    while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
    return s;
}

// The pid's cgroup in the v2 hierarchy, or in name=systemd on v1 hosts.
std::string cgroup_of(pid_t pid) {
    for (const auto& line : hull::util::split(trimmed(fmt::format("/proc/{}/cgroup", pid)), '\n')) {
        if (line.rfind("0::", 0) == 0 && unified_host()) return line.substr(3);
        auto at = line.find(":name=systemd:");
        if (at != std::string::npos) return line.substr(at + 14);
    }
    return "";
}

pid_t spawn_sleeper() {
    pid_t pid = ::fork();
    if (pid == 0) {
        for (;;) ::pause();
    }
    REQUIRE(pid > 0);
    return pid;
}

void reap(pid_t pid) {
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
}

}  // namespace

TEST_CASE("systemd scope: StartTransientUnit puts the pid in a scope with its limits; update changes them") {
    if (!systemd_running() || ::geteuid() != 0) {
        MESSAGE("SKIPPED: needs systemd as PID 1 and root; runs in the VM lane (VM_INIT=systemd)");
        return;
    }
    Bus bus = Bus::system(kTimeout);
    SystemdHost host{.cgroup_v2 = unified_host(), .version = systemd_version(bus, kTimeout)};
    MESSAGE(fmt::format("systemd {} on a {} host", host.version, host.cgroup_v2 ? "cgroup v2" : "cgroup v1"));
    CHECK(host.version > 200);

    pid_t child = spawn_sleeper();
    hull::ScopeExit kill_child([&] { reap(child); });
    SystemdPath path = parse_systemd_path(fmt::format("system.slice:hull-unit-test:{}", ::getpid()), "x");
    hull::oci::Resources r;
    r.memory = hull::oci::Memory{};
    r.memory->limit = 64 << 20;
    r.pids = hull::oci::Pids{};
    r.pids->limit = 50;

    auto properties = scope_properties(path, child, r, host);
    if (host.cgroup_v2) {
        // The device properties are v1's; sent here too so the VM lane checks
        // their a(ss) encoding against systemd (the sleeper opens no device).
        auto devices = device_properties(container_device_policy({}), SystemdHost{.cgroup_v2 = false, .version = 252});
        REQUIRE(devices.size() == 3);
        properties.insert(properties.end(), devices.begin(), devices.end());
    }
    start_transient_unit(bus, path.unit, properties, kTimeout);
    CHECK(cgroup_of(child) == path.cgroup);
    CHECK(unit_control_group(bus, path.unit, kTimeout) == path.cgroup);
    std::string dir = (host.cgroup_v2 ? "/sys/fs/cgroup" : "/sys/fs/cgroup/memory") + path.cgroup;
    if (host.cgroup_v2) {
        CHECK(trimmed(dir + "/memory.max") == "67108864");
        CHECK(trimmed(dir + "/pids.max") == "50");
    }

    // A second start of a live unit fails with systemd's reason.
    std::string e =
        error_of([&] { start_transient_unit(bus, path.unit, scope_properties(path, child, r, host), kTimeout); });
    CHECK(e.find("org.freedesktop.systemd1.UnitExists") != std::string::npos);

    // `update`: SetUnitProperties changes a live limit.
    hull::oci::Resources update;
    update.memory = hull::oci::Memory{};
    update.memory->limit = 32 << 20;
    set_unit_properties(bus, path.unit, resource_properties(update, host), kTimeout);
    if (host.cgroup_v2) CHECK(trimmed(dir + "/memory.max") == "33554432");

    // No StopUnit (runc#2880): once its last process is gone, systemd
    // removes the scope and its cgroup by itself.
    kill_child.dismiss();
    reap(child);
    auto deadline = std::chrono::steady_clock::now() + kTimeout;
    while (std::filesystem::exists(dir) && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    CHECK_FALSE(std::filesystem::exists(dir));
}

TEST_CASE("systemd scope: a property systemd refuses fails the start with systemd's message") {
    if (!systemd_running() || ::geteuid() != 0) {
        MESSAGE("SKIPPED: needs systemd as PID 1 and root; runs in the VM lane (VM_INIT=systemd)");
        return;
    }
    Bus bus = Bus::system(kTimeout);
    pid_t child = spawn_sleeper();
    hull::ScopeExit kill_child([&] { reap(child); });
    SystemdPath path = parse_systemd_path(fmt::format("system.slice:hull-unit-test:bad-{}", ::getpid()), "x");
    auto properties = scope_properties(path, child, {}, SystemdHost{.cgroup_v2 = unified_host(), .version = 252});
    properties.push_back({"HullNoSuchProperty", true});
    std::string e = error_of([&] { start_transient_unit(bus, path.unit, properties, kTimeout); });
    CHECK(e.find("systemd StartTransientUnit " + path.unit) == 0);
    CHECK(e.find("HullNoSuchProperty") != std::string::npos);
}
