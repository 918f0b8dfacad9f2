#!/usr/bin/env bats
# linux.seccomp in real containers: denied syscalls and their errno, killing
# actions, ENOSYS for syscalls newer than the profile, the notify listener
# handed to an agent (contrib/seccomp-agent), flags, bad profiles,
# podman's default profile, and startContainer hooks under the filter.

bats_require_minimum_version 1.5.0
load helpers
load lifecycle_setup

# Built by meson beside hull (tests/tools, contrib/seccomp-agent).
BUILD_DIR=${HULL_BUILD_DIR:-$(dirname "$(dirname "$HULL")")}
AGENT=$BUILD_DIR/contrib/seccomp-agent/seccomp-agent
PROBE=$BUILD_DIR/tests/tools/syscall-probe
PODMAN_PROFILE=/usr/share/containers/seccomp.json

setup() {
  lifecycle_setup
  "$RUNTIME_BIN" features 2>/dev/null | jq -e '.linux.seccomp.enabled' >/dev/null ||
    skip "$(basename "$RUNTIME_BIN") was built without seccomp"
}
teardown() { lifecycle_teardown; }

# with_seccomp JSON: sets linux.seccomp of the test's bundle.
with_seccomp() {
  update_config "$BUNDLE" --argjson s "$1" '.linux.seccomp = $s'
}

# deny_mkdir ACTION [EXTRA-JSON]: default allow, mkdir and mkdirat get ACTION.
deny_mkdir() {
  with_seccomp "$(jq -n --arg a "$1" --argjson extra "${2:-{\}}" \
    '{defaultAction: "SCMP_ACT_ALLOW", syscalls: [{names: ["mkdir", "mkdirat"], action: $a} + $extra]}')"
}

need_tool() {
  [ -x "$1" ] || skip "$1 is not built (ninja -C $BUILD_DIR $(realpath --relative-to="$BUILD_DIR" "$1" 2>/dev/null))"
}

# start_agent [ARGS...]: the example agent on $TEST_DIR/agent.sock, logging to $TEST_DIR/agent.log.
start_agent() {
  need_tool "$AGENT"
  "$AGENT" "$TEST_DIR/agent.sock" --log "$TEST_DIR/agent.log" "$@" &
  echo $! > "$TEST_DIR/agent.pid"
  for _ in $(seq 100); do grep -qx ready "$TEST_DIR/agent.log" 2>/dev/null && return 0; sleep 0.05; done
  fail "the seccomp agent did not start"
}

# runtime_bounded ARGS...: the runtime, killed after 60 s, for runs that
# depend on the agent: a disagreement must fail the test, not hang it.
runtime_bounded() {
  timeout -s KILL 60 "$RUNTIME_BIN" --root "$TEST_ROOT" "$@"
}

notify_mkdir() {
  deny_mkdir SCMP_ACT_NOTIFY
  update_config "$BUNDLE" --arg p "$TEST_DIR/agent.sock" \
    '.linux.seccomp.listenerPath = $p | .linux.seccomp.listenerMetadata = "agent-meta"'
}

# podman_profile: containers-common's default profile as podman hands it to
# the runtime for this bundle's capabilities (tests/tools/podman-seccomp.jq).
podman_profile() {
  [ -f "$PODMAN_PROFILE" ] || skip "$PODMAN_PROFILE missing (Debian's golang-github-containers-common)"
  jq --argjson caps "$(jq .process.capabilities.bounding "$BUNDLE/config.json")" \
    -f "$REPO/tests/tools/podman-seccomp.jq" "$PODMAN_PROFILE"
}

# no_process_in_rootfs: no process anywhere has the bundle's rootfs as its root.
no_process_in_rootfs() {
  local p root
  for p in /proc/[0-9]*; do
    root=$(readlink "$p/root" 2>/dev/null) || continue
    [ "$root" != "$BUNDLE/rootfs" ] || fail "process ${p#/proc/} is still in the container"
  done
}

@test "seccomp: a denied mkdir fails with EPERM and nothing is made" {
  make_bundle "$BUNDLE" sh -c 'mkdir /dev/shm/d; echo "rc=$?"; [ -e /dev/shm/d ] || echo absent; echo still running'
  deny_mkdir SCMP_ACT_ERRNO
  run --separate-stderr runtime run --bundle "$BUNDLE" "$ID"
  assert_status 0
  assert_output_contains "rc=1"
  assert_output_contains absent
  assert_output_contains "still running"
  assert_stderr_contains "Operation not permitted"
}

