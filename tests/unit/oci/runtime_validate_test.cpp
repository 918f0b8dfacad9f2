// validate_spec: one test per semantic check, each pinning the message
// (path first, then what is wrong and what was expected).
#include <doctest/doctest.h>

#include "runtime_test_util.hpp"

using namespace hull;
using hull::test::validation_error;

namespace {
constexpr std::string_view kOk = "no error";
}

TEST_CASE("validate: the base config passes") { CHECK(validation_error("{}") == kOk); }

TEST_CASE("validate: ociVersion is SemVer and 1.x (pre-1.0 accepted as runc does)") {
    CHECK(validation_error(R"({"ociVersion": "1.0"})") ==
          R"(config.json: ociVersion: "1.0" is not a SemVer version such as 1.3.0)");
    CHECK(validation_error(R"({"ociVersion": "01.0.0"})") ==
          R"(config.json: ociVersion: "01.0.0" is not a SemVer version such as 1.3.0)");
    CHECK(validation_error(R"({"ociVersion": "2.0.0"})") ==
          "config.json: ociVersion: version 2.0.0 is not supported: expected 1.x");
    CHECK(validation_error(R"({"ociVersion": "1.2.1-rc.1+dev"})") == kOk);
    CHECK(validation_error(R"({"ociVersion": "0.5.0-dev"})") == kOk);
}

TEST_CASE("validate: root.path is required on Linux") {
    CHECK(validation_error(R"({"root": null})") == "config.json: root: missing: a Linux container needs root.path");
    CHECK(validation_error(R"({"root": {"path": ""}})") == R"(config.json: root.path: expected a path, got "")");
}

TEST_CASE("validate: process.cwd is absolute and args are not empty") {
    CHECK(validation_error(R"({"process": {"cwd": "home"}})") ==
          R"(config.json: process.cwd: "home" is not an absolute path)");
    CHECK(validation_error(R"({"process": {"args": []}})") ==
          "config.json: process.args: expected at least one argument (the program to run)");
    CHECK(validation_error(R"({"process": {"args": null, "commandLine": "sh"}})") ==
          "config.json: process.args: expected at least one argument (the program to run)");
    CHECK(validation_error(R"({"process": null})") == kOk);  // process is optional until start
}

TEST_CASE("validate: env entries are NAME=value") {
    CHECK(validation_error(R"({"process": {"env": ["A=1", "B"]}})") ==
          R"(config.json: process.env[1]: "B" is not of the form NAME=value)");
    CHECK(validation_error(R"({"process": {"env": ["=x"]}})") ==
          R"(config.json: process.env[0]: "=x" is not of the form NAME=value)");
    CHECK(validation_error(R"({"process": {"env": ["A="]}})") == kOk);
}

TEST_CASE("validate: namespace types are known and not repeated, paths absolute") {
    CHECK(validation_error(R"({"linux": {"namespaces": [{"type": "net"}]}})") ==
          R"(config.json: linux.namespaces[0].type: unknown value "net": expected one of pid, network, mount, ipc, uts, user, cgroup, time)");
    CHECK(validation_error(R"({"hostname": null, "linux": {"namespaces": [{"type": "pid"}, {"type": "pid"}]}})") ==
          "config.json: linux.namespaces[1].type: pid is listed twice");
    CHECK(validation_error(R"({"hostname": null, "linux": {"namespaces": [{"type": "network", "path": "run/netns/a"}]}})") ==
          R"(config.json: linux.namespaces[0].path: "run/netns/a" is not an absolute path)");
}

