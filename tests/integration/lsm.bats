#!/usr/bin/env bats
# AppArmor and SELinux (process.apparmorProfile, process.selinuxLabel,
# linux.mountLabel) on a host without them: create fails with a clear
# message and leaves no state, no cgroup and no process. The attribute
# writes are unit-tested against a fake procfs (tests/unit/linux/lsm_test.cpp):
# the project's hosts run neither LSM. Debian's kernel in the VM lane
# (tests/vm) runs AppArmor: there the "AppArmor:" tests load a profile of
# their own with apparmor_parser and check that the container's process and
# an exec'd one run confined by it.

bats_require_minimum_version 1.5.0
load lifecycle_setup

setup() {
  lifecycle_setup
  # A number no other process has on its command line, to look for the init.
  MARK=$((100000 + RANDOM * 3 + BATS_TEST_NUMBER))
}

teardown() {
  # Profiles this test loaded (aa_profile).
  local f
  for f in "${TEST_DIR:-/nonexistent}"/*.aa; do
    [ -f "$f" ] && apparmor_parser -R "$f" >/dev/null 2>&1
  done
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

# --- AppArmor for real (the VM lane) -----------------------------------------------

# require_apparmor: AppArmor enabled, apparmor_parser installed, securityfs
# mounted (the VM's init leaves it to us).
require_apparmor() {
  host_has_apparmor || skip "AppArmor is not enabled in this kernel (the VM lane runs these)"
  command -v apparmor_parser >/dev/null || skip "no apparmor_parser (package apparmor)"
  if [ ! -d /sys/kernel/security/apparmor ]; then
    mount -t securityfs securityfs /sys/kernel/security 2>/dev/null || skip "cannot mount securityfs"
  fi
  [ -d /sys/kernel/security/apparmor ] || skip "no /sys/kernel/security/apparmor"
}

# aa_profile NAME: loads a profile NAME (enforced) that allows everything
# but writing /dev/shm/forbidden; teardown removes it.
aa_profile() {
  cat >"$TEST_DIR/$1.aa" <<PROFILE
profile $1 flags=(attach_disconnected,mediate_deleted) {
  file,
  capability,
  network,
  mount,
  umount,
  pivot_root,
  signal,
  ptrace,
  unix,
  deny /dev/shm/forbidden w,
}
PROFILE
  apparmor_parser -K -r "$TEST_DIR/$1.aa" || fail "apparmor_parser could not load $1"
}

# The label and the verdict on /dev/shm/forbidden of the process running it.
AA_PROBE='cat /proc/self/attr/current; echo; (echo x >/dev/shm/forbidden) 2>/dev/null && echo wrote || echo denied'

@test "AppArmor: process.apparmorProfile confines the container's process" {
  require_apparmor
  aa_profile "$ID"
  make_bundle "$BUNDLE" sh -c "$AA_PROBE"
  update_config "$BUNDLE" --arg p "$ID" '.process.apparmorProfile = $p'
  run runtime run --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 0 ] || fail "$output"
  [[ "$output" == *"$ID (enforce)"* ]] || fail "not in the profile: $output"
  [[ "$output" == *denied* ]] || fail "the profile's deny rule did not hold: $output"
}

@test "AppArmor: without a profile the process is unconfined and the write works" {
  require_apparmor
  make_bundle "$BUNDLE" sh -c "$AA_PROBE"
  run runtime run --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 0 ] || fail "$output"
  [[ "$output" == *unconfined* ]] || fail "$output"
  [[ "$output" == *wrote* ]] || fail "$output"
}

@test "AppArmor: exec takes the container's profile, and --apparmor another" {
  require_apparmor
  aa_profile "$ID"
  aa_profile "$ID-exec"
  make_bundle "$BUNDLE" sleep 1000
  update_config "$BUNDLE" --arg p "$ID" '.process.apparmorProfile = $p'
  run_detached run -d --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 0 ] || fail "$output"
  run runtime exec "$ID" sh -c "$AA_PROBE"
  [ "$status" -eq 0 ] || fail "$output"
  [[ "$output" == "$ID (enforce)"* ]] || fail "exec's label: $output"
  [[ "$output" == *denied* ]] || fail "$output"
  run runtime exec --apparmor "$ID-exec" "$ID" cat /proc/self/attr/current
  [ "$status" -eq 0 ] || fail "$output"
  [[ "$output" == "$ID-exec (enforce)"* ]] || fail "exec --apparmor's label: $output"
}

@test "AppArmor: a profile that is not loaded fails create and leaves nothing" {
  require_apparmor
  lsm_bundle '.process.apparmorProfile = "hulltest-not-loaded"'
  create_fails
  [[ "$output" == *hulltest-not-loaded* || "$output" == *apparmor* ]] || fail "$output"
  hull_only "runc's message does not name the field"
  [[ "$output" == *'process.apparmorProfile "hulltest-not-loaded"'* ]] || fail "$output"
}