@test "seccomp: errnoRet chooses the errno, also without noNewPrivileges" {
  make_bundle "$BUNDLE" sh -c 'mkdir /dev/shm/d'
  deny_mkdir SCMP_ACT_ERRNO '{"errnoRet": 30}'
  run --separate-stderr runtime run --bundle "$BUNDLE" "$ID"
  assert_failure
  assert_stderr_contains "Read-only file system"
  # Without no_new_privileges the filter goes in while the init still has CAP_SYS_ADMIN.
  update_config "$BUNDLE" '.process.noNewPrivileges = false | .process.user = {"uid": 65534, "gid": 65534}'
  run --separate-stderr runtime run --bundle "$BUNDLE" "$ID-2"
  assert_failure
  assert_stderr_contains "Read-only file system"
}

@test "seccomp: SCMP_ACT_KILL and SCMP_ACT_KILL_PROCESS kill with SIGSYS" {
  make_bundle "$BUNDLE" mkdir /dev/shm/d
  deny_mkdir SCMP_ACT_KILL_PROCESS
  run runtime run --bundle "$BUNDLE" "$ID"
  [ "$status" -eq $((128 + 31)) ] || { show_run; fail "expected death by SIGSYS (159)"; }
  deny_mkdir SCMP_ACT_KILL
  run runtime run --bundle "$BUNDLE" "$ID-2"
  [ "$status" -eq $((128 + 31)) ] || { show_run; fail "expected death by SIGSYS (159)"; }
}

@test "seccomp: a syscall newer than the profile gets ENOSYS, an older unlisted one the default errno" {
  need_tool "$PROBE"
  make_bundle "$BUNDLE" sh -c '/bin/syscall-probe 1000; /bin/syscall-probe 174; /bin/syscall-probe 39'
  cp "$PROBE" "$BUNDLE/rootfs/bin/syscall-probe"
  # podman's profile with the default errno back to EPERM, so the stub has work to do.
  with_seccomp "$(podman_profile | jq 'del(.defaultErrnoRet)')"
  run runtime run --bundle "$BUNDLE" "$ID"
  show_run
  # 1000 is above every syscall the profile names: ENOSYS, as glibc's fallbacks need.
  [ "${lines[0]}" = "errno ENOSYS" ]
  # 174 (create_module) is below them and unlisted: the default, EPERM.
  [ "${lines[1]}" = "errno EPERM" ]
  # 39 (getpid) is allowed.
  [[ "${lines[2]}" == "ok "* ]]
}

@test "seccomp: SCMP_ACT_NOTIFY hands the listener to the agent, which answers mkdir" {
  start_agent --mkdir fake
  make_bundle "$BUNDLE" sh -c 'mkdir /dev/shm/d; echo "rc=$?"; [ -e /dev/shm/d ] || echo absent'
  notify_mkdir
  run runtime_bounded run --bundle "$BUNDLE" "$ID"
  show_run
  assert_status 0
  assert_output_contains "rc=0"   # the agent's fake success
  assert_output_contains absent   # ... made nothing
  grep '^state ' "$TEST_DIR/agent.log" | sed 's/^state //' > "$TEST_DIR/state.json"
  assert_json_eq "$TEST_DIR/state.json" .fds '["seccompFd"]'
  assert_json_eq "$TEST_DIR/state.json" .metadata '"agent-meta"'
  assert_json_eq "$TEST_DIR/state.json" .state.id "\"$ID\""
  assert_json_eq "$TEST_DIR/state.json" .state.status '"creating"'
  assert_json_eq "$TEST_DIR/state.json" '.pid == .state.pid and .pid > 0' true
  assert_json_eq "$TEST_DIR/state.json" '.state.bundle' "\"$BUNDLE\""
  grep -q 'syscall=mkdir.* path=/dev/shm/d answer=fake' "$TEST_DIR/agent.log" ||
    fail "the agent logged no mkdir of /dev/shm/d: $(cat "$TEST_DIR/agent.log")"
}