TEST_CASE("validate: a new user namespace needs uid and gid mappings") {
    CHECK(validation_error(R"({"hostname": null, "linux": {"namespaces": [{"type": "user"}]}})") ==
          "config.json: linux.uidMappings: required when a new user namespace is created");
    CHECK(validation_error(R"({"hostname": null, "linux": {"namespaces": [{"type": "user"}],
          "uidMappings": [{"containerID": 0, "hostID": 1000, "size": 1}]}})") ==
          "config.json: linux.gidMappings: required when a new user namespace is created");
    CHECK(validation_error(R"({"hostname": null, "linux": {"namespaces": [{"type": "user"}],
          "uidMappings": [{"containerID": 0, "hostID": 1000, "size": 1}],
          "gidMappings": [{"containerID": 0, "hostID": 1000, "size": 1}]}})") == kOk);
}

TEST_CASE("validate: mappings need a user namespace (joined by path is fine)") {
    CHECK(validation_error(R"({"linux": {"uidMappings": [{"containerID": 0, "hostID": 1000, "size": 1}]}})") ==
          "config.json: linux.uidMappings: mappings need a user namespace in linux.namespaces");
    CHECK(validation_error(R"({"linux": {"gidMappings": [{"containerID": 0, "hostID": 1000, "size": 1}]}})") ==
          "config.json: linux.gidMappings: mappings need a user namespace in linux.namespaces");
    CHECK(validation_error(R"({"hostname": null, "linux": {"namespaces": [{"type": "user", "path": "/proc/1/ns/user"}],
          "uidMappings": [{"containerID": 0, "hostID": 1000, "size": 1}]}})") == kOk);
}

TEST_CASE("validate: hook paths are absolute and timeouts positive") {
    CHECK(validation_error(R"({"hooks": {"poststop": [{"path": "cleanup.sh"}]}})") ==
          R"(config.json: hooks.poststop[0].path: "cleanup.sh" is not an absolute path)");
    CHECK(validation_error(R"({"hooks": {"createRuntime": [{"path": "/bin/true", "timeout": 0}]}})") ==
          "config.json: hooks.createRuntime[0].timeout: 0 is not greater than zero");
    CHECK(validation_error(R"({"hooks": {"prestart": [{"path": "/bin/true", "timeout": -5}]}})") ==
          "config.json: hooks.prestart[0].timeout: -5 is not greater than zero");
    CHECK(validation_error(R"({"hooks": {"startContainer": [{"path": "/bin/true", "timeout": 1}]}})") == kOk);
}

TEST_CASE("validate: rlimits are known, unique and soft <= hard") {
    CHECK(validation_error(R"({"process": {"rlimits": [{"type": "RLIMIT_FOO", "soft": 1, "hard": 1}]}})")
              .starts_with(R"(config.json: process.rlimits[0].type: unknown value "RLIMIT_FOO": expected one of RLIMIT_AS, )"));
    CHECK(validation_error(R"({"process": {"rlimits": [{"type": "RLIMIT_NOFILE", "soft": 1, "hard": 1},
          {"type": "RLIMIT_NOFILE", "soft": 2, "hard": 2}]}})") ==
          "config.json: process.rlimits[1].type: RLIMIT_NOFILE is set twice");
    CHECK(validation_error(R"({"process": {"rlimits": [{"type": "RLIMIT_NOFILE", "soft": 2048, "hard": 1024}]}})") ==
          "config.json: process.rlimits[0]: soft limit 2048 is above the hard limit 1024");
}

TEST_CASE("validate: mount destinations may be relative (deprecated) but not empty; idmaps come in pairs") {
    CHECK(validation_error(R"({"mounts": [{"destination": "tmp", "type": "tmpfs"}]})") == kOk);
    CHECK(validation_error(R"({"mounts": [{"destination": ""}]})") ==
          R"(config.json: mounts[0].destination: expected a path, got "")");
    CHECK(validation_error(R"({"mounts": [{"destination": "/d", "uidMappings": [{"containerID": 0, "hostID": 1, "size": 1}]}]})") ==
          "config.json: mounts[0].gidMappings: required with the other of uidMappings and gidMappings (an idmapped mount "
          "needs both)");
}

