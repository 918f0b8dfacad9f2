// linux.resources.devices: normalisation, the policy the rules build (the v1
// kernel's exceptions), and the writes that put it into a v1 devices cgroup,
// checked as root on a cgroup of its own in the host's v1 devices hierarchy.
#include <doctest/doctest.h>

#include <fcntl.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "../test_support.hpp"
#include "device_test_support.hpp"
#include "linux/cgroup/device_rules.hpp"
#include "util/files.hpp"
#include "util/scope_exit.hpp"

using namespace hull::sys::cgroup;
using namespace hull::test;

namespace {

std::string normalize_error(const hull::oci::DeviceRule& rule) {
    return error_of([&] { normalize_device_rules({oci_rule(true, "c", 1, 3, "rwm"), rule}); });
}

}  // namespace

TEST_CASE("device rules: absent fields mean every type, every number and rwm") {
    auto rules = normalize_device_rules({oci_rule(false), oci_rule(true, "c", 1, 3, "rw"),
                                         oci_rule(true, "b", std::nullopt, 7, "mr"), oci_rule(true, "c", -1, -1)});
    REQUIRE(rules.size() == 4);
    CHECK(rules[0] == DeviceRule{false, 'a', kAny, kAny, kRWM});
    CHECK(rules[1] == DeviceRule{true, 'c', 1, 3, kR | kW});
    CHECK(rules[2] == DeviceRule{true, 'b', kAny, 7, kR | kM});
    CHECK(rules[3] == DeviceRule{true, 'c', kAny, kAny, kRWM});
}

TEST_CASE("device rules: errors name the entry and the field") {
    CHECK(normalize_error(oci_rule(true, "x")) ==
          "linux.resources.devices[1].type: unknown device type \"x\": expected a, b or c");
    CHECK(normalize_error(oci_rule(true, "c", -2)) ==
          "linux.resources.devices[1].major: -2 is not a device number: expected -1 (any) or 0 to 2147483647");
    CHECK(normalize_error(oci_rule(true, "c", 1, 2147483648)) ==
          "linux.resources.devices[1].minor: 2147483648 is not a device number: expected -1 (any) or 0 to "
          "2147483647");
    CHECK(normalize_error(oci_rule(true, "c", 1, 3, "")) ==
          "linux.resources.devices[1].access: empty: expected a combination of r, w and m");
    CHECK(normalize_error(oci_rule(true, "c", 1, 3, "rwx")) ==
          "linux.resources.devices[1].access: \"rwx\" is not made of r, w and m");
}

TEST_CASE("device rules: type a stands alone, since the kernel reads any a rule as every device with rwm") {
    CHECK(normalize_error(oci_rule(true, "a", 1)).starts_with("linux.resources.devices[1].major: type a"));
    // An absent type is a: a major without a type is the same mistake.
    CHECK(normalize_error(oci_rule(true, std::nullopt, std::nullopt, 3))
              .starts_with("linux.resources.devices[1].minor: type a"));
    CHECK(normalize_error(oci_rule(false, "a", std::nullopt, std::nullopt, "r")) ==
          "linux.resources.devices[1].access: type a (every device) always means every device with rwm in the "
          "devices cgroup: expected rwm or no access");
    CHECK(normalize_device_rules({oci_rule(true, "a", -1, -1, "mwr")})[0] == DeviceRule{true, 'a', kAny, kAny, kRWM});
}

TEST_CASE("device rules: the cgroup file syntax") {
    CHECK(cgroup_string(DeviceRule{true, 'c', 1, 3, kRWM}) == "c 1:3 rwm");
    CHECK(cgroup_string(DeviceRule{false, 'b', 8, kAny, kR}) == "b 8:* r");
    CHECK(cgroup_string('a', kAny, kAny, kRWM) == "a *:* rwm");
    CHECK(cgroup_string('c', kAny, 5, kM | kW) == "c *:5 wm");
}

TEST_CASE("device policy: allows merge and denies take access away, key by key as v1 does") {
    auto p = policy_of({oci_rule(false), oci_rule(true, "c", 1, 3, "r"), oci_rule(true, "c", 1, 3, "w"),
                        oci_rule(true, "c", 1, 5, "rwm"), oci_rule(false, "c", 1, 5, "m"),
                        oci_rule(true, "c", 1, 7, "rw"), oci_rule(false, "c", 1, 7, "wr")});
    CHECK_FALSE(p.default_allow);
    CHECK(p.exceptions == std::map<DeviceKey, unsigned>{{{'c', 1, 3}, kR | kW}, {{'c', 1, 5}, kR | kW}});
}