@test "seccomp: the agent's answer reaches the container, with or without noNewPrivileges" {
  start_agent --mkdir errno=13
  make_bundle "$BUNDLE" sh -c 'mkdir /dev/shm/d'
  notify_mkdir
  run --separate-stderr runtime_bounded run --bundle "$BUNDLE" "$ID"
  assert_failure
  assert_stderr_contains "Permission denied"
  update_config "$BUNDLE" '.process.noNewPrivileges = false'
  run --separate-stderr runtime_bounded run --bundle "$BUNDLE" "$ID-2"
  assert_failure
  assert_stderr_contains "Permission denied"
  [ "$(grep -c 'answer=errno' "$TEST_DIR/agent.log")" -eq 2 ]
}

@test "seccomp: a notify agent that continues lets mkdir run" {
  start_agent --mkdir continue
  make_bundle "$BUNDLE" sh -c 'mkdir /dev/shm/d && [ -d /dev/shm/d ] && echo made'
  notify_mkdir
  run runtime_bounded run --bundle "$BUNDLE" "$ID"
  assert_status 0
  assert_output_contains made
}

@test "seccomp: an absent agent fails create clearly, leaving nothing behind" {
  make_bundle "$BUNDLE" sleep 100
  notify_mkdir
  run --separate-stderr runtime_bounded create --bundle "$BUNDLE" "$ID"
  [ "$status" -ne 137 ] || fail "create hung without an agent"
  assert_failure
  is_hull && assert_stderr_contains "linux.seccomp.listenerPath"
  assert_stderr_matches "connect|no such file"
  run runtime state "$ID"
  assert_failure
  no_process_in_rootfs
}

@test "seccomp: SCMP_ACT_NOTIFY on sendmsg is refused before any side effect" {
  hull_only "hull sends the listener with sendmsg; runc refuses a notified write instead"
  make_bundle "$BUNDLE" true
  with_seccomp "$(jq -n --arg p "$TEST_DIR/agent.sock" '{defaultAction: "SCMP_ACT_ALLOW", listenerPath: $p,
    syscalls: [{names: ["sendmsg"], action: "SCMP_ACT_NOTIFY"}]}')"
  run --separate-stderr runtime create --bundle "$BUNDLE" "$ID"
  assert_failure
  assert_stderr_contains "linux.seccomp.syscalls[0].action"
  [ -z "$(ls "$TEST_ROOT")" ]
}

@test "seccomp: LOG, SPEC_ALLOW, TSYNC and WAIT_KILLABLE_RECV flags are accepted" {
  require_runtime_feature '.linux.seccomp.supportedFlags // [] | index("SECCOMP_FILTER_FLAG_SPEC_ALLOW") != null' \
    "seccomp flags (runc 1.1 refuses them all)"
  make_bundle "$BUNDLE" sh -c 'mkdir /dev/shm/d 2>/dev/null || echo denied'
  deny_mkdir SCMP_ACT_ERRNO
  update_config "$BUNDLE" '.linux.seccomp.flags = ["SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW",
    "SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"]'
  run runtime run --bundle "$BUNDLE" "$ID"
  assert_status 0
  assert_output_contains denied
}

@test "seccomp: an unknown flag is refused, naming the field" {
  require_runtime_feature '.linux.seccomp.knownFlags // [] | length > 0' "seccomp flags (runc 1.1 refuses them all)"
  make_bundle "$BUNDLE" true
  deny_mkdir SCMP_ACT_ERRNO
  update_config "$BUNDLE" '.linux.seccomp.flags = ["SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_BOGUS"]'
  run --separate-stderr runtime create --bundle "$BUNDLE" "$ID"
  assert_failure
  is_hull && assert_stderr_contains "linux.seccomp.flags[1]"
  assert_stderr_contains "SECCOMP_FILTER_FLAG_BOGUS"
}

