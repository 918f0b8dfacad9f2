#!/usr/bin/env bats
# cgroups_smoke: linux.resources.pids reaches the container's cgroup, seen from
# inside (a cgroup namespace) and from the host, and has its effect; once with
# the cgroupfs driver and once with the systemd driver when systemd is PID 1.
# The smallest cgroup check, so tests/vm/cgroup-suite.sh can show its lane
# works (RUNTIME=runc) on cgroup v2 and under systemd; it runs on the hybrid
# v1 host too. The cgroups*.bats files cover the rest.

bats_require_minimum_version 1.5.0
load lifecycle_setup

setup() { lifecycle_setup; }
teardown() { lifecycle_teardown; }

# Inside a cgroup namespace the container's own cgroup is /sys/fs/cgroup (v2)
# or /sys/fs/cgroup/pids (v1). The line is marked: the runtime's warnings share the file.
PIDS_MAX_INSIDE='echo "pids.max=$(cat /sys/fs/cgroup/pids.max 2>/dev/null || cat /sys/fs/cgroup/pids/pids.max)"'

# pids_bundle LIMIT CGROUPS-PATH ARGS...: a bundle running ARGS in its own
# cgroup namespace with pids.limit LIMIT.
pids_bundle() {
  local limit=$1 path=$2
  shift 2
  make_bundle "$BUNDLE" "$@"
  update_config "$BUNDLE" --argjson limit "$limit" --arg path "$path" \
    '.linux.resources.pids.limit = $limit | .linux.cgroupsPath = $path
     | .linux.namespaces += [{"type": "cgroup"}]'
}

# host_pids_max PID: pids.max of PID's cgroup, read on the host.
host_pids_max() {
  local path
  if [ "$(stat -f -c %T /sys/fs/cgroup)" = cgroup2fs ]; then
    path=$(sed -n 's/^0:://p' "/proc/$1/cgroup")
    cat "/sys/fs/cgroup$path/pids.max"
  else
    path=$(awk -F: '$2 ~ /(^|,)pids(,|$)/ {print $3}' "/proc/$1/cgroup")
    cat "/sys/fs/cgroup/pids$path/pids.max"
  fi
}

# check_pids_max LIMIT: the running container $ID shows LIMIT inside and on the host.
check_pids_max() {
  local pid inside outside
  # the container prints its pids.max as soon as it starts: give it a moment
  for _ in $(seq 100); do grep -q '^pids.max=' "$TEST_DIR/detached.out" && break; sleep 0.1; done
  inside=$(sed -n 's/^pids.max=//p' "$TEST_DIR/detached.out")
  pid=$(runtime state "$ID" | jq -r .pid)
  outside=$(host_pids_max "$pid") || outside="(unreadable)"
  echo "pids.max inside: '$inside', of pid $pid's cgroup on the host: '$outside', expected $1" >&2
  [ "$inside" = "$1" ] && [ "$outside" = "$1" ]
}

@test "pids.limit is the container's pids.max (cgroupfs driver)" {
  pids_bundle 10 "/$ID" sh -c "$PIDS_MAX_INSIDE; exec sleep 100"
  run_detached run --detach --bundle "$BUNDLE" "$ID"
  echo "run --detach: $output" >&2
  [ "$status" -eq 0 ]
  wait_status "$ID" running
  check_pids_max 10
  runtime delete --force "$ID"
  [ ! -e "/sys/fs/cgroup/$ID" ]
  [ ! -e "/sys/fs/cgroup/pids/$ID" ]
}

@test "a fork beyond pids.limit fails" {
  pids_bundle 4 "/$ID" sh -c 'for i in 1 2 3 4 5 6 7 8; do sleep 30 & done; echo all started'
  run --separate-stderr runtime run --bundle "$BUNDLE" "$ID"
  echo "status $status, stdout '$output', stderr '$stderr'" >&2
  [ "$status" -ne 0 ]
  [[ "$stderr" == *"can't fork"* ]]
  [[ "$output" != *"all started"* ]]
}

@test "pids.limit is the transient scope's TasksMax (systemd driver)" {
  [ -d /run/systemd/system ] || skip "systemd is not PID 1 here (tests/vm/cgroup-suite.sh runs this in its systemd mode)"
  pids_bundle 10 "system.slice:hulltest:$ID" sh -c "$PIDS_MAX_INSIDE; exec sleep 100"
  run_detached --systemd-cgroup run --detach --bundle "$BUNDLE" "$ID"
  echo "run --detach --systemd-cgroup: $output" >&2
  [ "$status" -eq 0 ]
  wait_status "$ID" running
  check_pids_max 10
  run systemctl show -p TasksMax --value "hulltest-$ID.scope"
  echo "TasksMax of hulltest-$ID.scope: '$output'" >&2
  [ "$output" = 10 ]
  runtime --systemd-cgroup delete --force "$ID"
  run systemctl is-active "hulltest-$ID.scope"
  echo "hulltest-$ID.scope after delete: $output" >&2
  [ "$output" != active ]
}
