// config.json ↔ Spec: every field round-trips, unknown members survive at
// every level, numbers are exact, and errors name the JSON path.
#include <doctest/doctest.h>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "oci/runtime/spec.hpp"
#include "runtime_test_util.hpp"
#include "util/files.hpp"

using namespace hull;
using namespace hull::oci;
using hull::test::data_path;
using hull::test::error_of;
using hull::test::spec_with;

namespace {

json::Value full_config() { return json::parse_file(data_path("config-full.json")); }

std::string parse_error(std::string_view doc) {
    return error_of([&] { parse_spec(json::parse(doc)); });
}

bool has_member(const json::Object& object, std::string_view key) {
    for (const auto& m : object) {
        if (m.key == key) return true;
    }
    return false;
}

}  // namespace

TEST_CASE("spec: the full fixture is written back exactly as read, member order and unknown fields included") {
    json::Value doc = full_config();
    Spec spec = parse_spec(doc);
    CHECK(json::parse(spec_to_json(spec, false)) == doc);
    CHECK(json::parse(spec_to_json(spec, true)) == doc);
    CHECK(parse_spec(json::parse(spec_to_json(spec, false))) == spec);
}

TEST_CASE("spec: the full fixture validates") {
    Spec spec = parse_spec(full_config());
    CHECK_NOTHROW(validate_spec(spec));
}

TEST_CASE("spec: process fields land in their members") {
    Spec s = parse_spec(full_config());
    REQUIRE(s.process);
    const Process& p = *s.process;
    CHECK(p.terminal == true);
    CHECK(p.console_size->height == 24);
    CHECK(p.console_size->width == 80);
    CHECK(p.user.uid == 1000);
    CHECK(p.user.umask == 18u);
    CHECK(p.user.additional_gids == std::vector<std::uint32_t>{5, 6, 4294967295u});
    CHECK(p.user.username == "app");
    CHECK(p.args == std::vector<std::string>{"/bin/sh", "-c", "echo hi"});
    CHECK(p.command_line == "sh -c \"echo hi\"");
    CHECK(p.cwd == "/home/app");
    CHECK(p.capabilities->effective->size() == 2);
    CHECK(p.capabilities->inheritable->empty());  // present and empty, not absent
    CHECK(p.capabilities->ambient == std::vector<std::string>{"CAP_NET_BIND_SERVICE"});
    CHECK(p.rlimits[1].hard == UINT64_MAX);
    CHECK(p.apparmor_profile == "hull-default");
    CHECK(p.no_new_privileges == true);
    CHECK(p.oom_score_adj == -1000);
    CHECK(p.scheduler->policy == "SCHED_DEADLINE");
    CHECK(p.scheduler->nice == 5);
    CHECK(p.scheduler->deadline == 20000000u);
    CHECK(p.io_priority->io_class == "IOPRIO_CLASS_BE");
    CHECK(p.io_priority->priority == 4);
    CHECK(p.exec_cpu_affinity->initial == "0-3,7");
    CHECK(p.exec_cpu_affinity->final_ == "4");
}

TEST_CASE("spec: top-level, mount and hook fields land in their members") {
    Spec s = parse_spec(full_config());
    CHECK(s.oci_version == "1.3.0");
    CHECK(s.root->readonly == true);
    CHECK(s.mounts[1].source == "/srv/data");
    CHECK(s.mounts[1].uid_mappings[0].host_id == 100000);
    CHECK(s.mounts[1].gid_mappings[0].size == 65536);
    CHECK(s.hostname == "full");
    CHECK(s.domainname == "example.test");
    CHECK(s.hooks->create_container[0].path == "/usr/bin/create-container");
    CHECK(s.hooks->poststop[0].timeout == 5);
    CHECK(s.hooks->prestart[0].env == std::vector<std::string>{"A=1"});
    REQUIRE(s.annotations.size() == 2);
    CHECK(s.annotations[0].key == "org.example.b");  // document order, not sorted
}

