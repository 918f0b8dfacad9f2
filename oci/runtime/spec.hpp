// config.json as C++ types: the whole Linux part of runtime-spec v1.3
// (config.md, config-linux.md). Optional fields are std::optional so that
// "absent" and "zero" differ (update treats zero as unchanged). Every object
// keeps the members hull does not know in `extra`, and writes them back, so
// a document read and written again round-trips.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "oci/json.hpp"

namespace hull::oci {

using StringMap = std::vector<std::pair<std::string, std::string>>;  // document order

struct IdMapping {
    std::uint32_t container_id = 0;
    std::uint32_t host_id = 0;
    std::uint32_t size = 0;
    json::Object extra;
    bool operator==(const IdMapping&) const = default;
};

struct Root {
    std::string path;
    std::optional<bool> readonly;
    json::Object extra;
    bool operator==(const Root&) const = default;
};

struct Mount {
    std::string destination;
    std::optional<std::string> type;
    std::optional<std::string> source;
    std::optional<std::vector<std::string>> options;
    std::vector<IdMapping> uid_mappings;
    std::vector<IdMapping> gid_mappings;
    json::Object extra;
    bool operator==(const Mount&) const = default;
};

struct ConsoleSize {
    std::uint32_t height = 0;
    std::uint32_t width = 0;
    json::Object extra;
    bool operator==(const ConsoleSize&) const = default;
};

struct User {
    std::uint32_t uid = 0;
    std::uint32_t gid = 0;
    std::optional<std::uint32_t> umask;
    std::vector<std::uint32_t> additional_gids;
    std::optional<std::string> username;
    json::Object extra;
    bool operator==(const User&) const = default;
};

struct Capabilities {
    std::optional<std::vector<std::string>> bounding, effective, inheritable, permitted, ambient;
    json::Object extra;
    bool operator==(const Capabilities&) const = default;
};

struct Rlimit {
    std::string type;
    std::uint64_t soft = 0;
    std::uint64_t hard = 0;
    json::Object extra;
    bool operator==(const Rlimit&) const = default;
};

struct Scheduler {
    std::string policy;
    std::optional<std::int32_t> nice;
    std::optional<std::int32_t> priority;
    std::optional<std::vector<std::string>> flags;
    std::optional<std::uint64_t> runtime, deadline, period;
    json::Object extra;
    bool operator==(const Scheduler&) const = default;
};

struct IoPriority {
    std::string io_class;  // "class" in JSON
    std::int32_t priority = 0;
    json::Object extra;
    bool operator==(const IoPriority&) const = default;
};

struct ExecCpuAffinity {
    std::optional<std::string> initial;
    std::optional<std::string> final_;  // "final" in JSON
    json::Object extra;
    bool operator==(const ExecCpuAffinity&) const = default;
};

struct Process {
    std::optional<bool> terminal;
    std::optional<ConsoleSize> console_size;
    User user;
    std::vector<std::string> args;
    std::optional<std::string> command_line;
    std::vector<std::string> env;
    std::string cwd;
    std::optional<Capabilities> capabilities;
    std::vector<Rlimit> rlimits;
    std::optional<std::string> apparmor_profile;
    std::optional<std::string> selinux_label;
    std::optional<bool> no_new_privileges;
    std::optional<std::int32_t> oom_score_adj;
    std::optional<Scheduler> scheduler;
    std::optional<IoPriority> io_priority;
    std::optional<ExecCpuAffinity> exec_cpu_affinity;
    json::Object extra;
    bool operator==(const Process&) const = default;
};

struct Hook {
    std::string path;
    std::optional<std::vector<std::string>> args;
    std::optional<std::vector<std::string>> env;
    std::optional<std::int64_t> timeout;
    json::Object extra;
    bool operator==(const Hook&) const = default;
};

struct Hooks {
    std::vector<Hook> prestart, create_runtime, create_container, start_container, poststart, poststop;
    json::Object extra;
    bool operator==(const Hooks&) const = default;
};

struct Namespace {
    std::string type;
    std::optional<std::string> path;
    json::Object extra;
    bool operator==(const Namespace&) const = default;
};

struct TimeOffset {
    std::optional<std::int64_t> secs;
    std::optional<std::uint32_t> nanosecs;
    json::Object extra;
    bool operator==(const TimeOffset&) const = default;
};

struct Device {
    std::string type;
    std::string path;
    std::optional<std::int64_t> major, minor;
    std::optional<std::uint32_t> file_mode, uid, gid;
    json::Object extra;
    bool operator==(const Device&) const = default;
};

struct NetDevice {
    std::optional<std::string> name;
    json::Object extra;
    bool operator==(const NetDevice&) const = default;
};

struct DeviceRule {
    bool allow = false;
    std::optional<std::string> type;
    std::optional<std::int64_t> major, minor;
    std::optional<std::string> access;
    json::Object extra;
    bool operator==(const DeviceRule&) const = default;
};

struct Memory {
    std::optional<std::int64_t> limit, reservation, swap, kernel, kernel_tcp;
    std::optional<std::uint64_t> swappiness;
    std::optional<bool> disable_oom_killer, use_hierarchy, check_before_update;
    json::Object extra;
    bool operator==(const Memory&) const = default;
};

struct Cpu {
    std::optional<std::uint64_t> shares;
    std::optional<std::int64_t> quota;
    std::optional<std::uint64_t> burst, period;
    std::optional<std::int64_t> realtime_runtime;
    std::optional<std::uint64_t> realtime_period;
    std::optional<std::string> cpus, mems;
    std::optional<std::int64_t> idle;
    json::Object extra;
    bool operator==(const Cpu&) const = default;
};

struct Pids {
    std::optional<std::int64_t> limit;
    json::Object extra;
    bool operator==(const Pids&) const = default;
};

struct WeightDevice {
    std::int64_t major = 0, minor = 0;
    std::optional<std::uint16_t> weight, leaf_weight;
    json::Object extra;
    bool operator==(const WeightDevice&) const = default;
};

struct ThrottleDevice {
    std::int64_t major = 0, minor = 0;
    std::uint64_t rate = 0;
    json::Object extra;
    bool operator==(const ThrottleDevice&) const = default;
};

struct BlockIo {
    std::optional<std::uint16_t> weight, leaf_weight;
    std::vector<WeightDevice> weight_device;
    std::vector<ThrottleDevice> throttle_read_bps_device, throttle_write_bps_device, throttle_read_iops_device,
        throttle_write_iops_device;
    json::Object extra;
    bool operator==(const BlockIo&) const = default;
};

struct HugepageLimit {
    std::string page_size;
    std::uint64_t limit = 0;
    json::Object extra;
    bool operator==(const HugepageLimit&) const = default;
};

struct NetPriority {
    std::string name;
    std::uint32_t priority = 0;
    json::Object extra;
    bool operator==(const NetPriority&) const = default;
};

struct Network {
    std::optional<std::uint32_t> class_id;
    std::vector<NetPriority> priorities;
    json::Object extra;
    bool operator==(const Network&) const = default;
};

struct Rdma {
    std::optional<std::uint32_t> hca_handles, hca_objects;
    json::Object extra;
    bool operator==(const Rdma&) const = default;
};

struct Resources {
    std::vector<DeviceRule> devices;
    std::optional<Memory> memory;
    std::optional<Cpu> cpu;
    std::optional<Pids> pids;
    std::optional<BlockIo> block_io;
    std::vector<HugepageLimit> hugepage_limits;
    std::optional<Network> network;
    std::vector<std::pair<std::string, Rdma>> rdma;
    StringMap unified;
    json::Object extra;
    bool operator==(const Resources&) const = default;
};

struct IntelRdt {
    std::optional<std::string> clos_id, l3_cache_schema, mem_bw_schema;
    std::optional<std::vector<std::string>> schemata;
    std::optional<bool> enable_monitoring;
    json::Object extra;
    bool operator==(const IntelRdt&) const = default;
};

struct MemoryPolicy {
    std::string mode;
    std::optional<std::string> nodes;
    std::optional<std::vector<std::string>> flags;
    json::Object extra;
    bool operator==(const MemoryPolicy&) const = default;
};

struct SeccompArg {
    std::uint32_t index = 0;
    std::uint64_t value = 0;
    std::optional<std::uint64_t> value_two;
    std::string op;
    json::Object extra;
    bool operator==(const SeccompArg&) const = default;
};

struct SeccompSyscall {
    std::vector<std::string> names;
    std::string action;
    std::optional<std::uint32_t> errno_ret;
    std::vector<SeccompArg> args;
    json::Object extra;
    bool operator==(const SeccompSyscall&) const = default;
};

struct Seccomp {
    std::string default_action;
    std::optional<std::uint32_t> default_errno_ret;
    std::optional<std::vector<std::string>> architectures;
    std::optional<std::vector<std::string>> flags;
    std::optional<std::string> listener_path;
    std::optional<std::string> listener_metadata;
    std::vector<SeccompSyscall> syscalls;
    json::Object extra;
    bool operator==(const Seccomp&) const = default;
};

struct Personality {
    std::string domain;
    std::optional<std::vector<std::string>> flags;
    json::Object extra;
    bool operator==(const Personality&) const = default;
};

struct Linux {
    std::vector<Namespace> namespaces;
    std::vector<IdMapping> uid_mappings, gid_mappings;
    std::vector<std::pair<std::string, TimeOffset>> time_offsets;
    std::vector<Device> devices;
    std::vector<std::pair<std::string, NetDevice>> net_devices;
    std::optional<std::string> cgroups_path;
    std::optional<Resources> resources;
    std::optional<IntelRdt> intel_rdt;
    std::optional<MemoryPolicy> memory_policy;
    StringMap sysctl;
    std::optional<Seccomp> seccomp;
    std::optional<std::string> rootfs_propagation;
    std::vector<std::string> masked_paths, readonly_paths;
    std::optional<std::string> mount_label;
    std::optional<Personality> personality;
    json::Object extra;
    bool operator==(const Linux&) const = default;
};

struct Spec {
    std::string oci_version;
    std::optional<Root> root;
    std::vector<Mount> mounts;
    std::optional<Process> process;
    std::optional<std::string> hostname;
    std::optional<std::string> domainname;
    std::optional<Hooks> hooks;
    json::Object annotations;  // string values, document order
    std::optional<Linux> linux;
    json::Object extra;
    bool operator==(const Spec&) const = default;
};

// Parses a config.json document; errors name the JSON path.
Spec parse_spec(const json::Value& doc);
// Reads and parses a file; errors are prefixed with "config.json: ".
Spec load_spec(const std::string& path);
// The two halves of load_spec, for a caller that keeps the bytes it parsed:
// the file's text (size-limited), and its parse with errors prefixed "NAME: ".
std::string read_spec_text(const std::string& path);
Spec parse_spec_text(std::string_view text, const std::string& name);
// The hooks object alone (config.md "POSIX-platform Hooks").
Hooks parse_hooks(const json::Reader& reader);
void write_hooks(json::Writer& w, const Hooks& hooks);
// A process.json as `exec --process` takes it (config.md "Process" alone);
// errors are prefixed with the path.
Process load_process(const std::string& path);
// Its parse of the file's text, errors prefixed "NAME: ".
Process parse_process_text(std::string_view text, const std::string& name);
void write_spec(json::Writer& w, const Spec& spec);
std::string spec_to_json(const Spec& spec, bool pretty);

// Resources alone, as `update --resources` reads them (LinuxResources).
Resources parse_resources(const json::Reader& reader);
void write_resources(json::Writer& w, const Resources& resources);

}  // namespace hull::oci
