// The state and features documents: runc's shape, field by field.
#include <doctest/doctest.h>

#include "oci/runtime/features.hpp"
#include "oci/runtime/state.hpp"
#include "runtime_test_util.hpp"

using namespace hull;
using namespace hull::oci;
using hull::test::error_of;

TEST_CASE("state: written in runc's field order with a two-space indent and no trailing newline") {
    State s;
    s.oci_version = "1.3.0";
    s.id = "web";
    s.status = "running";
    s.pid = 4422;
    s.bundle = "/b";
    s.rootfs = "/b/rootfs";
    s.created = "2026-01-02T03:04:05.123456789Z";
    s.annotations.push_back({"k", json::Value::string("v")});
    s.owner = "";
    CHECK(state_to_json(s) == R"({
  "ociVersion": "1.3.0",
  "id": "web",
  "pid": 4422,
  "status": "running",
  "bundle": "/b",
  "rootfs": "/b/rootfs",
  "created": "2026-01-02T03:04:05.123456789Z",
  "annotations": {
    "k": "v"
  },
  "owner": ""
})");
}

TEST_CASE("state: parses back, keeping unknown members") {
    json::Value doc = json::parse(R"({"ociVersion":"1.3.0","id":"a","pid":0,"status":"stopped","bundle":"/b",
        "rootfs":"/r","created":"c","owner":"root","x-extra":{"n":1}})");
    State s = parse_state(doc);
    CHECK(s.pid == 0);
    CHECK(s.owner == "root");
    REQUIRE(s.extra.size() == 1);
    CHECK(s.extra[0].key == "x-extra");
    CHECK(parse_state(json::parse(state_to_json(s))) == s);
}

TEST_CASE("state: required fields and the pid's range") {
    CHECK(error_of([] { parse_state(json::parse(R"({"ociVersion":"1","id":"a","status":"created"})")); }) ==
          R"(missing required field "bundle")");
    CHECK(error_of([] {
              parse_state(json::parse(R"({"ociVersion":"1","id":"a","status":"created","bundle":"/b","pid":-1})"));
          }) == "pid: expected a non-negative integer, got number -1");
    CHECK(error_of([] {
              parse_state(json::parse(R"({"ociVersion":"1","id":"a","status":"created","bundle":"/b","pid":"1"})"));
          }) == R"(pid: expected an integer, got string "1")");
}

TEST_CASE("features: every field is written, in features-linux.md's order") {
    Features f;
    f.oci_version_min = "1.0.0";
    f.oci_version_max = "1.3.0";
    f.hooks = std::vector<std::string>{"prestart"};
    f.mount_options = std::vector<std::string>{"ro"};
    LinuxFeatures l;
    l.namespaces = std::vector<std::string>{"pid"};
    l.capabilities = std::vector<std::string>{"CAP_CHOWN"};
    l.cgroup = CgroupFeatures{true, true, false, false, true, {}};
    using V = std::vector<std::string>;
    l.seccomp.emplace();
    l.seccomp->enabled = true;
    l.seccomp->actions = V{"SCMP_ACT_ALLOW"};
    l.seccomp->operators = V{"SCMP_CMP_EQ"};
    l.seccomp->archs = V{"SCMP_ARCH_X86_64"};
    l.seccomp->known_flags = V{"SECCOMP_FILTER_FLAG_LOG"};
    l.seccomp->supported_flags = V{};  // known but unsupported here: present and empty
    l.apparmor = EnabledFeature{false, {}};
    l.selinux = EnabledFeature{false, {}};
    l.memory_policy.emplace();
    l.memory_policy->modes = V{"MPOL_BIND"};
    l.memory_policy->flags = V{"MPOL_F_STATIC_NODES"};
    l.intel_rdt = IntelRdtFeatures{true, true, false, {}};
    l.mount_extensions = MountExtensionsFeatures{EnabledFeature{true, {}}, {}};
    l.net_devices = EnabledFeature{true, {}};
    f.linux = l;
    f.annotations.push_back({"org.hull.version", json::Value::string("0.1.0")});
    f.potentially_unsafe_config_annotations = std::vector<std::string>{"org.hull."};
    std::string out = features_to_json(f);
    CHECK(json::parse(out) == json::parse(R"({"ociVersionMin":"1.0.0","ociVersionMax":"1.3.0","hooks":["prestart"],
        "mountOptions":["ro"],"linux":{"namespaces":["pid"],"capabilities":["CAP_CHOWN"],
        "cgroup":{"v1":true,"v2":true,"systemd":false,"systemdUser":false,"rdma":true},
        "seccomp":{"enabled":true,"actions":["SCMP_ACT_ALLOW"],"operators":["SCMP_CMP_EQ"],"archs":["SCMP_ARCH_X86_64"],
                   "knownFlags":["SECCOMP_FILTER_FLAG_LOG"],"supportedFlags":[]},
        "apparmor":{"enabled":false},"selinux":{"enabled":false},
        "memoryPolicy":{"modes":["MPOL_BIND"],"flags":["MPOL_F_STATIC_NODES"]},
        "intelRdt":{"enabled":true,"schemata":true,"monitoring":false},
        "mountExtensions":{"idmap":{"enabled":true}},"netDevices":{"enabled":true}},
        "annotations":{"org.hull.version":"0.1.0"},"potentiallyUnsafeConfigAnnotations":["org.hull."]})"));
    CHECK(out.starts_with("{\n  \"ociVersionMin\": \"1.0.0\",\n"));
    CHECK(out.back() == '}');
    CHECK(parse_features(json::parse(out)) == f);
}

TEST_CASE("features: absent sections stay absent (unknown, not unsupported)") {
    Features f;
    f.oci_version_min = "1.0.0";
    f.oci_version_max = "1.3.0";
    CHECK(json::parse(features_to_json(f)) == json::parse(R"({"ociVersionMin":"1.0.0","ociVersionMax":"1.3.0"})"));
}
