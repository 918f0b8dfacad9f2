#!/usr/bin/env bats
# Namespaces created new or joined by path; sysctl, pivot_root and --no-pivot, devices.

bats_require_minimum_version 1.5.0

load lifecycle_setup

setup() { lifecycle_setup; }
teardown() { lifecycle_teardown; }

@test "a second container joins the first one's network and uts namespaces by path" {
  make_bundle "$BUNDLE" sleep 100
  update_config "$BUNDLE" '.hostname = "first"'
  runtime run -d --bundle "$BUNDLE" "$ID-a"
  pid=$(runtime state "$ID-a" | jq .pid)
  make_bundle "$TEST_DIR/b" sh -c 'hostname; readlink /proc/self/ns/net'
  update_config "$TEST_DIR/b" --arg p "/proc/$pid/ns" \
    'del(.hostname) | .linux.namespaces |= map(if .type == "uts" then .path = ($p + "/uts") elif .type == "network" then .path = ($p + "/net") else . end)'
  run runtime run --bundle "$TEST_DIR/b" "$ID-b"
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = first ]
  [ "${lines[1]}" = "$(readlink "/proc/$pid/ns/net")" ]
}

@test "joining a namespace path of the wrong type is refused, naming it" {
  make_bundle "$BUNDLE" true
  update_config "$BUNDLE" '.linux.namespaces |= map(if .type == "network" then .path = "/proc/self/ns/uts" else . end)'
  run runtime run --bundle "$BUNDLE" "$ID"
  [ "$status" -ne 0 ]
  # hull says "network", runc "net" (the /proc/PID/ns name)
  [[ "$output" == *net* ]]
  [ -z "$(ls "$TEST_ROOT")" ]
}

@test "sysctl values are written inside the container's namespaces" {
  make_bundle "$BUNDLE" cat /proc/sys/net/ipv4/ip_forward /proc/sys/kernel/shmmax
  update_config "$BUNDLE" '.linux.sysctl = {"net.ipv4.ip_forward": "1", "kernel.shmmax": "123456789"}'
  host=$(cat /proc/sys/net/ipv4/ip_forward)
  run runtime run --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = 1 ]
  [ "${lines[1]}" = 123456789 ]
  [ "$(cat /proc/sys/net/ipv4/ip_forward)" = "$host" ]
}

# How the root was switched cannot be read from /proc/PID/mountinfo: the
# kernel lists only the mounts reachable from the reader's root, which is the
# rootfs after pivot_root and after --no-pivot's MS_MOVE + chroot alike. What
# differs is what lies beneath the rootfs in the container's mount namespace.
# Entering a mount namespace lands on the topmost mount on its "/" (the
# rootfs); once that is detached, the next entry lands on the mount below:
# after pivot_root the namespace's bare initial root (the old root was
# detached), after MS_MOVE the host's old root with its mounts, /dev/shm and
# TEST_DIR among them. Both steps run from the host.

# detach_container_root PID: lazily unmounts "/" in PID's mount namespace
# (with the rootfs's busybox umount). The container's processes keep their
# root; only later entries into the namespace see what was beneath it.
detach_container_root() {
  nsenter --mount="/proc/$1/ns/mnt" /bin/busybox umount -l /
}

# cat_beneath PID FILE: FILE as found in PID's mount namespace once its root
# is detached, read by the host's cat (which only the host's old root has).
cat_beneath() {
  nsenter --mount="/proc/$1/ns/mnt" cat "$2"
}

@test "--no-pivot switches the root with MS_MOVE and chroot: the host's old root stays beneath the rootfs" {
  make_bundle "$BUNDLE" sleep 100
  echo "old root" >"$TEST_DIR/marker"
  runtime run -d --no-pivot --bundle "$BUNDLE" "$ID"
  pid=$(runtime state "$ID" | jq .pid)
  # The container's root is its rootfs: the host's file is out of its sight.
  run runtime exec "$ID" test -e "$TEST_DIR/marker"
  [ "$status" -eq 1 ]
  detach_container_root "$pid"
  run cat_beneath "$pid" "$TEST_DIR/marker"
  [ "$status" -eq 0 ]
  [ "$output" = "old root" ]
}