TEST_CASE("device policy: an a rule starts over, whatever came before") {
    auto p = policy_of({oci_rule(true, "c", 1, 3), oci_rule(true), oci_rule(false, "b", 8, kAny, "w")});
    CHECK(p.default_allow);
    CHECK(p.exceptions == std::map<DeviceKey, unsigned>{{{'b', 8, kAny}, kW}});
    CHECK(policy_of({oci_rule(true), oci_rule(false, "c", 1, 3), oci_rule(false)}) == DevicePolicy{false, {}});
    // With no a rule the list is an allow list, as runc's emulator starts.
    CHECK(policy_of({oci_rule(true, "c", 1, 3)}) == DevicePolicy{false, {{{'c', 1, 3}, kRWM}}});
}

TEST_CASE("device policy: a deny inside an earlier wildcard allow is refused, not silently ignored") {
    auto error = error_of([] {
        policy_of({oci_rule(false), oci_rule(true, "c", kAny, kAny, "rw"), oci_rule(false, "c", 1, 3, "w")});
    });
    CHECK(error ==
          "linux.resources.devices[2] (deny c 1:3 w): cannot be enforced: the earlier exception allow c *:* rw still "
          "covers it, and the devices cgroup cannot cut a device out of a wildcard rule");
    // No access in common with the wildcard: nothing to cut.
    CHECK_NOTHROW(policy_of({oci_rule(false), oci_rule(true, "c", kAny, kAny, "m"), oci_rule(false, "c", 1, 3, "r")}));
    // The same on an allow-by-default list, for a major wildcard.
    CHECK(error_of([] {
              policy_of({oci_rule(true), oci_rule(false, "b", 8, kAny, "r"), oci_rule(true, "b", 8, 1, "rw")});
          }).starts_with("linux.resources.devices[2] (allow b 8:1 rw): cannot be enforced"));
}

TEST_CASE("device policy: runc's defaults follow the config's rules") {
    auto p = container_device_policy({oci_rule(false, std::nullopt, std::nullopt, std::nullopt, "rwm")});
    CHECK_FALSE(p.default_allow);
    CHECK(p.exceptions == std::map<DeviceKey, unsigned>{
                              {{'b', kAny, kAny}, kM},
                              {{'c', kAny, kAny}, kM},
                              {{'c', 1, 3}, kRWM},
                              {{'c', 1, 5}, kRWM},
                              {{'c', 1, 7}, kRWM},
                              {{'c', 1, 8}, kRWM},
                              {{'c', 1, 9}, kRWM},
                              {{'c', 5, 0}, kRWM},
                              {{'c', 5, 2}, kRWM},
                              {{'c', 10, 200}, kRWM},
                              {{'c', 136, kAny}, kRWM},
                          });
    // An empty list is the same allow list: runc applies its defaults to every container.
    CHECK(container_device_policy({}) == p);
    // A config cannot take a default away: the defaults come last.
    CHECK(container_device_policy({oci_rule(false), oci_rule(false, "c", 1, 3)}) == p);
}

TEST_CASE("device policy: a default rule that would cut into the config's wildcard deny is named as such") {
    auto error = error_of([] { container_device_policy({oci_rule(true), oci_rule(false, "c", kAny, kAny, "rw")}); });
    CHECK(error ==
          "the default rule allow c 1:3 rwm (runc's, appended to every container): cannot be enforced: the earlier "
          "exception deny c *:* rw still covers it, and the devices cgroup cannot cut a device out of a wildcard rule");
}

TEST_CASE("device policy: the v1 kernel's matching (allow needs every bit, deny any bit)") {
    DevicePolicy allow_list{false, {{{'c', 1, 3}, kR | kW}, {{'b', kAny, 0}, kM}}};
    CHECK(device_policy_allows(allow_list, 'c', 1, 3, kR));
    CHECK(device_policy_allows(allow_list, 'c', 1, 3, kR | kW));
    CHECK_FALSE(device_policy_allows(allow_list, 'c', 1, 3, kR | kM));
    CHECK_FALSE(device_policy_allows(allow_list, 'b', 1, 3, kR));
    CHECK(device_policy_allows(allow_list, 'b', 77, 0, kM));
    CHECK_FALSE(device_policy_allows(allow_list, 'b', 77, 1, kM));

    DevicePolicy deny_list{true, {{{'c', 1, 3}, kW}}};
    CHECK(device_policy_allows(deny_list, 'c', 1, 3, kR));
    CHECK_FALSE(device_policy_allows(deny_list, 'c', 1, 3, kW));
    CHECK_FALSE(device_policy_allows(deny_list, 'c', 1, 3, kR | kW));
    CHECK(device_policy_allows(deny_list, 'b', 1, 3, kW));
}

