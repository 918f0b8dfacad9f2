#include "core/features.hpp"

#include "build_config.hpp"
#include "linux/capabilities.hpp"
#include "linux/mount_options.hpp"
#include "linux/mount_tree.hpp"
#include "linux/namespaces.hpp"
#include "linux/seccomp/support.hpp"

namespace hull::core {
namespace {

oci::json::Member annotation(std::string key, std::string value) {
    return oci::json::Member{std::move(key), oci::json::Value::string(std::move(value))};
}

oci::SeccompFeatures seccomp_features() {
    sys::seccomp::Support support = sys::seccomp::support();
    oci::SeccompFeatures f;
    f.enabled = support.available;
    f.actions = support.actions;
    f.operators = support.operators;
    f.archs = support.archs;
    f.known_flags = support.known_flags;
    f.supported_flags = support.supported_flags;
    return f;
}

oci::LinuxFeatures linux_features() {
    oci::LinuxFeatures l;
    std::vector<std::string> namespaces;
    for (const auto& kind : sys::namespace_kinds()) namespaces.emplace_back(kind.spec_name);
    l.namespaces = namespaces;
    l.capabilities = sys::all_capability_names();
    // cgroupfs v1 (and hybrid) and v2; systemd where the driver is built
    // (dynamic builds: it loads libsystemd at run time). No user-bus mode.
    l.cgroup = oci::CgroupFeatures{true, true, HULL_HAVE_SYSTEMD != 0, false, true, {}};
    l.seccomp = seccomp_features();
    // Whether hull can apply them (features-linux.md: "irrelevant to the
    // availability of AppArmor on the host"); runc says true for both too.
    // A host without them refuses the fields at create (linux/lsm.hpp).
    l.apparmor = oci::EnabledFeature{true, {}};
    l.selinux = oci::EnabledFeature{true, {}};
    l.intel_rdt = oci::IntelRdtFeatures{false, false, false, {}};
    l.memory_policy = oci::MemoryPolicyFeatures{std::vector<std::string>{}, std::vector<std::string>{}, {}};
    l.mount_extensions = oci::MountExtensionsFeatures{oci::EnabledFeature{sys::idmapped_mounts_supported(), {}}, {}};
    l.net_devices = oci::EnabledFeature{false, {}};
    return l;
}

}  // namespace

oci::Features runtime_features() {
    oci::Features f;
    f.oci_version_min = "1.0.0";
    f.oci_version_max = "1.3.0";
    f.hooks = std::vector<std::string>{"prestart", "createRuntime", "createContainer", "startContainer",
                                       "poststart", "poststop"};
    f.mount_options = sys::known_mount_options();
    f.linux = linux_features();
    sys::seccomp::Support seccomp = sys::seccomp::support();
    if (seccomp.available) f.annotations.push_back(annotation("io.github.seccomp.libseccomp.version", seccomp.version));
    f.annotations.push_back(annotation("org.hull.version", HULL_VERSION));
    return f;
}

}  // namespace hull::core
