#include "linux/cgroup/device_rules.hpp"

#include <array>
#include <charconv>
#include <limits>

#include <fmt/format.h>

#include "util/error.hpp"
#include "util/strings.hpp"

namespace hull::sys::cgroup {
namespace {

// The eBPF program compares numbers with signed 32-bit immediates; every real
// device number fits (majors have 12 bits, minors 20).
constexpr std::int64_t kMaxDeviceNumber = std::numeric_limits<std::int32_t>::max();

std::string number_or_star(std::int64_t n) { return n == kAnyDeviceNumber ? "*" : std::to_string(n); }

// --- normalisation ---

char rule_type(const oci::DeviceRule& d, const std::string& path) {
    if (!d.type) return 'a';
    if (*d.type == "a" || *d.type == "b" || *d.type == "c") return (*d.type)[0];
    throw_error("{}.type: unknown device type {}: expected a, b or c", path, util::quote(*d.type));
}

std::int64_t rule_number(const std::optional<std::int64_t>& n, const std::string& field) {
    if (!n) return kAnyDeviceNumber;
    if (*n == kAnyDeviceNumber || (*n >= 0 && *n <= kMaxDeviceNumber)) return *n;
    throw_error("{}: {} is not a device number: expected -1 (any) or 0 to {}", field, *n, kMaxDeviceNumber);
}

unsigned rule_access(const std::optional<std::string>& access, const std::string& field) {
    if (!access) return kDeviceAllAccess;
    unsigned bits = 0;
    for (char c : *access) {
        switch (c) {
            case 'r': bits |= kDeviceRead; break;
            case 'w': bits |= kDeviceWrite; break;
            case 'm': bits |= kDeviceMknod; break;
            default: throw_error("{}: {} is not made of r, w and m", field, util::quote(*access));
        }
    }
    // runc refuses "" too: a rule that grants or takes nothing is a mistake.
    if (bits == 0) throw_error("{}: empty: expected a combination of r, w and m", field);
    return bits;
}

// The kernel parses "a" and stops (devcgroup_update_access): every device, rwm.
void check_all_rule(const DeviceRule& r, const std::string& path) {
    constexpr std::string_view kWhy = "type a (every device) always means every device with rwm in the devices cgroup";
    if (r.major != kAnyDeviceNumber) throw_error("{}.major: {}: give type c or b for a major number", path, kWhy);
    if (r.minor != kAnyDeviceNumber) throw_error("{}.minor: {}: give type c or b for a minor number", path, kWhy);
    if (r.access != kDeviceAllAccess) {
        throw_error("{}.access: {}: expected rwm or no access", path, kWhy);
    }
}

// --- the policy ---

std::string rule_name(const DeviceRule& r, std::size_t index, std::size_t named) {
    std::string what = fmt::format("{} {}", r.allow ? "allow" : "deny", cgroup_string(r));
    if (index < named) return fmt::format("linux.resources.devices[{}] ({})", index, what);
    return fmt::format("the default rule {} (runc's, appended to every container)", what);
}

void add_access(DevicePolicy& policy, const DeviceKey& key, unsigned access) { policy.exceptions[key] |= access; }

// The exceptions wider than key on major, minor or both.
std::array<DeviceKey, 3> wider_keys(const DeviceKey& key) {
    auto [type, major, minor] = key;
    return {DeviceKey{type, kAnyDeviceNumber, minor}, DeviceKey{type, major, kAnyDeviceNumber},
            DeviceKey{type, kAnyDeviceNumber, kAnyDeviceNumber}};
}

void remove_access(DevicePolicy& policy, const DeviceKey& key, unsigned access, const std::string& name) {
    for (const DeviceKey& wider : wider_keys(key)) {
        if (wider == key) continue;
        auto it = policy.exceptions.find(wider);
        if (it == policy.exceptions.end() || (it->second & access) == 0) continue;
        // The kernel removes only the exception with exactly this key and
        // says nothing, leaving the wider one in force (dev_exception_rm).
        throw_error(
            "{}: cannot be enforced: the earlier exception {} {} still covers it, and the devices cgroup "
            "cannot cut a device out of a wildcard rule",
            name, policy.default_allow ? "deny" : "allow",
            cgroup_string(std::get<0>(wider), std::get<1>(wider), std::get<2>(wider), it->second));
    }
    auto it = policy.exceptions.find(key);
    if (it == policy.exceptions.end()) return;
    it->second &= ~access;
    if (it->second == 0) policy.exceptions.erase(it);
}

void apply_rule(DevicePolicy& policy, const DeviceRule& r, const std::string& name) {
    if (r.type == 'a') {
        policy = DevicePolicy{r.allow, {}};
        return;
    }
    DeviceKey key{r.type, r.major, r.minor};
    if (r.allow == policy.default_allow) {
        remove_access(policy, key, r.access, name);
    } else {
        add_access(policy, key, r.access);
    }
}

// --- devices.list ---

std::optional<std::int64_t> parse_list_number(std::string_view s) {
    if (s == "*") return kAnyDeviceNumber;
    std::uint32_t n = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
    if (ec != std::errc() || end != s.data() + s.size() || s.empty()) return std::nullopt;
    return n;
}

// One devices.list line, "c 1:3 rwm", as a rule that allows.
std::optional<DeviceRule> parse_list_line(std::string_view line) {
    auto space = line.find(' ');
    auto colon = line.find(':');
    auto space2 = line.rfind(' ');
    if (space != 1 || colon == std::string_view::npos || space2 <= colon || colon < space) return std::nullopt;
    DeviceRule r{.allow = true, .type = line[0]};
    if (r.type != 'a' && r.type != 'b' && r.type != 'c') return std::nullopt;
    auto major = parse_list_number(line.substr(2, colon - 2));
    auto minor = parse_list_number(line.substr(colon + 1, space2 - colon - 1));
    std::string access(line.substr(space2 + 1));
    if (!major || !minor || access.empty() || access.find_first_not_of("rwm") != std::string::npos) {
        return std::nullopt;
    }
    r.major = *major;
    r.minor = *minor;
    r.access = rule_access(access, "devices.list");
    return r;
}

}  // namespace

std::string access_letters(unsigned access) {
    std::string s;
    if (access & kDeviceRead) s += 'r';
    if (access & kDeviceWrite) s += 'w';
    if (access & kDeviceMknod) s += 'm';
    return s;
}

std::string cgroup_string(char type, std::int64_t major, std::int64_t minor, unsigned access) {
    return fmt::format("{} {}:{} {}", type, number_or_star(major), number_or_star(minor), access_letters(access));
}

std::string cgroup_string(const DeviceRule& rule) {
    return cgroup_string(rule.type, rule.major, rule.minor, rule.access);
}

std::vector<DeviceRule> normalize_device_rules(const std::vector<oci::DeviceRule>& rules) {
    std::vector<DeviceRule> out;
    out.reserve(rules.size());
    for (std::size_t i = 0; i < rules.size(); ++i) {
        const oci::DeviceRule& d = rules[i];
        std::string path = fmt::format("linux.resources.devices[{}]", i);
        DeviceRule r;
        r.allow = d.allow;
        r.type = rule_type(d, path);
        r.major = rule_number(d.major, path + ".major");
        r.minor = rule_number(d.minor, path + ".minor");
        r.access = rule_access(d.access, path + ".access");
        if (r.type == 'a') check_all_rule(r, path);
        out.push_back(r);
    }
    return out;
}

const std::vector<DeviceRule>& default_device_rules() {
    constexpr auto kAny = kAnyDeviceNumber;
    constexpr auto kAll = kDeviceAllAccess;
    static const std::vector<DeviceRule> kRules = {
        {true, 'c', kAny, kAny, kDeviceMknod},  // mknod of any device; opening it is another matter
        {true, 'b', kAny, kAny, kDeviceMknod},
        {true, 'c', 1, 3, kAll},       // /dev/null
        {true, 'c', 1, 8, kAll},       // /dev/random
        {true, 'c', 1, 7, kAll},       // /dev/full
        {true, 'c', 5, 0, kAll},       // /dev/tty
        {true, 'c', 1, 5, kAll},       // /dev/zero
        {true, 'c', 1, 9, kAll},       // /dev/urandom
        {true, 'c', 136, kAny, kAll},  // /dev/pts/*
        {true, 'c', 5, 2, kAll},       // /dev/ptmx
        {true, 'c', 10, 200, kAll},    // /dev/net/tun: runc dropped it in 1.2.0-rc1 and restored it (runc#3468)
    };
    return kRules;
}

DevicePolicy device_policy(const std::vector<DeviceRule>& rules, std::size_t named) {
    DevicePolicy policy;
    for (std::size_t i = 0; i < rules.size(); ++i) apply_rule(policy, rules[i], rule_name(rules[i], i, named));
    return policy;
}

DevicePolicy container_device_policy(const std::vector<oci::DeviceRule>& rules) {
    std::vector<DeviceRule> all = normalize_device_rules(rules);
    const auto& defaults = default_device_rules();
    all.insert(all.end(), defaults.begin(), defaults.end());
    return device_policy(all, rules.size());
}

bool device_policy_allows(const DevicePolicy& policy, char type, std::uint32_t major, std::uint32_t minor,
                          unsigned access) {
    for (const auto& [key, bits] : policy.exceptions) {
        auto [ex_type, ex_major, ex_minor] = key;
        if (ex_type != type) continue;
        if (ex_major != kAnyDeviceNumber && ex_major != major) continue;
        if (ex_minor != kAnyDeviceNumber && ex_minor != minor) continue;
        // security/device_cgroup.c: a deny exception matches any overlap
        // (match_exception_partial), an allow one only a subset (match_exception).
        bool matches = policy.default_allow ? (access & bits) != 0 : (access & ~bits) == 0;
        if (matches) return !policy.default_allow;
    }
    return policy.default_allow;
}

DevicePolicy parse_devices_list(std::string_view devices_list) {
    DevicePolicy policy;
    for (const std::string& line : util::split(devices_list, '\n')) {
        if (line.empty()) continue;
        std::optional<DeviceRule> r = parse_list_line(line);
        if (!r) throw_error("devices.list: {}: expected \"TYPE MAJOR:MINOR ACCESS\"", util::quote(line));
        // devices.list is what the cgroup allows: "a *:* rwm" alone in allow-by-default mode.
        if (r->type == 'a') return DevicePolicy{true, {}};
        add_access(policy, DeviceKey{r->type, r->major, r->minor}, r->access);
    }
    return policy;
}

std::vector<FileWrite> v1_device_writes(const DevicePolicy& current, const DevicePolicy& target) {
    const std::string to_default = target.default_allow ? "devices.allow" : "devices.deny";
    const std::string to_exception = target.default_allow ? "devices.deny" : "devices.allow";
    std::vector<FileWrite> writes;
    std::map<DeviceKey, unsigned> old = current.exceptions;
    if (current.default_allow || current.default_allow != target.default_allow) {
        writes.push_back({to_default, cgroup_string('a', kAnyDeviceNumber, kAnyDeviceNumber, kDeviceAllAccess)});
        old.clear();
    }
    auto key_string = [](const DeviceKey& k, unsigned access) {
        return cgroup_string(std::get<0>(k), std::get<1>(k), std::get<2>(k), access);
    };
    // Take away first, then grant: never more open than either end.
    for (const auto& [key, bits] : old) {
        auto it = target.exceptions.find(key);
        unsigned dropped = bits & ~(it == target.exceptions.end() ? 0U : it->second);
        if (dropped != 0) writes.push_back({to_default, key_string(key, dropped)});
    }
    for (const auto& [key, bits] : target.exceptions) {
        auto it = old.find(key);
        unsigned gained = bits & ~(it == old.end() ? 0U : it->second);
        if (gained != 0) writes.push_back({to_exception, key_string(key, gained)});
    }
    return writes;
}

void check_devices_list(const DevicePolicy& target, std::string_view devices_list) {
    DevicePolicy now = parse_devices_list(devices_list);
    if (now.default_allow != target.default_allow) {
        throw_error("devices.list: the cgroup {} devices by default after the writes; expected it to {} them",
                    now.default_allow ? "allows" : "denies", target.default_allow ? "allow" : "deny");
    }
    if (!target.default_allow && now.exceptions != target.exceptions) {
        throw_error("devices.list: the cgroup allows {} after the writes; expected exactly what the rules allow",
                    util::quote(devices_list));
    }
}

}  // namespace hull::sys::cgroup