TEST_CASE("devices.list: allow-by-default, an allow list, and what is not devices.list") {
    CHECK(parse_devices_list("a *:* rwm\n") == DevicePolicy{true, {}});
    CHECK(parse_devices_list("") == DevicePolicy{false, {}});
    CHECK(parse_devices_list("c 1:3 rwm\nc 136:* rw\nb *:* m\nc 1:3 m\n") ==
          DevicePolicy{false, {{{'c', 1, 3}, kRWM}, {{'c', 136, kAny}, kR | kW}, {{'b', kAny, kAny}, kM}}});
    CHECK(error_of([] { parse_devices_list("c 1:3 rwm\nx 1:3\n"); }) ==
          "devices.list: \"x 1:3\": expected \"TYPE MAJOR:MINOR ACCESS\"");
    CHECK_FALSE(error_of([] { parse_devices_list("c 1:x rwm\n"); }).empty());
    CHECK_FALSE(error_of([] { parse_devices_list("c 1:3 rwz\n"); }).empty());
    CHECK_FALSE(error_of([] { parse_devices_list("c 1:3\n"); }).empty());
}

TEST_CASE("v1 writes: a fresh cgroup (allow by default) is reset with a deny of everything, then the allows") {
    DevicePolicy target{false, {{{'c', 1, 3}, kRWM}, {{'c', kAny, kAny}, kM}, {{'b', 8, 0}, kR}}};
    CHECK(v1_device_writes(parse_devices_list("a *:* rwm\n"), target) ==
          std::vector<FileWrite>{{"devices.deny", "a *:* rwm"},
                                 {"devices.allow", "b 8:0 r"},
                                 {"devices.allow", "c *:* m"},
                                 {"devices.allow", "c 1:3 rwm"}});
}

TEST_CASE("v1 writes: an update of an allow list writes only the difference, removals first") {
    DevicePolicy current{false, {{{'c', 1, 3}, kRWM}, {{'c', 1, 5}, kRWM}, {{'c', 1, 9}, kR}}};
    DevicePolicy target{false, {{{'c', 1, 3}, kR | kW}, {{'c', 1, 7}, kRWM}, {{'c', 1, 9}, kRWM}}};
    CHECK(v1_device_writes(current, target) == std::vector<FileWrite>{{"devices.deny", "c 1:3 m"},
                                                                      {"devices.deny", "c 1:5 rwm"},
                                                                      {"devices.allow", "c 1:7 rwm"},
                                                                      {"devices.allow", "c 1:9 wm"}});
    CHECK(v1_device_writes(target, target).empty());
}

TEST_CASE("v1 writes: to allow-by-default, the reset allows everything and the exceptions are denies") {
    DevicePolicy target{true, {{{'c', 1, 3}, kW}}};
    std::vector<FileWrite> expected{{"devices.allow", "a *:* rwm"}, {"devices.deny", "c 1:3 w"}};
    CHECK(v1_device_writes(DevicePolicy{false, {{{'c', 1, 3}, kRWM}}}, target) == expected);
    // From allow-by-default the deny exceptions cannot be read back: always reset.
    CHECK(v1_device_writes(parse_devices_list("a *:* rwm\n"), target) == expected);
}

TEST_CASE("v1 writes: replaying the writes on the v1 kernel's model reaches the target") {
    auto target = container_device_policy({oci_rule(false), oci_rule(true, "b", 8, kAny, "rw")});
    for (const DevicePolicy& start : {DevicePolicy{true, {}}, DevicePolicy{false, {}},
                                      DevicePolicy{false, {{{'c', 1, 3}, kR}, {{'c', 4, 0}, kW}}}}) {
        std::vector<DeviceRule> replay{{start.default_allow, 'a', kAny, kAny, kRWM}};
        for (const auto& [key, bits] : start.exceptions) {
            replay.push_back({!start.default_allow, std::get<0>(key), std::get<1>(key), std::get<2>(key), bits});
        }
        for (const FileWrite& w : v1_device_writes(start, target)) {
            auto written = parse_devices_list(w.value.starts_with("a") ? "a *:* rwm" : w.value);
            bool allow = w.file == "devices.allow";
            if (written.default_allow) {
                replay.push_back({allow, 'a', kAny, kAny, kRWM});
                continue;
            }
            auto [key, bits] = *written.exceptions.begin();
            replay.push_back({allow, std::get<0>(key), std::get<1>(key), std::get<2>(key), bits});
        }
        CHECK(device_policy(replay, 0) == target);
    }
}

