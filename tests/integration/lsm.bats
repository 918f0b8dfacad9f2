#!/usr/bin/env bats
# AppArmor and SELinux (process.apparmorProfile, process.selinuxLabel,
# linux.mountLabel) on a host without them: create fails with a clear
# message and leaves no state, no cgroup and no process. The attribute
# writes themselves are unit-tested against a fake procfs
# (tests/unit/linux/lsm_test.cpp): the project's hosts run neither LSM.

bats_require_minimum_version 1.5.0
load lifecycle_setup

setup() {
  lifecycle_setup
  # A number no other process has on its command line, to look for the init.
  MARK=$((100000 + RANDOM * 3 + BATS_TEST_NUMBER))
}

teardown() {
  # A runtime that wrongly left the cgroup behind must not leave it on the host.
  if [ -n "${ID:-}" ]; then
    find /sys/fs/cgroup -maxdepth 2 -type d -name "$ID" -exec rmdir {} + 2>/dev/null || true
  fi
  lifecycle_teardown
}

host_has_apparmor() {
  [ "$(head -c 1 /sys/module/apparmor/parameters/enabled 2>/dev/null)" = Y ]
}

host_has_selinux() {
  [ -e /sys/fs/selinux/enforce ]
}

# lsm_bundle JQ-FILTER: a bundle whose init sleeps with $MARK, in a cgroup
# named after the test, with the filter applied.
lsm_bundle() {
  make_bundle "$BUNDLE" sleep "$MARK"
  update_config "$BUNDLE" --arg p "/$ID" '.linux.cgroupsPath = $p'
  update_config "$BUNDLE" "$1"
}

# create_fails: create is refused and nothing it made is left.
create_fails() {
  run_detached create --bundle "$BUNDLE" "$ID"
  [ "$status" -ne 0 ] || fail "create succeeded"
  run runtime state "$ID"
  [ "$status" -ne 0 ] || fail "the container exists: $output"
  [ -z "$(ls "$TEST_ROOT")" ] || fail "state left in $TEST_ROOT: $(ls "$TEST_ROOT")"
  local left
  left=$(find /sys/fs/cgroup -maxdepth 2 -type d -name "$ID")
  [ -z "$left" ] || fail "cgroups left: $left"
  ! pgrep -f "sleep $MARK" >/dev/null || fail "the init is still there: $(pgrep -af "sleep $MARK")"
  output=$(cat "$TEST_DIR/detached.out")
}

@test "lsm: process.apparmorProfile without AppArmor fails create and leaves nothing" {
  host_has_apparmor && skip "this host runs AppArmor"
  lsm_bundle '.process.apparmorProfile = "hulltest-profile"'
  create_fails
  hull_only "runc fails later, in its init: 'apparmor failed to apply profile: write /proc/self/attr/exec: invalid argument'"
  [[ "$output" == *'process.apparmorProfile "hulltest-profile": AppArmor is not enabled on this host'* ]] ||
    fail "$output"
}

@test "lsm: process.selinuxLabel without SELinux fails create and leaves nothing" {
  host_has_selinux && skip "this host runs SELinux"
  lsm_bundle '.process.selinuxLabel = "system_u:system_r:container_t:s0:c1,c2"'
  create_fails
  # runc: "selinux label is specified in config, but selinux is disabled or not supported"
  grep -Eqi 'selinux.*(disabled|not enabled)' <<<"$output" || fail "$output"
  hull_only "runc's message does not name the field"
  [[ "$output" == *'process.selinuxLabel "system_u:system_r:container_t:s0:c1,c2"'* ]] || fail "$output"
}

@test "lsm: linux.mountLabel without SELinux fails create and leaves nothing" {
  host_has_selinux && skip "this host runs SELinux"
  lsm_bundle '.linux.mountLabel = "system_u:object_r:container_file_t:s0:c1,c2"'
  create_fails
  hull_only "runc fails later, mounting /dev with context=: 'invalid argument'"
  [[ "$output" == *'linux.mountLabel "system_u:object_r:container_file_t:s0:c1,c2": SELinux is not enabled on this host'* ]] ||
    fail "$output"
}

@test "lsm: empty apparmorProfile, selinuxLabel and mountLabel mean none" {
  lsm_bundle '.process.apparmorProfile = "" | .process.selinuxLabel = "" | .linux.mountLabel = ""'
  run_detached create --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 0 ] || fail "$output"
  [ "$(container_status "$ID")" = created ]
}