TEST_CASE("spec: linux fields land in their members") {
    Spec s = parse_spec(full_config());
    const Linux& l = *s.linux;
    CHECK(l.namespaces.size() == 8);
    CHECK(l.gid_mappings[1].container_id == 65536);
    CHECK(l.time_offsets[0].first == "monotonic");
    CHECK(l.time_offsets[0].second.secs == -172800);
    CHECK(l.time_offsets[0].second.nanosecs == 999999999u);
    CHECK(l.devices[0].file_mode == 438u);
    CHECK(!l.devices[1].major);
    CHECK(l.net_devices[0].second.name == "ctr0");
    CHECK(!l.net_devices[1].second.name);
    CHECK(l.cgroups_path == "/hull/full");
    CHECK(l.intel_rdt->mem_bw_schema == "MB:0=20;1=70");
    CHECK(l.intel_rdt->enable_monitoring == true);
    CHECK(l.memory_policy->nodes == "0-1,3");
    CHECK(l.sysctl[0] == std::pair<std::string, std::string>{"net.ipv4.ip_forward", "1"});
    CHECK(l.rootfs_propagation == "rslave");
    CHECK(l.masked_paths.size() == 2);
    CHECK(l.readonly_paths == std::vector<std::string>{"/proc/sys"});
    CHECK(l.mount_label->starts_with("system_u"));
    CHECK(l.personality->domain == "LINUX32");
    const Seccomp& sc = *l.seccomp;
    CHECK(sc.default_errno_ret == 1u);
    CHECK(sc.listener_metadata == "meta");
    CHECK(sc.syscalls[3].errno_ret == 38u);
    CHECK(sc.syscalls[1].args[0].op == "SCMP_CMP_MASKED_EQ");
}

TEST_CASE("spec: resources fields land in their members") {
    const Resources r = *parse_spec(full_config()).linux->resources;
    CHECK(r.devices[1].major == 10);
    CHECK(r.devices[1].access == "rw");
    CHECK(r.memory->limit == 536870912);
    CHECK(r.memory->reservation == 0);  // zero, not absent
    CHECK(r.memory->swap == -1);
    CHECK(r.memory->kernel_tcp == -1);
    CHECK(r.memory->swappiness == 60u);
    CHECK(r.memory->check_before_update == true);
    CHECK(r.cpu->burst == 50000u);
    CHECK(r.cpu->realtime_runtime == -1);
    CHECK(r.cpu->idle == 1);
    CHECK(r.pids->limit == -1);
    CHECK(r.block_io->leaf_weight == 300);
    CHECK(r.block_io->weight_device[1].weight == 100);
    CHECK(!r.block_io->weight_device[1].leaf_weight);
    CHECK(r.block_io->throttle_write_bps_device[0].rate == UINT64_MAX);
    CHECK(r.block_io->throttle_read_iops_device[0].minor == 16);
    CHECK(r.hugepage_limits[0].limit == 9223372036854772000u);
    CHECK(r.network->class_id == 1048577u);
    CHECK(r.network->priorities[0].priority == 500u);
    CHECK(r.rdma[0].second.hca_handles == 3u);
    CHECK(!r.rdma[1].second.hca_handles);
    CHECK(r.unified[1].second == "8:0 rbps=1048576");
}

TEST_CASE("spec: unknown members are kept at the top level and nested, and written back") {
    Spec s = parse_spec(full_config());
    CHECK(has_member(s.extra, "x-top-level"));
    CHECK(has_member(s.process->user.extra, "x-unknown"));
    CHECK(has_member(s.linux->resources->memory->extra, "x-unknown"));
    CHECK(has_member(s.linux->seccomp->syscalls[1].args[0].extra, "x-unknown"));
    CHECK(has_member(s.linux->time_offsets[0].second.extra, "x-unknown"));

    Spec small = spec_with(R"({"future": {"a": [1, 2]}, "linux": {"resources": {"cpu": {"newKnob": 7}}}})");
    std::string out = spec_to_json(small, false);
    CHECK(out.find(R"("future":{"a":[1,2]})") != std::string::npos);
    CHECK(out.find(R"("cpu":{"newKnob":7})") != std::string::npos);
}

