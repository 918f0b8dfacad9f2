// Shared by the device rule and device filter tests: OCI rules written
// briefly, and the policy of a list without runc's defaults.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "linux/cgroup/device_rules.hpp"

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

}  // namespace hull::test