TEST_CASE("validate: capability names have the CAP_ form; unknown ones are left to warn about") {
    CHECK(validation_error(R"({"process": {"capabilities": {"ambient": ["CAP_CHOWN", "chown"]}}})") ==
          R"(config.json: process.capabilities.ambient[1]: "chown" is not a capability name such as CAP_CHOWN)");
    CHECK(validation_error(R"({"process": {"capabilities": {"bounding": ["CAP_"]}}})") ==
          R"(config.json: process.capabilities.bounding[0]: "CAP_" is not a capability name such as CAP_CHOWN)");
    CHECK(validation_error(R"({"process": {"capabilities": {"bounding": ["CAP_FROM_A_NEWER_KERNEL"]}}})") == kOk);
    CHECK(oci::is_known_capability("CAP_CHECKPOINT_RESTORE"));
    CHECK(oci::is_known_capability("CAP_CHOWN"));
    CHECK(!oci::is_known_capability("CAP_FROM_A_NEWER_KERNEL"));
}

TEST_CASE("validate: devices have a known type, an absolute path, and numbers unless a fifo") {
    CHECK(validation_error(R"({"linux": {"devices": [{"type": "x", "path": "/dev/x", "major": 1, "minor": 1}]}})") ==
          R"(config.json: linux.devices[0].type: unknown device type "x": expected c, b, u or p)");
    CHECK(validation_error(R"({"linux": {"devices": [{"type": "c", "path": "dev/x", "major": 1, "minor": 1}]}})") ==
          R"(config.json: linux.devices[0].path: "dev/x" is not an absolute path)");
    CHECK(validation_error(R"({"linux": {"devices": [{"type": "b", "path": "/dev/sda", "major": 8}]}})") ==
          R"(config.json: linux.devices[0]: major and minor are required for a device of type "b")");
    CHECK(validation_error(R"({"linux": {"devices": [{"type": "p", "path": "/dev/fifo"}]}})") == kOk);
}

TEST_CASE("validate: seccomp actions, operators, flags and architectures are from the spec's lists") {
    CHECK(validation_error(R"({"linux": {"seccomp": {"defaultAction": "SCMP_ACT_DENY"}}})")
              .starts_with(R"(config.json: linux.seccomp.defaultAction: unknown value "SCMP_ACT_DENY": expected one of SCMP_ACT_KILL, )"));
    CHECK(validation_error(R"({"linux": {"seccomp": {"defaultAction": "SCMP_ACT_ALLOW",
          "syscalls": [{"names": ["read"], "action": "ALLOW"}]}}})")
              .starts_with(R"(config.json: linux.seccomp.syscalls[0].action: unknown value "ALLOW")"));
    CHECK(validation_error(R"({"linux": {"seccomp": {"defaultAction": "SCMP_ACT_ALLOW",
          "syscalls": [{"names": ["read"], "action": "SCMP_ACT_LOG", "args": [{"index": 0, "value": 1, "op": "SCMP_CMP_XOR"}]}]}}})") ==
          R"(config.json: linux.seccomp.syscalls[0].args[0].op: unknown value "SCMP_CMP_XOR": expected one of SCMP_CMP_NE, SCMP_CMP_LT, SCMP_CMP_LE, SCMP_CMP_EQ, SCMP_CMP_GE, SCMP_CMP_GT, SCMP_CMP_MASKED_EQ)");
    CHECK(validation_error(R"({"linux": {"seccomp": {"defaultAction": "SCMP_ACT_ALLOW", "flags": ["SECCOMP_FILTER_FLAG_NEW_LISTENER"]}}})")
              .starts_with(R"(config.json: linux.seccomp.flags[0]: unknown value "SECCOMP_FILTER_FLAG_NEW_LISTENER")"));
    CHECK(validation_error(R"({"linux": {"seccomp": {"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["x86_64"]}}})")
              .starts_with(R"(config.json: linux.seccomp.architectures[0]: unknown value "x86_64")"));
}

