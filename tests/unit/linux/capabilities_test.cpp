// Capability names, the five sets as bitmasks, and applying them in a child.
#include <doctest/doctest.h>

#include <linux/capability.h>
#include <sys/prctl.h>

#include <algorithm>
#include <fstream>
#include <string>

#include "linux/capabilities.hpp"
#include "test_support.hpp"
#include "util/error.hpp"
#include "util/strings.hpp"

using hull::test::error_of;
using namespace hull::sys;

namespace {

std::uint64_t bit(int cap) { return std::uint64_t{1} << cap; }

// The hex mask of a "CapBnd:" style line of /proc/self/status.
std::uint64_t status_mask(const std::string& field) {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.starts_with(field + ":")) {
            auto text = line.substr(field.size() + 1);
            text.erase(0, text.find_first_not_of(" \t"));
            return std::stoull(text, nullptr, 16);
        }
    }
    return ~std::uint64_t{0};
}

std::uint64_t all_caps() {
    int n = kernel_capability_count();
    return n >= 64 ? ~std::uint64_t{0} : bit(n) - 1;
}

}  // namespace

TEST_CASE("capabilities: names and values both ways") {
    CHECK(capability_value("CAP_CHOWN") == 0);
    CHECK(capability_value("CAP_NET_RAW") == CAP_NET_RAW);
    CHECK(capability_value("CAP_SYS_ADMIN") == CAP_SYS_ADMIN);
    CHECK(capability_value("CAP_CHECKPOINT_RESTORE") == 40);
    CHECK(capability_name(CAP_NET_BIND_SERVICE) == "CAP_NET_BIND_SERVICE");
    CHECK(capability_name(0) == "CAP_CHOWN");
    CHECK(capability_name(63) == "CAP_63");
}

TEST_CASE("capabilities: only the exact CAP_ spelling is a name") {
    for (const char* bad : {"CAP_FOO", "cap_chown", "CHOWN", "chown", "0", "CAP_CHOWN1", "CAP_CHOWN ", "", "CAP_"}) {
        CAPTURE(bad);
        CHECK_FALSE(capability_value(bad));
    }
}

TEST_CASE("capabilities: a set's names become its bitmask") {
    std::vector<std::string> unknown;
    CHECK(parse_capability_set("bounding", {"CAP_CHOWN", "CAP_KILL", "CAP_KILL"}, unknown) ==
          (bit(CAP_CHOWN) | bit(CAP_KILL)));
    CHECK(parse_capability_set("bounding", {}, unknown) == 0);
    CHECK(unknown.empty());
}

TEST_CASE("capabilities: an unknown name is an error naming the set") {
    std::vector<std::string> unknown;
    CHECK(error_of([&] { parse_capability_set("bounding", {"CAP_CHOWN", "CAP_FOO"}, unknown); }) ==
          "process.capabilities.bounding: unknown capability \"CAP_FOO\"");
    hull::oci::Capabilities caps;
    caps.ambient = std::vector<std::string>{"cap_kill"};
    CHECK(error_of([&] { parse_capabilities(caps); }) == "process.capabilities.ambient: unknown capability \"cap_kill\"");
}

TEST_CASE("capabilities: parse_capabilities fills all five sets; absent sets are empty") {
    hull::oci::Capabilities caps;
    caps.bounding = std::vector<std::string>{"CAP_CHOWN", "CAP_NET_RAW"};
    caps.effective = std::vector<std::string>{"CAP_CHOWN"};
    caps.permitted = std::vector<std::string>{"CAP_CHOWN", "CAP_KILL"};
    caps.inheritable = std::vector<std::string>{"CAP_KILL"};
    caps.ambient = std::vector<std::string>{"CAP_KILL"};
    ParsedCapabilities p = parse_capabilities(caps);
    CHECK(p.sets.bounding == (bit(CAP_CHOWN) | bit(CAP_NET_RAW)));
    CHECK(p.sets.effective == bit(CAP_CHOWN));
    CHECK(p.sets.permitted == (bit(CAP_CHOWN) | bit(CAP_KILL)));
    CHECK(p.sets.inheritable == bit(CAP_KILL));
    CHECK(p.sets.ambient == bit(CAP_KILL));
    CHECK(p.unknown_to_kernel.empty());
    CHECK(parse_capabilities(std::nullopt).sets == CapabilitySets{});
    CHECK(parse_capabilities(hull::oci::Capabilities{}).sets == CapabilitySets{});
}

TEST_CASE("capabilities: all_capability_names lists every kernel capability by name") {
    auto names = all_capability_names();
    CHECK(static_cast<int>(names.size()) == kernel_capability_count());
    CHECK(names.front() == "CAP_CHOWN");
    CHECK(std::find(names.begin(), names.end(), "CAP_SYS_ADMIN") != names.end());
    for (const auto& n : names) {
        CAPTURE(n);
        CHECK(capability_value(n));
    }
}

TEST_CASE("capabilities: dropping CAP_NET_RAW from the bounding set shows in CapBnd") {
    int status = hull::test::in_child([] {
        // The test may start with a reduced bounding set (a sandbox's).
        std::uint64_t before = status_mask("CapBnd");
        CapabilitySets sets;
        sets.bounding = all_caps() & ~bit(CAP_NET_RAW);
        drop_bounding_set(sets);
        if (status_mask("CapBnd") != (before & ~bit(CAP_NET_RAW))) return 1;
        return ::prctl(PR_CAPBSET_READ, CAP_NET_RAW, 0, 0, 0) == 0 ? 0 : 2;
    });
    CHECK(status == 0);
}

TEST_CASE("capabilities: apply_capabilities sets effective, permitted, inheritable and ambient") {
    int status = hull::test::in_child([] {
        CapabilitySets sets;
        sets.bounding = all_caps();
        sets.effective = bit(CAP_CHOWN);
        sets.permitted = bit(CAP_CHOWN) | bit(CAP_KILL) | bit(CAP_NET_BIND_SERVICE);
        sets.inheritable = bit(CAP_KILL);
        // NET_BIND_SERVICE is not inheritable: left out of ambient, as runc does.
        sets.ambient = bit(CAP_KILL) | bit(CAP_NET_BIND_SERVICE);
        apply_capabilities(sets);
        if (status_mask("CapEff") != sets.effective) return 1;
        if (status_mask("CapPrm") != sets.permitted) return 2;
        if (status_mask("CapInh") != sets.inheritable) return 3;
        if (status_mask("CapAmb") != bit(CAP_KILL)) return 4;
        return 0;
    });
    CHECK(status == 0);
}

TEST_CASE("capabilities: keep_capabilities_across_setuid toggles PR_SET_KEEPCAPS") {
    int status = hull::test::in_child([] {
        keep_capabilities_across_setuid(true);
        if (::prctl(PR_GET_KEEPCAPS, 0, 0, 0, 0) != 1) return 1;
        keep_capabilities_across_setuid(false);
        return ::prctl(PR_GET_KEEPCAPS, 0, 0, 0, 0) == 0 ? 0 : 2;
    });
    CHECK(status == 0);
}
