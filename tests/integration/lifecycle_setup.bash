# Common setup for the lifecycle suites: a bundle per test, a state root per
# test, everything removed in teardown.
# RUNTIME=runc runs the suite against runc to show the tests check real
# runtime behaviour; `hull_only REASON` skips a case where hull is
# deliberately stricter than runc.

REPO=${REPO:-$(cd "$BATS_TEST_DIRNAME/../.." && pwd)}
HULL=${HULL:-$REPO/build/src/hull}
RUNTIME=${RUNTIME:-$HULL}
RUNTIME_BIN=$(command -v "$RUNTIME" || echo "$RUNTIME")
load bundle

# fail MESSAGE: as helpers.bash's, for the suites that load only this file.
declare -F fail >/dev/null || fail() {
  echo "FAIL: $*" >&2
  return 1
}

lifecycle_setup() {
  [ "$(id -u)" = 0 ] || skip "needs root: real containers"
  TEST_DIR=$(mktemp -d /dev/shm/hulltest.XXXXXX)
  # A container root mapped to another host uid must be able to reach its rootfs.
  chmod 755 "$TEST_DIR"
  TEST_ROOT=$TEST_DIR/root
  BUNDLE=$TEST_DIR/bundle
  ID=hulltest-$$-$BATS_TEST_NUMBER-$RANDOM
  mkdir -p "$TEST_ROOT"
}

lifecycle_teardown() {
  [ -n "${TEST_DIR:-}" ] || return 0
  cleanup_containers
  # Helper processes a test started record their pid in TEST_DIR/*.pid.
  local f
  for f in "$TEST_DIR"/*.pid; do
    [ -f "$f" ] && kill -9 "$(cat "$f")" 2>/dev/null
  done
  rm -rf "$TEST_DIR"
}

is_hull() {
  [ "$(basename "$RUNTIME_BIN")" = hull ]
}

hull_only() {
  is_hull || skip "hull deliberately differs from $(basename "$RUNTIME_BIN") here: $1"
}

# require_runtime_feature JQ-FILTER REASON: skips unless the runtime's
# `features` document satisfies the filter (runc 1.1 has no time namespace).
require_runtime_feature() {
  "$RUNTIME_BIN" features 2>/dev/null | jq -e "$1" >/dev/null || skip "$(basename "$RUNTIME_BIN") lacks it: $2"
}

# process_gone PID: the process has exited (gone, or a zombie its new parent
# has not reaped yet: `kill -0` still succeeds on those).
process_gone() {
  [ ! -e "/proc/$1/stat" ] || [ "$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1)" = Z ]
}

# unmount_under DIR: lazily unmounts whatever is mounted below DIR, deepest
# first (an engine's mounts under the test's directory: podman's /dev/shm).
unmount_under() {
  awk -v d="${1%/}/" 'index($5, d) == 1 {print $5}' /proc/self/mountinfo | sort -r |
    while read -r m; do umount -l "$m" 2>/dev/null || true; done
}

# remove_cgroups_named NAME: removes every cgroup called NAME, and what is
# below it, in every hierarchy: the cgroup parent an engine test gives podman
# or containerd is named after the test. A process still in one (conmon
# leaves just after `podman rm` returns) has 5 s to go, then is killed: a
# cgroup named after the test holds only what the test started.
remove_cgroups_named() {
  local name=$1 dirs d pid
  [ -n "$name" ] || return 0
  # -depth: children before their parents, the order rmdir needs.
  mapfile -t dirs < <(find /sys/fs/cgroup -mindepth 1 -maxdepth 4 -depth -type d \
    \( -name "$name" -o -path "*/$name/*" \) 2>/dev/null)
  [ "${#dirs[@]}" -gt 0 ] || return 0
  for _ in $(seq 50); do
    cgroups_hold_processes "${dirs[@]}" || break
    sleep 0.1
  done
  for d in "${dirs[@]}"; do
    for pid in $(cat "$d/cgroup.procs" 2>/dev/null); do kill -9 "$pid" 2>/dev/null || true; done
  done
  for d in "${dirs[@]}"; do
    for _ in $(seq 20); do
      rmdir "$d" 2>/dev/null || [ ! -d "$d" ] && break
      sleep 0.05
    done
  done
}

# cgroups_hold_processes DIR...: some of the cgroups has a process in it.
cgroups_hold_processes() {
  local d
  for d in "$@"; do
    [ -z "$(cat "$d/cgroup.procs" 2>/dev/null)" ] || return 0
  done
  return 1
}
