#include "core/default_spec.hpp"

#include <array>
#include <string_view>
#include <vector>

#include "oci/json.hpp"

namespace hull::core {
namespace {

using oci::json::Writer;

constexpr std::array<std::string_view, 3> kDefaultCaps = {"CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"};
constexpr std::array<std::string_view, 10> kMaskedPaths = {
    "/proc/acpi",      "/proc/asound",    "/proc/kcore",        "/proc/keys",      "/proc/latency_stats",
    "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/sys/firmware", "/proc/scsi"};
constexpr std::array<std::string_view, 5> kReadonlyPaths = {"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
                                                            "/proc/sysrq-trigger"};

template <typename Strings>
void string_array(Writer& w, std::string_view key, const Strings& values) {
    w.key(key).begin_array();
    for (const auto& v : values) w.string(v);
    w.end_array();
}

void write_process(Writer& w) {
    w.key("process").begin_object();
    w.key("terminal").boolean(true);
    w.key("user").begin_object().key("uid").integer(0).key("gid").integer(0).end_object();
    string_array(w, "args", std::array<std::string_view, 1>{"sh"});
    string_array(w, "env", std::array<std::string_view, 2>{
                               "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm"});
    w.key("cwd").string("/");
    w.key("capabilities").begin_object();
    for (auto set : {"bounding", "effective", "permitted", "ambient"}) string_array(w, set, kDefaultCaps);
    w.end_object();
    w.key("rlimits").begin_array();
    w.begin_object().key("type").string("RLIMIT_NOFILE").key("hard").integer(1024).key("soft").integer(1024).end_object();
    w.end_array();
    w.key("noNewPrivileges").boolean(true);
    w.end_object();
}

struct MountEntry {
    std::string_view destination, type, source;
    std::vector<std::string_view> options;
};

std::vector<MountEntry> default_mounts(bool rootless) {
    std::vector<MountEntry> mounts = {
        {"/proc", "proc", "proc", {}},
        {"/dev", "tmpfs", "tmpfs", {"nosuid", "strictatime", "mode=755", "size=65536k"}},
        {"/dev/pts", "devpts", "devpts", {"nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"}},
        {"/dev/shm", "tmpfs", "shm", {"nosuid", "noexec", "nodev", "mode=1777", "size=65536k"}},
        {"/dev/mqueue", "mqueue", "mqueue", {"nosuid", "noexec", "nodev"}},
        {"/sys", "sysfs", "sysfs", {"nosuid", "noexec", "nodev", "ro"}},
        {"/sys/fs/cgroup", "cgroup", "cgroup", {"nosuid", "noexec", "nodev", "relatime", "ro"}},
    };
    if (rootless) {
        // As runc's ToRootless: no gid=5 (unmapped), /sys bound from the host
        // (sysfs needs a network namespace we do not own); the cgroup mount stays, as runc 1.1 keeps it.
        mounts[2].options = {"nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620"};
        mounts[5] = {"/sys", "none", "/sys", {"rbind", "nosuid", "noexec", "nodev", "ro"}};
    }
    return mounts;
}

void write_mounts(Writer& w, bool rootless) {
    w.key("mounts").begin_array();
    for (const auto& m : default_mounts(rootless)) {
        w.begin_object().key("destination").string(m.destination).key("type").string(m.type);
        w.key("source").string(m.source);
        if (!m.options.empty()) string_array(w, "options", m.options);
        w.end_object();
    }
    w.end_array();
}

void write_id_mapping(Writer& w, std::string_view key, std::uint32_t host_id) {
    w.key(key).begin_array().begin_object();
    w.key("containerID").integer(0).key("hostID").integer(host_id).key("size").integer(1);
    w.end_object().end_array();
}

void write_linux(Writer& w, const DefaultSpecOptions& o) {
    w.key("linux").begin_object();
    if (o.rootless) {
        write_id_mapping(w, "uidMappings", o.uid);
        write_id_mapping(w, "gidMappings", o.gid);
    } else {
        w.key("resources").begin_object().key("devices").begin_array();
        w.begin_object().key("allow").boolean(false).key("access").string("rwm").end_object();
        w.end_array().end_object();
    }
    std::vector<std::string_view> namespaces = {"pid", "network", "ipc", "uts", "mount"};
    if (o.rootless) namespaces = {"pid", "ipc", "uts", "mount", "user"};
    w.key("namespaces").begin_array();
    for (auto ns : namespaces) w.begin_object().key("type").string(ns).end_object();
    w.end_array();
    string_array(w, "maskedPaths", kMaskedPaths);
    string_array(w, "readonlyPaths", kReadonlyPaths);
    w.end_object();
}

}  // namespace

std::string default_spec_json(const DefaultSpecOptions& options) {
    Writer w(oci::json::WriteOptions{true});
    w.begin_object();
    w.key("ociVersion").string("1.3.0");
    write_process(w);
    w.key("root").begin_object().key("path").string("rootfs").key("readonly").boolean(true).end_object();
    w.key("hostname").string("hull");
    write_mounts(w, options.rootless);
    write_linux(w, options);
    w.end_object();
    return w.str();
}

}  // namespace hull::core