TEST_CASE("validate: seccomp rules name a syscall and an argument 0..5") {
    CHECK(validation_error(R"({"linux": {"seccomp": {"defaultAction": "SCMP_ACT_ALLOW",
          "syscalls": [{"names": [], "action": "SCMP_ACT_LOG"}]}}})") ==
          "config.json: linux.seccomp.syscalls[0].names: expected at least one syscall name");
    CHECK(validation_error(R"({"linux": {"seccomp": {"defaultAction": "SCMP_ACT_ALLOW",
          "syscalls": [{"names": ["read"], "action": "SCMP_ACT_LOG", "args": [{"index": 6, "value": 1, "op": "SCMP_CMP_EQ"}]}]}}})") ==
          "config.json: linux.seccomp.syscalls[0].args[0].index: 6 is outside 0..5 (a syscall has six arguments)");
}

TEST_CASE("validate: errnoRet only with actions that return an errno") {
    CHECK(validation_error(R"({"linux": {"seccomp": {"defaultAction": "SCMP_ACT_KILL", "defaultErrnoRet": 1}}})") ==
          "config.json: linux.seccomp.defaultErrnoRet: SCMP_ACT_KILL returns no errno: expected SCMP_ACT_ERRNO or "
          "SCMP_ACT_TRACE");
    CHECK(validation_error(R"({"linux": {"seccomp": {"defaultAction": "SCMP_ACT_ALLOW",
          "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ALLOW", "errnoRet": 1}]}}})") ==
          "config.json: linux.seccomp.syscalls[0].errnoRet: SCMP_ACT_ALLOW returns no errno: expected SCMP_ACT_ERRNO or "
          "SCMP_ACT_TRACE");
    CHECK(validation_error(R"({"linux": {"seccomp": {"defaultAction": "SCMP_ACT_TRACE", "defaultErrnoRet": 1}}})") == kOk);
}

TEST_CASE("validate: errnoRet is an errno (below MAX_ERRNO, as libseccomp takes it; never truncated to 0)") {
    CHECK(validation_error(R"({"linux": {"seccomp": {"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 65536}}})") ==
          "config.json: linux.seccomp.defaultErrnoRet: 65536 is not an errno: expected at most 4094");
    CHECK(validation_error(R"({"linux": {"seccomp": {"defaultAction": "SCMP_ACT_ALLOW",
          "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ERRNO", "errnoRet": 4096}]}}})") ==
          "config.json: linux.seccomp.syscalls[0].errnoRet: 4096 is not an errno: expected at most 4094");
    // Seeding seccomp-fuzz: 4095 passed validation, then libseccomp refused
    // it ("linux.seccomp.defaultAction: libseccomp refused 0x50fff", "add the
    // rule for chmod: invalid argument").
    CHECK(validation_error(R"({"linux": {"seccomp": {"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 4095}}})") ==
          "config.json: linux.seccomp.defaultErrnoRet: 4095 is not an errno: expected at most 4094");
    CHECK(validation_error(R"({"linux": {"seccomp": {"defaultAction": "SCMP_ACT_LOG",
          "syscalls": [{"names": ["chmod"], "action": "SCMP_ACT_ERRNO", "errnoRet": 4095}]}}})") ==
          "config.json: linux.seccomp.syscalls[0].errnoRet: 4095 is not an errno: expected at most 4094");
    CHECK(validation_error(R"({"linux": {"seccomp": {"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 4094}}})") == kOk);
    CHECK(validation_error(R"({"linux": {"seccomp": {"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 0}}})") == kOk);
}