@test "pivot_root (without --no-pivot) leaves nothing of the host's root in the container's mount namespace" {
  make_bundle "$BUNDLE" sleep 100
  echo "old root" >"$TEST_DIR/marker"
  runtime run -d --bundle "$BUNDLE" "$ID"
  pid=$(runtime state "$ID" | jq .pid)
  run runtime exec "$ID" test -e "$TEST_DIR/marker"
  [ "$status" -eq 1 ]
  detach_container_root "$pid"
  # Beneath is the namespace's initial root: no cat, no marker.
  run ! cat_beneath "$pid" "$TEST_DIR/marker"
  [[ "$output" != *"old root"* ]]
}

@test "linux.devices are created with their type, numbers and mode" {
  make_bundle "$BUNDLE" sh -c 'ls -l /dev/hulltest-null /dev/zero'
  update_config "$BUNDLE" '.linux.devices = [{"path": "/dev/hulltest-null", "type": "c", "major": 1, "minor": 3, "fileMode": 432, "uid": 0, "gid": 0}]'
  run runtime run --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 0 ]
  [[ "${lines[0]}" == crw-rw----*"1,"*"3"* ]]
  [[ "${lines[1]}" == crw-rw-rw-*"1,"*"5"* ]]
}

@test "a time namespace applies timeOffsets" {
  [ -e /proc/self/ns/time ] || skip "this kernel has no time namespaces"
  require_runtime_feature '.linux.namespaces | index("time")' "time namespaces"
  make_bundle "$BUNDLE" cat /proc/uptime
  update_config "$BUNDLE" '.linux.namespaces += [{"type": "time"}] | .linux.timeOffsets = {"boottime": {"secs": 86400}}'
  run runtime run --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 0 ]
  up=${output%%.*}
  [ "$up" -ge 86400 ]
}

@test "hooks: createContainer runs in the container's mount namespace" {
  make_bundle "$BUNDLE" true
  update_config "$BUNDLE" --arg out "$TEST_DIR/ns" \
    '.hooks.createContainer = [{"path": "/bin/sh", "args": ["sh", "-c", "readlink /proc/self/ns/mnt > \($out)"]}]'
  run runtime run --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 0 ]
  [ "$(cat "$TEST_DIR/ns")" != "$(readlink /proc/self/ns/mnt)" ]
}

@test "joining a user namespace by path while creating the other namespaces: they belong to it" {
  # The first container owns the user namespace (0 -> 100000).
  make_bundle "$BUNDLE" sleep 100
  use_user_namespace "$BUNDLE"
  runtime run -d --bundle "$BUNDLE" "$ID-a" </dev/null >/dev/null 2>&1
  pid=$(runtime state "$ID-a" | jq .pid)
  # The second joins it and makes new mount, pid, uts, ipc and network
  # namespaces. It repeats the mappings: runc 1.1 insists on them.
  cp -a "$BUNDLE" "$TEST_DIR/b"
  update_config "$TEST_DIR/b" --arg u "/proc/$pid/ns/user" \
    '.linux.namespaces |= map(if .type == "user" then .path = $u else . end)
     | .process.args = ["sh", "-c", "cat /proc/self/uid_map; echo $$; id -u; hostname; readlink /proc/self/ns/user; readlink /proc/self/ns/mnt; readlink /proc/self/ns/net"]
     | .hostname = "second"'
  run runtime run --bundle "$TEST_DIR/b" "$ID-b"
  [ "$status" -eq 0 ]
  [[ "${lines[0]}" == *"0"*"100000"*"65536"* ]]
  [ "${lines[1]}" = 1 ]
  [ "${lines[2]}" = 0 ]
  [ "${lines[3]}" = second ]
  [ "${lines[4]}" = "$(readlink "/proc/$pid/ns/user")" ]
  [ "${lines[5]}" != "$(readlink "/proc/$pid/ns/mnt")" ]
  [ "${lines[6]}" != "$(readlink "/proc/$pid/ns/net")" ]
  # Root in the joined user namespace could set the hostname and mount: the
  # new namespaces are owned by it, not by the host's.
}

@test "a new network namespace has its loopback up, as runc's" {
  make_bundle "$BUNDLE" cat /sys/class/net/lo/operstate /sys/class/net/lo/flags
  run runtime run --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 0 ]
  # IFF_UP is bit 0 of the flags (operstate says "unknown" for lo when up).
  [ $(( ${lines[1]} & 1 )) -eq 1 ]
}
