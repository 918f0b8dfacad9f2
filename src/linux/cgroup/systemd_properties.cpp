#include "linux/cgroup/systemd_properties.hpp"

#include <algorithm>
#include <charconv>
#include <limits>

#include <fmt/format.h>

#include "linux/cgroup/convert.hpp"
#include "util/error.hpp"
#include "util/strings.hpp"

namespace hull::sys::cgroup {
namespace {

constexpr std::uint64_t kInfinity = std::numeric_limits<std::uint64_t>::max();  // systemd's CGROUP_LIMIT_MAX
constexpr std::uint64_t kDefaultPeriod = 100000;  // the kernel's CFS period, us (v1 and v2)
// The systemd versions that first took these properties.
constexpr int kDeviceNumberPathVersion = 240;  // "char-MAJOR", and /dev/char/M:m without stat(2)
constexpr int kCpuQuotaPeriodVersion = 242;
constexpr int kAllowedCpusVersion = 244;
constexpr int kCpuIdleVersion = 252;

UnitProperty u64(std::string name, std::uint64_t v) { return {std::move(name), v}; }

UnitProperty flag(std::string name, bool v) { return {std::move(name), v}; }

std::string_view trim(std::string_view s) {
    constexpr std::string_view kSpace = " \t\n\r\v\f";
    auto begin = s.find_first_not_of(kSpace);
    if (begin == std::string_view::npos) return {};
    return s.substr(begin, s.find_last_not_of(kSpace) - begin + 1);
}

// Decimal only, as Go's strconv.Parse* with base 10: no "0x", no sign.
template <typename T>
std::optional<T> parse_decimal(std::string_view s) {
    T value{};
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (s.empty() || ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
    return value;
}

void add_cpu_quota(std::vector<UnitProperty>& out, std::int64_t quota, std::uint64_t period, const SystemdHost& host) {
    if (period != 0 && host.version >= kCpuQuotaPeriodVersion) out.push_back(u64("CPUQuotaPeriodUSec", period));
    if (quota != 0 || period != 0)
        out.push_back(u64("CPUQuotaPerSecUSec", systemd_cpu_quota(quota, period).per_sec_usec));
}

void add_cpuset(std::vector<UnitProperty>& out, const oci::Cpu& cpu, const SystemdHost& host) {
    if (host.version < kAllowedCpusVersion) return;
    if (cpu.cpus && !cpu.cpus->empty()) {
        out.push_back({"AllowedCPUs", cpuset_mask(*cpu.cpus, "linux.resources.cpu.cpus")});
    }
    if (cpu.mems && !cpu.mems->empty()) {
        out.push_back({"AllowedMemoryNodes", cpuset_mask(*cpu.mems, "linux.resources.cpu.mems")});
    }
}

void add_pids(std::vector<UnitProperty>& out, const oci::Resources& r) {
    // 0 and other negatives mean "unset" to runc; -1 is "max".
    if (r.pids && r.pids->limit && (*r.pids->limit > 0 || *r.pids->limit == -1)) {
        out.push_back(u64("TasksMax", static_cast<std::uint64_t>(*r.pids->limit)));
    }
}

std::uint64_t unified_limit(std::string_view key, std::string_view value) {
    if (value == "max") return kInfinity;
    auto n = parse_decimal<std::uint64_t>(value);
    if (!n)
        throw_error("linux.resources.unified[{}] {}: expected a number or \"max\"", util::quote(key),
                    util::quote(value));
    return *n;
}

bool unified_cpu_idle(const oci::Resources& r, const SystemdHost& host) {
    for (const auto& [key, value] : r.unified) {
        if (key == "cpu.idle") return trim(value) == "1" && host.version >= kCpuIdleVersion;
    }
    return false;
}

// The memory.* files systemd has a property for; nullptr for the others.
const char* memory_property(std::string_view file) {
    static constexpr std::pair<std::string_view, const char*> kNames[] = {
        {"memory.high", "MemoryHigh"}, {"memory.low", "MemoryLow"},          {"memory.min", "MemoryMin"},
        {"memory.max", "MemoryMax"},   {"memory.swap.max", "MemorySwapMax"},
    };
    for (const auto& [name, property] : kNames) {
        if (file == name) return property;
    }
    return nullptr;
}

// cpu.max "QUOTA [PERIOD]", QUOTA a number or "max", fields split by blanks.
void add_unified_cpu_max(std::vector<UnitProperty>& out, std::string_view raw, const SystemdHost& host) {
    std::vector<std::string_view> fields;
    for (std::string_view rest = trim(raw); !rest.empty(); rest = trim(rest)) {
        auto end = std::min(rest.find_first_of(" \t"), rest.size());
        fields.push_back(rest.substr(0, end));
        rest.remove_prefix(end);
    }
    std::optional<std::int64_t> quota;
    std::optional<std::uint64_t> period = kDefaultPeriod;
    if (!fields.empty()) quota = fields[0] == "max" ? 0 : parse_decimal<std::int64_t>(fields[0]);
    if (fields.size() == 2) period = parse_decimal<std::uint64_t>(fields[1]);
    if (!quota || !period || fields.size() > 2) {
        throw_error("linux.resources.unified[\"cpu.max\"] {}: expected \"QUOTA [PERIOD]\" in microseconds",
                    util::quote(raw));
    }
    add_cpu_quota(out, *quota, *period, host);
}

// unified (cgroup v2 file → value) into the properties systemd has for
// them; other keys are only written to cgroupfs. runc's unifiedResToSystemdProps.
void add_unified(std::vector<UnitProperty>& out, const oci::Resources& r, const SystemdHost& host) {
    bool idle = unified_cpu_idle(r, host);
    for (const auto& [key, raw] : r.unified) {
        auto dot = key.find('.');
        if (key.find('/') != std::string::npos || dot == std::string::npos || dot == 0) {
            throw_error("linux.resources.unified[{}]: expected a file name CONTROLLER.PARAMETER", util::quote(key));
        }
        std::string_view value = trim(raw);  // the kernel ignores the blanks around a value
        if (const char* property = memory_property(key)) {
            out.push_back(u64(property, unified_limit(key, value)));
        } else if (key == "pids.max") {
            out.push_back(u64("TasksMax", unified_limit(key, value)));
        } else if (key == "cpu.max") {
            add_unified_cpu_max(out, raw, host);
        } else if (key == "cpu.idle" && idle) {
            out.push_back(u64("CPUWeight", 0));     // systemd's way to say cpu.idle 1; 0 has no property
        } else if (key == "cpu.weight" && !idle) {  // one CPUWeight, and cpu.idle 1 takes it
            auto weight = parse_decimal<std::uint64_t>(value);
            if (!weight) throw_error("linux.resources.unified[\"cpu.weight\"] {}: expected a number", util::quote(raw));
            out.push_back(u64("CPUWeight", *weight));
        } else if ((key == "cpuset.cpus" || key == "cpuset.mems") && host.version >= kAllowedCpusVersion) {
            std::string field = fmt::format("linux.resources.unified[{}]", util::quote(key));
            out.push_back({key == "cpuset.cpus" ? "AllowedCPUs" : "AllowedMemoryNodes", cpuset_mask(value, field)});
        }
        // memory.oom.group becomes OOMPolicy when the unit starts (scope_properties).
    }
}

std::vector<UnitProperty> v1_properties(const oci::Resources& r, const SystemdHost& host) {
    if (!r.unified.empty()) {
        throw_error("linux.resources.unified needs cgroup v2; this host has cgroup v1 controllers");
    }
    std::vector<UnitProperty> out;
    if (r.memory && r.memory->limit && *r.memory->limit != 0) {
        out.push_back(u64("MemoryLimit", static_cast<std::uint64_t>(*r.memory->limit)));
    }
    if (r.cpu && r.cpu->shares && *r.cpu->shares != 0) out.push_back(u64("CPUShares", *r.cpu->shares));
    if (r.cpu) add_cpu_quota(out, r.cpu->quota.value_or(0), r.cpu->period.value_or(0), host);
    if (r.block_io && r.block_io->weight && *r.block_io->weight != 0) {
        out.push_back(u64("BlockIOWeight", *r.block_io->weight));
    }
    add_pids(out, r);
    if (r.cpu) add_cpuset(out, *r.cpu, host);
    return out;
}

std::vector<UnitProperty> v2_properties(const oci::Resources& r, const SystemdHost& host) {
    std::vector<UnitProperty> out;
    std::int64_t memory = 0;
    if (r.memory) {
        memory = r.memory->limit.value_or(0);
        if (memory != 0) out.push_back(u64("MemoryMax", static_cast<std::uint64_t>(memory)));
        auto reservation = r.memory->reservation.value_or(0);
        if (reservation != 0) out.push_back(u64("MemoryLow", static_cast<std::uint64_t>(reservation)));
        auto swap = swap_to_v2(r.memory->swap.value_or(0), memory);
        if (swap && *swap != 0) out.push_back(u64("MemorySwapMax", static_cast<std::uint64_t>(*swap)));
    }
    if (r.cpu) {
        bool idle = r.cpu->idle && *r.cpu->idle == 1 && host.version >= kCpuIdleVersion;
        std::uint64_t weight = shares_to_weight(r.cpu->shares.value_or(0));
        // One CPUWeight: 0 (systemd's cpu.idle 1) wins over the shares, as in runc.
        if (idle) {
            out.push_back(u64("CPUWeight", 0));
        } else if (weight != 0) {
            out.push_back(u64("CPUWeight", weight));
        }
        add_cpu_quota(out, r.cpu->quota.value_or(0), r.cpu->period.value_or(0), host);
    }
    add_pids(out, r);
    if (r.cpu) add_cpuset(out, *r.cpu, host);
    if (r.block_io && r.block_io->weight && *r.block_io->weight != 0) {
        out.push_back(u64("IOWeight", blkio_weight_to_io_weight(*r.block_io->weight)));
    }
    add_unified(out, r, host);
    return out;
}

// unified memory.oom.group 0/1 as systemd's OOMPolicy (only at start: runc
// leaves it out of updates, where continue/stop would be ambiguous).
void add_oom_policy(std::vector<UnitProperty>& out, const oci::Resources& r) {
    for (const auto& [key, value] : r.unified) {
        if (key != "memory.oom.group") continue;
        auto group = parse_decimal<std::uint64_t>(trim(value));
        if (!group) {
            throw_error("linux.resources.unified[\"memory.oom.group\"] {}: expected 0 or 1", util::quote(value));
        }
        if (*group == 0) out.push_back({"OOMPolicy", std::string("continue")});
        if (*group == 1) out.push_back({"OOMPolicy", std::string("kill")});
    }
}

// "char-pts" for (c, 136) from /proc/devices' "Character devices:" table:
// how systemd < 240 names every minor of a major. "" when it has no line.
std::string device_group(std::string_view proc_devices, char type, std::int64_t major) {
    bool in_section = false;
    for (const auto& raw : util::split(proc_devices, '\n')) {
        std::string_view line = trim(raw);
        if (line == "Character devices:" || line == "Block devices:") {
            in_section = (line[0] == 'C') == (type == 'c');
            continue;
        }
        auto space = line.find(' ');
        if (!in_section || space == std::string_view::npos) continue;
        if (parse_decimal<std::int64_t>(line.substr(0, space)) == major) {
            return (type == 'c' ? "char-" : "block-") + std::string(trim(line.substr(space + 1)));
        }
    }
    return "";
}

// One exception of an allow-list policy as a DeviceAllow path; "" for what
// systemd cannot name.
std::string device_allow_path(const DeviceKey& key, const SystemdHost& host) {
    auto [type, major, minor] = key;
    std::string kind = type == 'c' ? "char" : "block";
    if (major == kAnyDeviceNumber) return minor == kAnyDeviceNumber ? kind + "-*" : "";
    if (minor == kAnyDeviceNumber) {
        if (host.version >= kDeviceNumberPathVersion) return fmt::format("{}-{}", kind, major);
        return device_group(host.proc_devices, type, major);
    }
    return fmt::format("/dev/{}/{}:{}", kind, major, minor);
}

}  // namespace

std::string to_string(const UnitProperty& property) {
    struct Format {
        std::string operator()(bool b) const { return b ? "true" : "false"; }
        std::string operator()(std::uint64_t v) const { return v == kInfinity ? "infinity" : std::to_string(v); }
        std::string operator()(const std::string& s) const { return s; }
        std::string operator()(const std::vector<std::string>& v) const {
            return fmt::format("[{}]", fmt::join(v, " "));
        }
        std::string operator()(const std::vector<std::uint32_t>& v) const {
            return fmt::format("[{}]", fmt::join(v, " "));
        }
        std::string operator()(const std::vector<std::uint8_t>& v) const {
            return fmt::format("[{:02x}]", fmt::join(v, " "));
        }
        std::string operator()(const DeviceAllowList& v) const {
            std::vector<std::string> entries;
            for (const auto& [path, access] : v) entries.push_back(path + " " + access);
            return fmt::format("[{}]", fmt::join(entries, ", "));
        }
    };
    return property.name + "=" + std::visit(Format{}, property.value);
}

SystemdCpuQuota systemd_cpu_quota(std::int64_t quota, std::uint64_t period) {
    if (quota <= 0) return {kInfinity, quota};
    if (period == 0) period = kDefaultPeriod;
    auto q = static_cast<std::uint64_t>(quota);
    if (q > kInfinity / 1000000) throw_error("linux.resources.cpu.quota {}: too large", quota);
    std::uint64_t per_sec = q * 1000000 / period;
    if (per_sec % 10000 == 0) return {per_sec, quota};
    // Up to the next whole percent, and the quota that matches it.
    per_sec = (per_sec / 10000 + 1) * 10000;
    return {per_sec, static_cast<std::int64_t>(per_sec * period / 1000000)};
}

std::vector<std::uint8_t> cpuset_mask(std::string_view list, std::string_view field) {
    // Far above any kernel's NR_CPUS and MAX_NUMNODES, but a bound: "0-4294967295"
    // would otherwise ask for half a gigabyte.
    constexpr std::uint32_t kMaxBit = 65535;
    std::vector<std::uint8_t> mask;
    auto set = [&](std::uint32_t bit) {
        if (mask.size() <= bit / 8) mask.resize(bit / 8 + 1);
        mask[bit / 8] = static_cast<std::uint8_t>(mask[bit / 8] | (1u << (bit % 8)));
    };
    auto bad = [&](std::string_view why) {
        throw_error("{} {}: {}; expected a list such as \"0-3,8\"", field, util::quote(list), why);
    };
    for (const auto& item : util::split(list, ',')) {
        std::string_view part = trim(item);
        if (part.empty()) continue;  // "0,1," is fine, as for the kernel
        auto dash = part.find('-');
        auto first = parse_decimal<std::uint32_t>(part.substr(0, dash));
        auto last = dash == std::string_view::npos ? first : parse_decimal<std::uint32_t>(part.substr(dash + 1));
        if (!first || !last) bad(fmt::format("{} is not a number or a range", util::quote(part)));
        if (*first > *last) bad(fmt::format("range {} runs backwards", util::quote(part)));
        if (*last > kMaxBit) bad(fmt::format("{} is beyond {}", *last, kMaxBit));
        for (std::uint32_t bit = *first; bit <= *last; ++bit) set(bit);
    }
    if (mask.empty()) bad("empty");
    return mask;
}

std::vector<UnitProperty> device_properties(const DevicePolicy& policy, const SystemdHost& host) {
    if (host.cgroup_v2) return {};
    if (policy.default_allow && policy.exceptions.empty()) {
        // Every device: systemd's "auto" with no list writes "a" to devices.allow.
        return {{"DevicePolicy", std::string("auto")}, {"DeviceAllow", DeviceAllowList{}}};
    }
    // The first, empty DeviceAllow clears what the unit had; the second sets.
    std::vector<UnitProperty> out{{"DevicePolicy", std::string("strict")}, {"DeviceAllow", DeviceAllowList{}}};
    if (policy.default_allow) return out;  // deny exceptions systemd cannot hold: deny all, cgroupfs follows
    DeviceAllowList allow;
    for (const auto& [key, access] : policy.exceptions) {
        std::string path = device_allow_path(key, host);
        if (!path.empty()) allow.emplace_back(std::move(path), access_letters(access));
    }
    out.push_back({"DeviceAllow", std::move(allow)});
    return out;
}

std::vector<UnitProperty> resource_properties(const oci::Resources& resources, const SystemdHost& host) {
    return host.cgroup_v2 ? v2_properties(resources, host) : v1_properties(resources, host);
}

std::vector<UnitProperty> scope_properties(const SystemdPath& path, pid_t pid, const oci::Resources& resources,
                                           const SystemdHost& host) {
    std::vector<UnitProperty> out;
    out.push_back({"Description", "hull container " + path.name});
    if (path.is_slice()) {
        out.push_back({"Wants", std::vector<std::string>{path.slice}});
    } else {
        out.push_back({"Slice", path.slice});
        out.push_back(flag("Delegate", true));  // scopes have taken it since systemd 218
        if (pid > 0) out.push_back({"PIDs", std::vector<std::uint32_t>{static_cast<std::uint32_t>(pid)}});
    }
    // Accounting always, as runc: the cgroupfs driver gets these controllers
    // anyway, and the kernel has trouble with a memory cgroup joined late.
    out.push_back(flag("MemoryAccounting", true));
    out.push_back(flag("CPUAccounting", true));
    out.push_back(flag(host.cgroup_v2 ? "IOAccounting" : "BlockIOAccounting", true));
    out.push_back(flag("TasksAccounting", true));
    out.push_back(flag("DefaultDependencies", false));
    if (host.cgroup_v2) add_oom_policy(out, resources);
    auto devices = device_properties(container_device_policy(resources.devices), host);
    out.insert(out.end(), devices.begin(), devices.end());
    auto limits = resource_properties(resources, host);
    out.insert(out.end(), limits.begin(), limits.end());
    return out;
}

}  // namespace hull::sys::cgroup