TEST_CASE("validate: SCMP_ACT_NOTIFY needs listenerPath; listenerMetadata needs it too") {
    CHECK(validation_error(R"({"linux": {"seccomp": {"defaultAction": "SCMP_ACT_ALLOW",
          "syscalls": [{"names": ["mount"], "action": "SCMP_ACT_NOTIFY"}]}}})") ==
          "config.json: linux.seccomp.listenerPath: required when an action is SCMP_ACT_NOTIFY");
    CHECK(validation_error(R"({"linux": {"seccomp": {"defaultAction": "SCMP_ACT_NOTIFY"}}})") ==
          "config.json: linux.seccomp.listenerPath: required when an action is SCMP_ACT_NOTIFY");
    CHECK(validation_error(R"({"linux": {"seccomp": {"defaultAction": "SCMP_ACT_ALLOW", "listenerMetadata": "m"}}})") ==
          "config.json: linux.seccomp.listenerMetadata: set without listenerPath");
    CHECK(validation_error(R"({"linux": {"seccomp": {"defaultAction": "SCMP_ACT_NOTIFY", "listenerPath": "/run/a.sock"}}})") == kOk);
}

TEST_CASE("validate: rootfsPropagation is a propagation type") {
    CHECK(validation_error(R"({"linux": {"rootfsPropagation": "recursive"}})")
              .starts_with(R"(config.json: linux.rootfsPropagation: unknown value "recursive": expected one of private, shared, slave, unbindable)"));
    CHECK(validation_error(R"({"linux": {"rootfsPropagation": "rprivate"}})") == kOk);
    CHECK(validation_error(R"({"linux": {"rootfsPropagation": "slave"}})") == kOk);
}

TEST_CASE("validate: timeOffsets need a new time namespace and name a known clock") {
    CHECK(validation_error(R"({"linux": {"timeOffsets": {"monotonic": {"secs": 1}}}})") ==
          "config.json: linux.timeOffsets: needs a new time namespace in linux.namespaces");
    CHECK(validation_error(R"({"hostname": null, "linux": {"namespaces": [{"type": "time"}], "timeOffsets": {"realtime": {"secs": 1}}}})") ==
          R"(config.json: linux.timeOffsets.realtime: unknown value "realtime": expected one of monotonic, boottime)");
    CHECK(validation_error(R"({"hostname": null, "linux": {"namespaces": [{"type": "time"}], "timeOffsets": {"boottime": {"nanosecs": 1000000000}}}})") ==
          "config.json: linux.timeOffsets.boottime.nanosecs: expected less than 1000000000");
    CHECK(validation_error(R"({"hostname": null, "linux": {"namespaces": [{"type": "time"}], "timeOffsets": {"boottime": {"secs": -5}}}})") == kOk);
}

TEST_CASE("validate: sysctls are non-empty and belong to a namespace the container owns") {
    CHECK(validation_error(R"({"linux": {"sysctl": {"": "1"}}})") == "config.json: linux.sysctl: a key is the empty string");
    CHECK(validation_error(R"({"linux": {"namespaces": [{"type": "uts"}], "sysctl": {"net.ipv4.ip_forward": "1"}}})") ==
          "config.json: linux.sysctl.net.ipv4.ip_forward: a network sysctl needs a network namespace in linux.namespaces");
    CHECK(validation_error(R"({"linux": {"namespaces": [{"type": "uts"}], "sysctl": {"kernel.shmmax": "1"}}})") ==
          "config.json: linux.sysctl.kernel.shmmax: an IPC sysctl needs an ipc namespace in linux.namespaces");
    CHECK(validation_error(R"({"linux": {"sysctl": {"kernel.hostname": "x"}}})") ==
          "config.json: linux.sysctl.kernel.hostname: set the hostname with the hostname field instead");
    CHECK(validation_error(R"({"linux": {"sysctl": {"kernel.panic": "1"}}})") ==
          "config.json: linux.sysctl.kernel.panic: this sysctl is not namespaced: setting it would change the host");
    CHECK(validation_error(R"({"linux": {"sysctl": {"net/ipv4/ip_forward": "1", "fs.mqueue.msg_max": "10",
          "kernel.domainname": "d"}}})") == kOk);
}