@test "seccomp: a malformed profile errors before any side effect, naming the field" {
  hull_only "the message names the JSON path"
  make_bundle "$BUNDLE" true
  local bad
  for bad in '.syscalls[1].action = "SCMP_ACT_NOPE"' '.syscalls[1].args = [{"index": 7, "value": 1, "op": "SCMP_CMP_EQ"}]' \
    '.syscalls[1].args = [{"index": 0, "value": 1, "op": "SCMP_CMP_ROUGHLY"}]' '.architectures = ["SCMP_ARCH_VAX"]' \
    '.syscalls[1].action = "SCMP_ACT_ALLOW" | .syscalls[1].errnoRet = 5' '.syscalls[1].errnoRet = 65536'; do
    with_seccomp "$(jq -n "{defaultAction: \"SCMP_ACT_ALLOW\", syscalls: [{names: [\"read\"], action: \"SCMP_ACT_LOG\"},
      {names: [\"mkdir\"], action: \"SCMP_ACT_ERRNO\"}]} | $bad")"
    run --separate-stderr runtime create --bundle "$BUNDLE" "$ID"
    assert_failure
    assert_stderr_matches 'linux\.seccomp\.(syscalls\[1\]|architectures\[0\])'
    [ -z "$(ls "$TEST_ROOT")" ] || fail "create left $(ls "$TEST_ROOT") behind for $bad"
  done
}

@test "seccomp: podman's default profile loads and runs busybox" {
  need_tool "$PROBE"
  # sysfs(2) needs no privilege, but the profile denies it with EPERM.
  make_bundle "$BUNDLE" sh -c 'echo hello; ls / >/dev/null && mkdir /dev/shm/d && echo made; syscall-probe 139 3'
  cp "$PROBE" "$BUNDLE/rootfs/bin/syscall-probe"
  runtime run --bundle "$BUNDLE" "$ID" | grep -q '^ok ' || fail "sysfs(2) fails even without a profile"
  with_seccomp "$(podman_profile)"
  run runtime run --bundle "$BUNDLE" "$ID-2"
  show_run
  assert_status 1
  [ "${lines[0]}" = hello ]
  [ "${lines[1]}" = made ]
  [ "${lines[2]}" = "errno EPERM" ]
}

@test "seccomp: the compiled filter is cached under the state root (0600) and reused" {
  hull_only "hull's compile cache"
  make_bundle "$BUNDLE" true
  with_seccomp "$(podman_profile)"
  run --separate-stderr runtime --debug run --bundle "$BUNDLE" "$ID"
  assert_status 0
  assert_stderr_contains "compiled filter saved to"
  local files
  files=$(find "$TEST_ROOT/.seccomp:cache" -name '*.bpf' -perm 0600 | wc -l)
  [ "$files" -eq 1 ] || fail "expected one 0600 cache file, found: $(ls -la "$TEST_ROOT/.seccomp:cache")"
  run --separate-stderr runtime --debug run --bundle "$BUNDLE" "$ID-2"
  assert_status 0
  assert_stderr_contains "compiled filter from"
  # A damaged file is recompiled, and the container still gets its filter.
  truncate -s 20 "$TEST_ROOT"/.seccomp:cache/*.bpf
  run --separate-stderr runtime --debug run --bundle "$BUNDLE" "$ID-3"
  assert_status 0
  assert_stderr_contains "compiled filter saved to"
}

@test "seccomp: features says enabled, with the notify action and the kernel's flags" {
  run runtime features
  assert_status 0
  echo "$output" > "$TEST_DIR/features.json"
  assert_json_eq "$TEST_DIR/features.json" .linux.seccomp.enabled true
  assert_json_eq "$TEST_DIR/features.json" '.linux.seccomp.actions | index("SCMP_ACT_NOTIFY") != null' true
  is_hull || return 0  # runc 1.1 knows no flags
  assert_json_eq "$TEST_DIR/features.json" '.linux.seccomp.supportedFlags | index("SECCOMP_FILTER_FLAG_LOG") != null' true
  assert_json_eq "$TEST_DIR/features.json" '.linux.seccomp.knownFlags | length >= 3' true
}

@test "seccomp: startContainer hooks run under the container's filter, with or without noNewPrivileges" {
  # config.md "StartContainer Hooks": they run in the container; runc's run
  # under its filter (standard_init_linux.go loads it before the exec fifo).
  make_bundle "$BUNDLE" touch /tmp/process-ran
  deny_mkdir SCMP_ACT_ERRNO '{"errnoRet": 13}'
  update_config "$BUNDLE" '.root.readonly = false | .hooks.startContainer = [{"path": "/bin/sh", "args": ["sh", "-c",
    "/bin/mkdir /tmp/from-hook 2> /tmp/hook.err; grep Seccomp: /proc/self/status > /tmp/hook.status"]}]'
  rootfs=$BUNDLE/rootfs
  for nnp in true false; do
    rm -rf "$rootfs/tmp/from-hook" "$rootfs/tmp/hook.err" "$rootfs/tmp/hook.status" "$rootfs/tmp/process-ran"
    update_config "$BUNDLE" --argjson nnp "$nnp" '.process.noNewPrivileges = $nnp'
    run runtime run --bundle "$BUNDLE" "$ID-$nnp"
    [ "$status" -eq 0 ] || { show_run; fail "noNewPrivileges $nnp: run failed"; }
    [ -e "$rootfs/tmp/process-ran" ]
    [ ! -e "$rootfs/tmp/from-hook" ] || fail "noNewPrivileges $nnp: the hook's mkdir ran outside the filter"
    grep -q "Permission denied" "$rootfs/tmp/hook.err" || fail "noNewPrivileges $nnp: $(cat "$rootfs/tmp/hook.err")"
    [[ "$(cat "$rootfs/tmp/hook.status")" == *2 ]] || fail "noNewPrivileges $nnp: $(cat "$rootfs/tmp/hook.status")"
  done
}

@test "seccomp: a startContainer hook's notified call reaches the agent" {
  start_agent --mkdir errno=13
  make_bundle "$BUNDLE" true
  notify_mkdir
  update_config "$BUNDLE" '.root.readonly = false | .hooks.startContainer = [{"path": "/bin/sh", "args": ["sh", "-c",
    "/bin/mkdir /tmp/from-hook 2> /tmp/hook.err; true"]}]'
  run runtime_bounded run --bundle "$BUNDLE" "$ID"
  assert_status 0
  [ ! -e "$BUNDLE/rootfs/tmp/from-hook" ]
  grep -q "Permission denied" "$BUNDLE/rootfs/tmp/hook.err" || fail "hook: $(cat "$BUNDLE/rootfs/tmp/hook.err")"
  grep -q 'syscall=mkdir.* path=/tmp/from-hook answer=errno' "$TEST_DIR/agent.log" ||
    fail "the agent logged no mkdir of /tmp/from-hook: $(cat "$TEST_DIR/agent.log")"
}

@test "seccomp: a startContainer hook that makes a killed call dies with SIGSYS and the process never runs" {
  make_bundle "$BUNDLE" touch /tmp/process-ran
  deny_mkdir SCMP_ACT_KILL
  update_config "$BUNDLE" '.root.readonly = false | .hooks.startContainer = [{"path": "/bin/mkdir", "args": ["mkdir", "/tmp/from-hook"]}]'
  run runtime run --bundle "$BUNDLE" "$ID"
  assert_failure
  [ ! -e "$BUNDLE/rootfs/tmp/from-hook" ]
  [ ! -e "$BUNDLE/rootfs/tmp/process-ran" ]
}

@test "seccomp: an exec'd process runs under the container's filter" {
  make_bundle "$BUNDLE" sleep 1000
  deny_mkdir SCMP_ACT_ERRNO '{"errnoRet": 13}'
  runtime run -d --bundle "$BUNDLE" "$ID"
  run runtime exec "$ID" sh -c 'mkdir /dev/shm/x; echo "rc=$?"; grep Seccomp: /proc/self/status'
  show_run
  assert_output_contains "Permission denied"
  assert_output_contains "rc=1"
  [[ "$output" == *"Seccomp:"*2* ]] || fail "the exec'd process has no filter: $output"
}

@test "seccomp: exec hands its own listener to the agent" {
  start_agent --mkdir fake
  make_bundle "$BUNDLE" sleep 1000
  notify_mkdir
  runtime_bounded run -d --bundle "$BUNDLE" "$ID"
  run timeout -s KILL 60 "$RUNTIME_BIN" --root "$TEST_ROOT" exec "$ID" sh -c 'mkdir /dev/shm/e; echo "rc=$?"; [ -e /dev/shm/e ] || echo absent'
  show_run
  assert_status 0
  assert_output_contains "rc=0"
  assert_output_contains absent
  [ "$(grep -c '^state ' "$TEST_DIR/agent.log")" -eq 2 ] || fail "expected a second listener: $(cat "$TEST_DIR/agent.log")"
  grep '^state ' "$TEST_DIR/agent.log" | tail -1 | sed 's/^state //' > "$TEST_DIR/state.json"
  assert_json_eq "$TEST_DIR/state.json" .state.status '"running"'
  assert_json_eq "$TEST_DIR/state.json" '.pid != .state.pid and .pid > 0' true
  grep -q 'syscall=mkdir.* path=/dev/shm/e answer=fake' "$TEST_DIR/agent.log" ||
    fail "the agent logged no mkdir of /dev/shm/e: $(cat "$TEST_DIR/agent.log")"
}
