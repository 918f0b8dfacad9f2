#!/usr/bin/env bats
# The systemd cgroup driver (--systemd-cgroup). The project's machines have
# no systemd: these run in the VM lane (tests/vm, systemd as PID 1) and are
# skipped with the reason elsewhere, but for the error a host without
# systemd must give.

load lifecycle_setup
load cgroups

setup() { lifecycle_setup; }
teardown() { lifecycle_teardown; }

require_systemd() {
  [ -d /run/systemd/system ] || skip "systemd is not PID 1 here (the VM lane runs this)"
  command -v systemctl >/dev/null || skip "no systemctl"
}

# unit_property UNIT PROPERTY
unit_property() {
  systemctl show "$1" -p "$2" --value
}

@test "systemd: --systemd-cgroup without systemd is a clear error and leaves nothing" {
  [ ! -d /run/systemd/system ] || skip "systemd runs here"
  hull_only "runc's message differs"
  make_bundle "$BUNDLE" true
  run_detached --systemd-cgroup run -d --bundle "$BUNDLE" "$ID"
  [ "$status" -ne 0 ]
  [[ "$output" == *"systemd is not running"* ]] || fail "$output"
  [ -z "$(ls "$TEST_ROOT")" ]
}

@test "systemd: the init is in the scope slice:prefix:name names, with its limits" {
  require_systemd
  make_bundle "$BUNDLE" sleep 1000
  update_config "$BUNDLE" --arg p "system.slice:hulltest:$ID" '.linux.cgroupsPath = $p | .linux.resources.pids = {"limit": 33}'
  run_detached --systemd-cgroup run -d --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 0 ] || fail "$output"
  pid=$(init_pid "$ID")
  grep -q "^0::/system.slice/hulltest-$ID.scope\$" "/proc/$pid/cgroup" || fail "$(cat "/proc/$pid/cgroup")"
  [ "$(unit_property "hulltest-$ID.scope" ActiveState)" = active ]
  [ "$(cat "$(cg_dir "$pid" pids)/pids.max")" = 33 ]
  [ "$(unit_property "hulltest-$ID.scope" TasksMax)" = 33 ]
}

@test "systemd: update changes the unit and the cgroup; delete leaves no scope" {
  require_systemd
  make_bundle "$BUNDLE" sleep 1000
  update_config "$BUNDLE" --arg p "system.slice:hulltest:$ID" '.linux.cgroupsPath = $p | .linux.resources.pids = {"limit": 33}'
  run_detached --systemd-cgroup run -d --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 0 ] || fail "$output"
  pid=$(init_pid "$ID")
  runtime --systemd-cgroup update --pids-limit 12 "$ID"
  [ "$(cat "$(cg_dir "$pid" pids)/pids.max")" = 12 ]
  [ "$(unit_property "hulltest-$ID.scope" TasksMax)" = 12 ]
  runtime --systemd-cgroup delete --force "$ID"
  for i in $(seq 50); do
    [ "$(unit_property "hulltest-$ID.scope" ActiveState)" = inactive ] && break
    sleep 0.1
  done
  [ "$(unit_property "hulltest-$ID.scope" ActiveState)" = inactive ] || fail "scope still $(unit_property "hulltest-$ID.scope" ActiveState)"
}

@test "systemd: an empty cgroupsPath is system.slice and hull-ID.scope" {
  require_systemd
  hull_only "runc names it runc-ID.scope"
  make_bundle "$BUNDLE" sleep 1000
  run_detached --systemd-cgroup run -d --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 0 ] || fail "$output"
  grep -q "/system.slice/hull-$ID.scope\$" "/proc/$(init_pid "$ID")/cgroup"
}

@test "systemd: a malformed cgroupsPath names the form expected" {
  hull_only "runc's message differs"
  make_bundle "$BUNDLE" true
  update_config "$BUNDLE" '.linux.cgroupsPath = "/not/a/slice/path"'
  run_detached --systemd-cgroup run -d --bundle "$BUNDLE" "$ID"
  [ "$status" -ne 0 ]
  [[ "$output" == *"linux.cgroupsPath"* ]] || fail "$output"
}