TEST_CASE("spec: seccomp argument values above INT64_MAX are exact") {
    Spec s = parse_spec(full_config());
    const SeccompArg& arg = s.linux->seccomp->syscalls[1].args[0];
    CHECK(arg.value == 18446744073709551615ULL);
    CHECK(arg.value_two == 9223372036854775808ULL);
    std::string out = spec_to_json(s, false);
    CHECK(out.find(R"("value":18446744073709551615,"valueTwo":9223372036854775808)") != std::string::npos);
}

TEST_CASE("spec: absent and zero differ for optional numbers") {
    Spec zero = spec_with(R"({"linux": {"resources": {"memory": {"limit": 0}}}})");
    Spec absent = spec_with(R"({"linux": {"resources": {"memory": {}}}})");
    CHECK(zero.linux->resources->memory->limit == 0);
    CHECK(!absent.linux->resources->memory->limit);
    CHECK(spec_to_json(absent, false).find("\"limit\"") == std::string::npos);
}

TEST_CASE("spec: a value of the wrong type names its path") {
    CHECK(parse_error(R"({"ociVersion": "1.3.0", "linux": {"resources": {"memory": {"limit": "1G"}}}})") ==
          R"(linux.resources.memory.limit: expected an integer, got string "1G")");
    CHECK(parse_error(R"({"ociVersion": "1.3.0", "annotations": {"a": 1}})") ==
          "annotations.a: expected a string, got number 1");
    CHECK(parse_error(R"({"ociVersion": "1.3.0", "process": {"user": {"uid": 0, "gid": 0}, "cwd": "/", "args": "sh"}})") ==
          R"(process.args: expected an array, got string "sh")");
    CHECK(parse_error(R"({"ociVersion": "1.3.0", "linux": {"seccomp": {"defaultAction": "SCMP_ACT_ALLOW",
          "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 1.5, "op": "SCMP_CMP_EQ"}]}]}}})") ==
          "linux.seccomp.syscalls[0].args[0].value: expected an integer, got number 1.5");
    CHECK(parse_error(R"({"ociVersion": "1.3.0", "mounts": {}})") == "mounts: expected an array, got an object");
    CHECK(parse_error("[]") == "expected an object, got an array");
}

TEST_CASE("spec: integers out of their range name the path and the range") {
    CHECK(parse_error(R"({"ociVersion": "1.3.0", "process": {"user": {"uid": 5000000000, "gid": 0}, "cwd": "/"}})") ==
          "process.user.uid: expected an integer in [0, 4294967295], got number 5000000000");
    CHECK(parse_error(R"({"ociVersion": "1.3.0", "process": {"user": {"uid": 0, "gid": -1}, "cwd": "/"}})") ==
          "process.user.gid: expected an integer in [0, 4294967295], got number -1");
    CHECK(parse_error(R"({"ociVersion": "1.3.0", "process": {"user": {"uid": 0, "gid": 0}, "cwd": "/",
          "rlimits": [{"type": "RLIMIT_CORE", "soft": -1, "hard": 1}]}})") ==
          "process.rlimits[0].soft: expected a non-negative integer, got number -1");
    CHECK(parse_error(R"({"ociVersion": "1.3.0", "linux": {"resources": {"blockIO": {"weight": 70000}}}})") ==
          "linux.resources.blockIO.weight: expected an integer in [0, 65535], got number 70000");
    CHECK(parse_error(R"({"ociVersion": "1.3.0", "linux": {"resources": {"memory": {"limit": 9223372036854775808}}}})") ==
          "linux.resources.memory.limit: expected an integer in [-9223372036854775808, 9223372036854775807], got number "
          "9223372036854775808");
    CHECK(parse_error(R"({"ociVersion": "1.3.0", "process": {"user": {"uid": 0, "gid": 0}, "cwd": "/", "oomScoreAdj": 3000000000}})") ==
          "process.oomScoreAdj: expected an integer in [-2147483648, 2147483647], got number 3000000000");
}

