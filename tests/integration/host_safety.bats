#!/usr/bin/env bats
# Configs that could reach the caller's namespaces or slip past the masks:
# no mount namespace, a rootfs whose /proc or /sys is a symlink, --no-pivot
# and a nested procfs. Every case runs inside a sandbox (sandbox.bash) and
# checks that the sandbox's / is intact afterwards, so a regression can
# never reach the machine that runs the tests.

load lifecycle_setup
load sandbox

setup() { lifecycle_setup; }
teardown() { lifecycle_teardown; }

# without_mount_namespace: the bundle's config without {"type": "mount"}.
without_mount_namespace() {
  update_config "$BUNDLE" '.linux.namespaces |= map(select(.type != "mount"))'
}

# without_mounts: nothing that would need a mount of the container's own.
without_mounts() {
  update_config "$BUNDLE" '.mounts = [] | .root.readonly = false | del(.linux.maskedPaths, .linux.readonlyPaths)'
}

@test "without a mount namespace the container is chrooted, and the caller's root and mounts stay as they were" {
  make_bundle "$BUNDLE" sh -c 'test -x /bin/busybox && test ! -d /dev/shm/$(basename "$0") && echo in-rootfs' \
    "$(basename "$TEST_DIR")"
  without_mount_namespace
  without_mounts
  # runc reads /proc/self/fd in the chroot: the test lends it the sandbox's proc.
  in_sandbox 'mount -t proc proc "$BUNDLE/rootfs/proc" || exit 1
    rt run --bundle "$BUNDLE" "$ID"; s=$?; umount "$BUNDLE/rootfs/proc"; exit $s'
  assert_sandbox_intact
  [ "$status" -eq 0 ] || { show_sandbox; fail "run failed"; }
  [[ "$output" == *in-rootfs* ]] || { show_sandbox; fail "the process did not run in the rootfs"; }
  # runc bind-mounts the rootfs onto itself in the caller's namespace and leaves it there.
  if is_hull; then assert_sandbox_mounts_unchanged; fi
  no_cgroups_named "$ID"
}

@test "without a mount namespace, exec runs in the container's root too" {
  # runc's exec joins the caller's mount namespace and stays at the host's /.
  hull_only "runc's exec process sees the host's root"
  make_bundle "$BUNDLE" sleep 100
  without_mount_namespace
  without_mounts
  in_sandbox 'mount -t proc proc "$BUNDLE/rootfs/proc" || exit 1
    rt run -d --bundle "$BUNDLE" "$ID" </dev/null >/dev/null 2>&1 || exit 1
    rt exec "$ID" sh -c "test -x /bin/busybox && test ! -d \"$TEST_DIR\" && echo exec-in-rootfs"'
  assert_sandbox_intact
  [ "$status" -eq 0 ] || { show_sandbox; fail "exec failed"; }
  [[ "$output" == *exec-in-rootfs* ]] || { show_sandbox; fail "exec did not run in the container's root"; }
}

@test "without a mount namespace, masked and read-only paths are refused and nothing is left" {
  make_bundle "$BUNDLE" true
  without_mount_namespace
  update_config "$BUNDLE" '.mounts = []'
  in_sandbox 'rt run --bundle "$BUNDLE" "$ID"'
  assert_sandbox_intact
  [ "$status" -ne 0 ] || { show_sandbox; fail "the config was accepted"; }
  # hull: "linux.maskedPaths: needs a mount namespace"; runc: "... without a private MNT namespace"
  grep -Eqi 'mount namespace|MNT namespace' <<<"$output" || { show_sandbox; fail "no reason given"; }
  assert_sandbox_mounts_unchanged
  [ -z "$(ls "$TEST_ROOT")" ]
  no_cgroups_named "$ID"
}

@test "without a mount namespace, mounts are refused instead of being made in the caller's namespace" {
  hull_only "runc makes the config's mounts in the caller's mount namespace"
  make_bundle "$BUNDLE" true
  without_mount_namespace
  update_config "$BUNDLE" 'del(.linux.maskedPaths, .linux.readonlyPaths)'
  in_sandbox 'rt run --bundle "$BUNDLE" "$ID"'
  assert_sandbox_intact
  [ "$status" -ne 0 ] || { show_sandbox; fail "the config was accepted"; }
  [[ "$output" == *"mounts: needs a mount namespace"* ]] || { show_sandbox; fail "no reason given"; }
  assert_sandbox_mounts_unchanged
  [ -z "$(ls "$TEST_ROOT")" ]
}

