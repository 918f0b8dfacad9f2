// Shared by the device rule and device filter tests: OCI rules written
// briefly, the policy of a list without runc's defaults, and an open() tried
// from inside a cgroup.
#pragma once

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <optional>
#include <string>
#include <vector>

#include "../test_support.hpp"
#include "linux/cgroup/device_rules.hpp"
#include "util/unique_fd.hpp"

namespace hull::test {

constexpr auto kAny = sys::cgroup::kAnyDeviceNumber;
constexpr unsigned kR = sys::cgroup::kDeviceRead, kW = sys::cgroup::kDeviceWrite, kM = sys::cgroup::kDeviceMknod,
                   kRWM = sys::cgroup::kDeviceAllAccess;

// {"allow": allow, "type": type, "major": major, "minor": minor, "access": access}, absent when nullopt.
inline oci::DeviceRule oci_rule(bool allow, std::optional<std::string> type = std::nullopt,
                                std::optional<std::int64_t> major = std::nullopt,
                                std::optional<std::int64_t> minor = std::nullopt,
                                std::optional<std::string> access = std::nullopt) {
    oci::DeviceRule d;
    d.allow = allow;
    d.type = std::move(type);
    d.major = major;
    d.minor = minor;
    d.access = std::move(access);
    return d;
}

// The policy of rules alone, without runc's defaults.
inline sys::cgroup::DevicePolicy policy_of(const std::vector<oci::DeviceRule>& rules) {
    return sys::cgroup::device_policy(sys::cgroup::normalize_device_rules(rules), rules.size());
}

// What a process moved into the cgroup (v1 or v2 directory) gets from
// open(path, flags): 0 opened, 1 EPERM, 2 another error, 3 could not join.
inline int open_in_cgroup(const std::string& cgroup, const char* path, int flags) {
    return in_child([&] {
        UniqueFd procs(::open((cgroup + "/cgroup.procs").c_str(), O_WRONLY | O_CLOEXEC));
        if (!procs || ::write(procs.get(), "0", 1) != 1) return 3;
        UniqueFd fd(::open(path, flags | O_CLOEXEC));
        if (fd) return 0;
        return errno == EPERM ? 1 : 2;
    });
}

}  // namespace hull::test
