#!/usr/bin/env bats
# The container's root: linux.rootfsPropagation and read-only tmpfs mounts
# that must be filled before they turn read-only (/dev).

load lifecycle_setup
load sandbox

setup() { lifecycle_setup; }
teardown() { lifecycle_teardown; }

# ROOT_LINE: the container's mountinfo line for its /.
ROOT_LINE='awk '"'"'$5 == "/" {print "root-mount: " $0}'"'"' /proc/self/mountinfo'

# run_with_propagation MODE: runs the bundle with rootfsPropagation MODE in
# a sandbox where the rootfs is a shared mount of its own (so slave
# propagation has a master to follow), printing the container's / line.
run_with_propagation() {
  update_config "$BUNDLE" --arg p "$1" '.linux.rootfsPropagation = $p'
  in_sandbox 'mount --bind "$BUNDLE/rootfs" "$BUNDLE/rootfs" && mount --make-shared "$BUNDLE/rootfs" || exit 1
    rt run --bundle "$BUNDLE" "$ID"; s=$?; umount "$BUNDLE/rootfs"; exit $s'
  assert_sandbox_intact
  [ "$status" -eq 0 ] || { show_sandbox; fail "rootfsPropagation $1: run failed"; }
  root_line=$(sed -n 's/^root-mount: //p' <<<"$output")
  [ -n "$root_line" ] || { show_sandbox; fail "no mountinfo line for /"; }
}

@test "rootfsPropagation shared and rshared: the container starts and its / is shared" {
  make_bundle "$BUNDLE" sh -c "$ROOT_LINE"
  for mode in shared rshared; do
    run_with_propagation "$mode"
    # runc 1.1 starts the container but leaves its / a slave.
    if is_hull; then
      [[ "$root_line" == *" shared:"* ]] || fail "$mode: / is not shared: $root_line"
    fi
  done
}

@test "rootfsPropagation slave: / follows the host's mount of the rootfs; private: it follows nothing" {
  hull_only "runc 1.1 makes the rootfs private whatever the config says"
  make_bundle "$BUNDLE" sh -c "$ROOT_LINE"
  run_with_propagation slave
  [[ "$root_line" == *" master:"* ]] || fail "slave: / has no master: $root_line"
  [[ "$root_line" != *" shared:"* ]] || fail "slave: / is shared: $root_line"
  run_with_propagation private
  [[ "$root_line" != *" master:"* && "$root_line" != *" shared:"* ]] || fail "private: / propagates: $root_line"
}

@test "a read-only tmpfs on /dev gets its devices and /dev/pts first, then turns read-only" {
  make_bundle "$BUNDLE" sh -c 'test -c /dev/null && test -d /dev/pts && test -L /dev/ptmx || exit 3
    touch /dev/hulltest-new 2>&1; echo "touch: $?"; awk '"'"'$5 == "/dev" {print $6}'"'"' /proc/self/mountinfo'
  update_config "$BUNDLE" '.mounts |= map(if .destination == "/dev" then .options += ["ro"] else . end)'
  run runtime run --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 0 ] || fail "run failed ($status): $output"
  [[ "$output" == *"Read-only file system"* ]] || fail "/dev is writable: $output"
  [[ "${lines[-1]}" == ro,* ]] || fail "/dev's mount is not read-only: ${lines[-1]}"
}

@test "a read-only tmpfs can hold a later mount's destination" {
  make_bundle "$BUNDLE" sh -c 'test -d /data/sub && ! touch /data/x 2>/dev/null && echo ok'
  update_config "$BUNDLE" '.mounts += [
      {"destination": "/data", "type": "tmpfs", "source": "tmpfs", "options": ["ro", "nosuid"]},
      {"destination": "/data/sub", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid"]}]'
  run runtime run --bundle "$BUNDLE" "$ID"
  # runc remounts a tmpfs read-only at once: the next mount cannot make its destination.
  hull_only "runc cannot create a mount point on a read-only tmpfs it mounted before"
  [ "$status" -eq 0 ] || fail "run failed ($status): $output"
  [ "$output" = ok ]
}
