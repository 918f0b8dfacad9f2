// The features document (features.md, features-linux.md): what this runtime
// recognizes, as `features` prints it. Every field is optional: absent means
// "unknown", not "unsupported" (features.md), so std::optional throughout.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "oci/json.hpp"

namespace hull::oci {

using StringList = std::optional<std::vector<std::string>>;

struct EnabledFeature {  // {"enabled": bool}: apparmor, selinux, netDevices, mountExtensions.idmap
    std::optional<bool> enabled;
    json::Object extra;
    bool operator==(const EnabledFeature&) const = default;
};

struct CgroupFeatures {
    std::optional<bool> v1, v2, systemd, systemd_user, rdma;
    json::Object extra;
    bool operator==(const CgroupFeatures&) const = default;
};

struct SeccompFeatures {
    std::optional<bool> enabled;
    StringList actions, operators, archs, known_flags, supported_flags;
    json::Object extra;
    bool operator==(const SeccompFeatures&) const = default;
};

struct IntelRdtFeatures {
    std::optional<bool> enabled, schemata, monitoring;
    json::Object extra;
    bool operator==(const IntelRdtFeatures&) const = default;
};

struct MemoryPolicyFeatures {
    StringList modes, flags;
    json::Object extra;
    bool operator==(const MemoryPolicyFeatures&) const = default;
};

struct MountExtensionsFeatures {
    std::optional<EnabledFeature> idmap;
    json::Object extra;
    bool operator==(const MountExtensionsFeatures&) const = default;
};

struct LinuxFeatures {
    StringList namespaces, capabilities;
    std::optional<CgroupFeatures> cgroup;
    std::optional<SeccompFeatures> seccomp;
    std::optional<EnabledFeature> apparmor, selinux;
    std::optional<MemoryPolicyFeatures> memory_policy;
    std::optional<IntelRdtFeatures> intel_rdt;
    std::optional<MountExtensionsFeatures> mount_extensions;
    std::optional<EnabledFeature> net_devices;
    json::Object extra;
    bool operator==(const LinuxFeatures&) const = default;
};

struct Features {
    std::string oci_version_min, oci_version_max;  // REQUIRED (features.md)
    StringList hooks, mount_options;
    std::optional<LinuxFeatures> linux;
    json::Object annotations;  // string values, document order
    StringList potentially_unsafe_config_annotations;
    json::Object extra;
    bool operator==(const Features&) const = default;
};

Features parse_features(const json::Value& doc);
void write_features(json::Writer& w, const Features& features);
// Pretty (two-space indent, no trailing newline) as runc's `features`.
std::string features_to_json(const Features& features);

}  // namespace hull::oci