@test "a mount namespace joined by path that is the runtime's own is refused" {
  hull_only "runc mounts and pivots in the namespace it is given, its caller's included"
  make_bundle "$BUNDLE" true
  update_config "$BUNDLE" '.linux.namespaces |= map(if .type == "mount" then .path = "/proc/self/ns/mnt" else . end)'
  in_sandbox 'rt run --bundle "$BUNDLE" "$ID"'
  assert_sandbox_intact
  [ "$status" -ne 0 ] || { show_sandbox; fail "the config was accepted"; }
  [[ "$output" == *"is the runtime's own"* ]] || { show_sandbox; fail "no reason given"; }
  assert_sandbox_mounts_unchanged
  [ -z "$(ls "$TEST_ROOT")" ]
}

# proc_redirected KIND DEST: the rootfs's DEST (/proc or /sys) replaced by KIND.
proc_redirected() {
  rm -rf "${BUNDLE:?}/rootfs$2"
  case "$1" in
    symlink) mkdir -p "$BUNDLE/rootfs/elsewhere" && ln -s /elsewhere "$BUNDLE/rootfs$2" ;;
    file) touch "$BUNDLE/rootfs$2" ;;
  esac
}

@test "proc is refused on a /proc that is a symlink (CVE-2019-16884 class)" {
  make_bundle "$BUNDLE" true
  proc_redirected symlink /proc
  in_sandbox 'rt run --bundle "$BUNDLE" "$ID"'
  assert_sandbox_intact
  [ "$status" -ne 0 ] || { show_sandbox; fail "proc was mounted through the symlink"; }
  [[ "$output" == *"must be mounted on"*"ordinary directory"* ]] || { show_sandbox; fail "no reason given"; }
  [ -z "$(ls "$TEST_ROOT")" ]
  [ -z "$(ls "$BUNDLE/rootfs/elsewhere")" ]
  no_cgroups_named "$ID"
}

@test "sysfs is refused on a /sys that is a symlink, proc on a /proc that is a file" {
  make_bundle "$BUNDLE" true
  proc_redirected symlink /sys
  in_sandbox 'rt run --bundle "$BUNDLE" "$ID"'
  assert_sandbox_intact
  [ "$status" -ne 0 ] || { show_sandbox; fail "sysfs was mounted through the symlink"; }
  [[ "$output" =~ sysfs.{1,2}\ must\ be\ mounted\ on ]] || { show_sandbox; fail "no reason given"; }
  BUNDLE=$TEST_DIR/bundle-file
  make_bundle "$BUNDLE" true
  proc_redirected file /proc
  in_sandbox 'rt run --bundle "$BUNDLE" "$ID"'
  assert_sandbox_intact
  [ "$status" -ne 0 ] || { show_sandbox; fail "proc was mounted on a file"; }
  [[ "$output" =~ proc.{1,2}\ must\ be\ mounted\ on ]] || { show_sandbox; fail "no reason given"; }
  [ -z "$(ls "$TEST_ROOT")" ]
}

# The container's process, as uid 1000 (which may map itself to root in a
# user namespace of its own, gaining CAP_SYS_ADMIN there), with a mount and
# pid namespace, trying a fresh procfs: the kernel allows it only when a
# fully visible procfs is in its mount namespace (mount_too_revealing).
nested_proc_mount='unshare -mrpf sh -c "mount -t proc none /proc && echo fresh-proc-mounted"; echo done'

# assert_no_fresh_proc [RUN-FLAGS]: runs that process with `run RUN-FLAGS`
# in the sandbox and checks the kernel refused the mount.
assert_no_fresh_proc() {
  make_bundle "$BUNDLE" sh -c "$nested_proc_mount"
  update_config "$BUNDLE" '.process.user = {"uid": 1000, "gid": 1000}'
  in_sandbox "rt run $* --bundle \"\$BUNDLE\" \"\$ID\" 2>&1"
  assert_sandbox_intact
  [ "$status" -eq 0 ] || { show_sandbox; fail "run failed"; }
  [[ "$output" == *done* ]] || { show_sandbox; fail "the process did not finish"; }
  [[ "$output" != *fresh-proc-mounted* ]] || { show_sandbox; fail "an unmasked procfs was mounted"; }
  [[ "$output" == *"mount"*"ermission denied"* || "$output" == *"mount"*"not permitted"* ]] ||
    { show_sandbox; fail "the mount did not fail as refused"; }
}

@test "with pivot_root, a nested user namespace cannot mount a fresh procfs past the masks" {
  assert_no_fresh_proc
}

@test "--no-pivot: a nested user namespace cannot mount a fresh procfs past the masks" {
  # Without the fix the host's procfs, left under the chroot, lets it through.
  assert_no_fresh_proc --no-pivot
}