TEST_CASE("spec: a missing required field names the object that lacks it") {
    CHECK(parse_error("{}") == R"(missing required field "ociVersion")");
    CHECK(parse_error(R"({"ociVersion": "1.3.0", "linux": {"devices": [{"type": "c"}]}})") ==
          R"(linux.devices[0]: missing required field "path")");
    CHECK(parse_error(R"({"ociVersion": "1.3.0", "process": {"user": {"uid": 0, "gid": 0}}})") ==
          R"(process: missing required field "cwd")");
    CHECK(parse_error(R"({"ociVersion": "1.3.0", "linux": {"uidMappings": [{"containerID": 0, "hostID": 1}]}})") ==
          R"(linux.uidMappings[0]: missing required field "size")");
    CHECK(parse_error(R"({"ociVersion": "1.3.0", "linux": {"seccomp": {}}})") ==
          R"(linux.seccomp: missing required field "defaultAction")");
}

TEST_CASE("spec: process.user is optional and means uid 0, gid 0 (as runc); its ids are not") {
    Spec spec = parse_spec(json::parse(R"({"ociVersion": "1.3.0", "process": {"cwd": "/", "args": ["sh"]}})"));
    REQUIRE(spec.process);
    CHECK(spec.process->user == User{});
    CHECK(spec.process->user.uid == 0);
    CHECK(spec.process->user.gid == 0);
    CHECK(parse_error(R"({"ociVersion": "1.3.0", "process": {"user": {"gid": 0}, "cwd": "/"}})") ==
          R"(process.user: missing required field "uid")");
}

TEST_CASE("spec: load_spec prefixes errors with the file's name") {
    char dir_template[] = "/tmp/hull-spec-test-XXXXXX";
    REQUIRE(::mkdtemp(dir_template) != nullptr);
    std::string dir = dir_template;
    std::string path = dir + "/config.json";
    std::ofstream(path) << R"({"ociVersion": "1.3.0", "linux": {"resources": {"memory": {"limit": "1G"}}}})";
    CHECK(error_of([&] { load_spec(path); }) ==
          R"(config.json: linux.resources.memory.limit: expected an integer, got string "1G")");
    std::ofstream(path) << R"({"ociVersion": "1.3.0", "root": {"path": "rootfs"}})";
    CHECK(load_spec(path).root->path == "rootfs");
    CHECK(load_and_validate_spec(path).oci_version == "1.3.0");
    std::filesystem::remove_all(dir);
    CHECK(error_of([&] { load_spec(path); }).starts_with("config.json: "));
}

TEST_CASE("spec: resources alone (update --resources) parse and write back") {
    json::Value doc = json::parse(R"({"memory":{"limit":0,"swap":-1},"cpu":{"shares":512},"pids":{"limit":10},"x":1})");
    Resources r = parse_resources(json::Reader(doc, ""));
    CHECK(r.memory->limit == 0);
    CHECK(!r.memory->reservation);
    json::Writer w;
    write_resources(w, r);
    CHECK(json::parse(w.str()) == doc);
    json::Value bad = json::parse(R"({"memory":{"limit":"1G"}})");
    CHECK(error_of([&] { parse_resources(json::Reader(bad, "")); }) ==
          R"(memory.limit: expected an integer, got string "1G")");
}

TEST_CASE("spec: a NUL byte in a string or a name is refused, naming where: it would cut the C string short") {
    CHECK(parse_error(R"({"ociVersion": "1.3.0", "process": {"cwd": "/tmp\u0000/etc", "args": ["sh"]}})") ==
          R"(process.cwd: a string with a NUL byte (\u0000) in it)");
    CHECK(parse_error(R"({"ociVersion": "1.3.0", "process": {"cwd": "/", "args": ["sh", "-c\u0000x"]}})") ==
          R"(process.args[1]: a string with a NUL byte (\u0000) in it)");
    CHECK(parse_error(R"({"ociVersion": "1.3.0", "process": {"cwd": "/", "args": ["sh"], "env": ["A=b\u0000"]}})") ==
          R"(process.env[0]: a string with a NUL byte (\u0000) in it)");
    CHECK(parse_error(R"({"ociVersion": "1.3.0", "linux": {"sysctl": {"net.ipv4.ip_forward\u0000x": "1"}}})") ==
          R"(linux.sysctl: a name with a NUL byte (\u0000) in it)");
}