TEST_CASE("v1 check: devices.list read back must be the target") {
    DevicePolicy target{false, {{{'c', 1, 3}, kRWM}}};
    CHECK_NOTHROW(check_devices_list(target, "c 1:3 rwm\n"));
    CHECK(error_of([&] { check_devices_list(target, "c 1:3 rwm\nc 1:5 r\n"); }) ==
          "devices.list: the cgroup allows \"c 1:3 rwm\\nc 1:5 r\\n\" after the writes; expected exactly what the "
          "rules allow");
    CHECK(error_of([&] { check_devices_list(target, "a *:* rwm\n"); }) ==
          "devices.list: the cgroup allows devices by default after the writes; expected it to deny them");
    CHECK_NOTHROW(check_devices_list(DevicePolicy{true, {{{'c', 1, 3}, kW}}}, "a *:* rwm\n"));
}

// --- the v1 kernel ---

namespace {

constexpr const char* kDevicesHierarchy = "/sys/fs/cgroup/devices";

std::string read_list(const std::string& cgroup) { return hull::util::read_file(cgroup + "/devices.list", 1 << 20); }

// Writes what v1_device_writes says for the cgroup's current state; returns the writes.
std::vector<FileWrite> enforce(const std::string& cgroup, const DevicePolicy& target) {
    auto writes = v1_device_writes(parse_devices_list(read_list(cgroup)), target);
    for (const FileWrite& w : writes) {
        hull::UniqueFd fd = hull::util::open_fd(cgroup + "/" + w.file, O_WRONLY | O_CLOEXEC);
        hull::util::write_all(fd.get(), w.value, w.file);
    }
    check_devices_list(target, read_list(cgroup));
    return writes;
}

}  // namespace

TEST_CASE("v1 writes (root): a v1 devices cgroup enforces the policy, and an update writes no reset") {
    struct statfs fs {};
    if (::geteuid() != 0 || ::statfs(kDevicesHierarchy, &fs) != 0 || fs.f_type != CGROUP_SUPER_MAGIC ||
        ::access((std::string(kDevicesHierarchy) + "/devices.list").c_str(), R_OK) != 0) {
        MESSAGE("SKIPPED: needs root and the v1 devices hierarchy at " << kDevicesHierarchy);
        return;
    }
    std::string cgroup = fmt::format("{}/hulltest-devices-{}", kDevicesHierarchy, ::getpid());
    REQUIRE_MESSAGE(::mkdir(cgroup.c_str(), 0755) == 0, "mkdir ", cgroup, ": ", std::strerror(errno));
    hull::ScopeExit remove([&] { ::rmdir(cgroup.c_str()); });

    auto writes = enforce(cgroup, policy_of({oci_rule(false), oci_rule(true, "c", 1, 5, "rwm")}));
    CHECK(writes.front() == FileWrite{"devices.deny", "a *:* rwm"});
    CHECK(open_in_cgroup(cgroup, "/dev/null", O_RDONLY) == 1);
    CHECK(open_in_cgroup(cgroup, "/dev/zero", O_RDONLY) == 0);

    writes = enforce(cgroup, policy_of({oci_rule(false), oci_rule(true, "c", 1, 3, "rwm")}));
    CHECK(writes == std::vector<FileWrite>{{"devices.deny", "c 1:5 rwm"}, {"devices.allow", "c 1:3 rwm"}});
    CHECK(open_in_cgroup(cgroup, "/dev/null", O_RDONLY) == 0);
    CHECK(open_in_cgroup(cgroup, "/dev/zero", O_RDONLY) == 1);

    enforce(cgroup, policy_of({oci_rule(true), oci_rule(false, "c", 1, 3, "w")}));
    CHECK(open_in_cgroup(cgroup, "/dev/null", O_RDONLY) == 0);
    CHECK(open_in_cgroup(cgroup, "/dev/null", O_RDWR) == 1);

    enforce(cgroup, container_device_policy({oci_rule(false)}));
    CHECK(open_in_cgroup(cgroup, "/dev/null", O_RDWR) == 0);
    CHECK(read_list(cgroup).find("c 136:* rwm") != std::string::npos);
}