TEST_CASE("validate: hostname and domainname need a uts namespace (joined by path counts)") {
    CHECK(validation_error(R"({"linux": {"namespaces": [{"type": "pid"}]}})") ==
          "config.json: hostname: setting a hostname needs a uts namespace in linux.namespaces");
    CHECK(validation_error(R"({"linux": null})") ==
          "config.json: hostname: setting a hostname needs a uts namespace in linux.namespaces");
    CHECK(validation_error(R"({"hostname": null, "domainname": "d", "linux": {"namespaces": [{"type": "pid"}]}})") ==
          "config.json: domainname: setting a domainname needs a uts namespace in linux.namespaces");
    CHECK(validation_error(R"({"linux": {"namespaces": [{"type": "uts", "path": "/proc/1/ns/uts"}]}})") == kOk);
}

TEST_CASE("validate: personality domain is LINUX or LINUX32") {
    CHECK(validation_error(R"({"linux": {"personality": {"domain": "SVR4"}}})") ==
          R"(config.json: linux.personality.domain: unknown value "SVR4": expected one of LINUX, LINUX32)");
}

TEST_CASE("validate: memoryPolicy mode, flags and nodes per mode") {
    CHECK(validation_error(R"({"linux": {"memoryPolicy": {"mode": "MPOL_FOO"}}})")
              .starts_with(R"(config.json: linux.memoryPolicy.mode: unknown value "MPOL_FOO": expected one of MPOL_DEFAULT, )"));
    CHECK(validation_error(R"({"linux": {"memoryPolicy": {"mode": "MPOL_BIND", "nodes": "0", "flags": ["MPOL_F_X"]}}})")
              .starts_with(R"(config.json: linux.memoryPolicy.flags[0]: unknown value "MPOL_F_X")"));
    CHECK(validation_error(R"({"linux": {"memoryPolicy": {"mode": "MPOL_DEFAULT", "nodes": "0"}}})") ==
          "config.json: linux.memoryPolicy.nodes: MPOL_DEFAULT takes no nodes");
    CHECK(validation_error(R"({"linux": {"memoryPolicy": {"mode": "MPOL_INTERLEAVE"}}})") ==
          "config.json: linux.memoryPolicy.nodes: MPOL_INTERLEAVE needs at least one node");
    CHECK(validation_error(R"({"linux": {"memoryPolicy": {"mode": "MPOL_BIND", "nodes": "zero"}}})") ==
          R"(config.json: linux.memoryPolicy.nodes: "zero" is not a node list such as 0-3,7)");
    CHECK(validation_error(R"({"linux": {"memoryPolicy": {"mode": "MPOL_PREFERRED"}}})") == kOk);
}

TEST_CASE("validate: scheduler policy, nice and flags") {
    CHECK(validation_error(R"({"process": {"scheduler": {"policy": "SCHED_NORMAL"}}})")
              .starts_with(R"(config.json: process.scheduler.policy: unknown value "SCHED_NORMAL": expected one of SCHED_OTHER, )"));
    CHECK(validation_error(R"({"process": {"scheduler": {"policy": "SCHED_OTHER", "nice": 20}}})") ==
          "config.json: process.scheduler.nice: 20 is outside -20..19");
    CHECK(validation_error(R"({"process": {"scheduler": {"policy": "SCHED_OTHER", "flags": ["SCHED_FLAG_X"]}}})")
              .starts_with(R"(config.json: process.scheduler.flags[0]: unknown value "SCHED_FLAG_X")"));
}

TEST_CASE("validate: ioPriority class and level") {
    CHECK(validation_error(R"({"process": {"ioPriority": {"class": "IOPRIO_CLASS_NONE", "priority": 0}}})") ==
          R"(config.json: process.ioPriority.class: unknown value "IOPRIO_CLASS_NONE": expected one of IOPRIO_CLASS_RT, IOPRIO_CLASS_BE, IOPRIO_CLASS_IDLE)");
    CHECK(validation_error(R"({"process": {"ioPriority": {"class": "IOPRIO_CLASS_RT", "priority": 8}}})") ==
          "config.json: process.ioPriority.priority: 8 is outside 0..7");
}

TEST_CASE("validate: execCPUAffinity is a cpu list") {
    CHECK(validation_error(R"({"process": {"execCPUAffinity": {"final": "all"}}})") ==
          R"(config.json: process.execCPUAffinity.final: "all" is not a cpu list such as 0-3,7)");
}

TEST_CASE("validate: annotation keys are not empty") {
    CHECK(validation_error(R"({"annotations": {"": "v"}})") == "config.json: annotations: a key is the empty string");
}

TEST_CASE("validate: resources follow the schema's patterns and the spec's one-of rules") {
    CHECK(validation_error(R"({"linux": {"resources": {"hugepageLimits": [{"pageSize": "2mb", "limit": 1}]}}})") ==
          R"(config.json: linux.resources.hugepageLimits[0].pageSize: "2mb" is not a page size such as 2MB or 1GB)");
    CHECK(validation_error(R"({"linux": {"resources": {"devices": [{"allow": true, "type": "p"}]}}})") ==
          R"(config.json: linux.resources.devices[0].type: unknown device type "p": expected a, b or c)");
    CHECK(validation_error(R"({"linux": {"resources": {"devices": [{"allow": true, "access": "rwx"}]}}})") ==
          R"(config.json: linux.resources.devices[0].access: "rwx" is not made of r, w and m)");
    CHECK(validation_error(R"({"linux": {"resources": {"rdma": {"mlx5_1": {}}}}})") ==
          "config.json: linux.resources.rdma.mlx5_1: expected hcaHandles or hcaObjects");
    CHECK(validation_error(R"({"linux": {"resources": {"pids": {}}}})") ==
          R"(config.json: linux.resources.pids: missing required field "limit")");
    CHECK(validation_error(R"({"linux": {"resources": {"blockIO": {"weightDevice": [{"major": 8, "minor": 0}]}}}})") ==
          "config.json: linux.resources.blockIO.weightDevice[0]: expected weight or leafWeight");
    CHECK(validation_error(R"({"linux": {"resources": {"cpu": {"quota": 1000, "burst": 2000}}}})") ==
          "config.json: linux.resources.cpu.burst: 2000 is larger than the quota 1000");
    CHECK(validation_error(R"({"linux": {"resources": {"cpu": {"quota": -1, "burst": 2000}}}})") == kOk);
}

TEST_CASE("validate: netDevices need a network namespace and interface names") {
    CHECK(validation_error(R"({"hostname": null, "linux": {"namespaces": [], "netDevices": {"eth0": {}}}})") ==
          "config.json: linux.netDevices: moving network devices needs a network namespace in linux.namespaces");
    CHECK(validation_error(R"({"linux": {"netDevices": {"eth/0": {}}}})") ==
          R"(config.json: linux.netDevices.eth/0: "eth/0" is not a network interface name)");
    CHECK(validation_error(R"({"linux": {"netDevices": {"eth0": {"name": "a-name-that-is-too-long"}}}})") ==
          R"(config.json: linux.netDevices.eth0.name: "a-name-that-is-too-long" is not a network interface name)");
    CHECK(validation_error(R"({"linux": {"netDevices": {"eth0": {"name": "ctr%d"}}}})") == kOk);
}

TEST_CASE("validate: intelRdt schemas start with MB: and hold no newline") {
    CHECK(validation_error(R"({"linux": {"intelRdt": {"memBwSchema": "L3:0=1"}}})") ==
          R"(config.json: linux.intelRdt.memBwSchema: expected a value starting with "MB:")");
    CHECK(validation_error(R"({"linux": {"intelRdt": {"schemata": ["L3:0=1\nMB:0=1"]}}})") ==
          "config.json: linux.intelRdt.schemata[0]: must not contain a newline");
}

TEST_CASE("validate: maskedPaths and readonlyPaths are absolute") {
    CHECK(validation_error(R"({"linux": {"maskedPaths": ["/proc/kcore", "proc/keys"]}})") ==
          R"(config.json: linux.maskedPaths[1]: "proc/keys" is not an absolute path)");
    CHECK(validation_error(R"({"linux": {"readonlyPaths": [""]}})") ==
          R"(config.json: linux.readonlyPaths[0]: "" is not an absolute path)");
}

TEST_CASE("validate: without a mount namespace nothing that needs a mount is accepted") {
    // Everything else that would need one taken away, so each field is the first failure.
    const std::string none = R"("hostname": null, "mounts": [], "root": {"path": "rootfs", "readonly": false})";
    const std::string ns = R"("namespaces": [{"type": "pid"}, {"type": "ipc"}, {"type": "network"}])";
    auto config = [&](const std::string& linux_extra, const std::string& top = "") {
        return "{" + none + top + R"(, "linux": {)" + ns + R"(, "maskedPaths": [], "readonlyPaths": [])" + linux_extra +
               "}}";
    };
    CHECK(validation_error(config("")) == kOk);
    CHECK(validation_error(R"({"hostname": null, "mounts": [{"destination": "/proc", "type": "proc"}],
          "linux": {"namespaces": [{"type": "pid"}]}})") ==
          "config.json: mounts: needs a mount namespace in linux.namespaces: without one the mounts would be made in the "
          "caller's");
    CHECK(validation_error(R"({"hostname": null, "mounts": [], "root": {"path": "r", "readonly": true}, "linux": {)" + ns + "}}") ==
          "config.json: root.readonly: needs a mount namespace in linux.namespaces");
    CHECK(validation_error(config(R"(, "maskedPaths": ["/proc/kcore"])")) ==
          "config.json: linux.maskedPaths: needs a mount namespace in linux.namespaces");
    CHECK(validation_error(config(R"(, "readonlyPaths": ["/proc/sys"])")) ==
          "config.json: linux.readonlyPaths: needs a mount namespace in linux.namespaces");
    CHECK(validation_error(config(R"(, "devices": [{"path": "/dev/x", "type": "c", "major": 1, "minor": 3}])")) ==
          "config.json: linux.devices: needs a mount namespace in linux.namespaces");
    CHECK(validation_error(config(R"(, "rootfsPropagation": "shared")")) ==
          "config.json: linux.rootfsPropagation: needs a mount namespace in linux.namespaces");
    CHECK(validation_error(config(R"(, "sysctl": {"net.ipv4.ip_forward": "1"})")) ==
          "config.json: linux.sysctl: needs a mount namespace in linux.namespaces");
    // A mount namespace joined by path is the container's own.
    CHECK(validation_error(R"({"hostname": null, "linux": {"namespaces": [{"type": "mount", "path": "/proc/1/ns/mnt"}]}})") == kOk);
}

TEST_CASE("validate: memory.swappiness is 0..100, or Go's -1 for unset, checked before anything is made") {
    CHECK(validation_error(R"({"linux": {"resources": {"memory": {"swappiness": 101}}}})") ==
          "config.json: linux.resources.memory.swappiness: 101 is outside 0..100");
    CHECK(validation_error(R"({"linux": {"resources": {"memory": {"swappiness": 100}}}})") == kOk);
    CHECK(validation_error(R"({"linux": {"resources": {"memory": {"swappiness": 18446744073709551615}}}})") == kOk);
    hull::oci::Resources r;
    r.memory.emplace();
    r.memory->swappiness = 500;
    CHECK_THROWS_WITH(hull::oci::validate_resources(r), "config.json: linux.resources.memory.swappiness: 500 is outside 0..100");
}
