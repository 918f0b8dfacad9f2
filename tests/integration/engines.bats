#!/usr/bin/env bats
# The runtime under test as an engine's runtime: podman 4 (through conmon)
# runs, execs into, stops, pauses and removes containers with it, with the
# config.json podman writes (its mounts, rlimits, default seccomp profile).
#
# Everything podman makes stays in the test's directory: its store (vfs
# driver), run root, tmpdir and file locks (containers.conf lock_type=file,
# no /dev/shm/libpod_lock); the runtime is a wrapper giving it the test's
# state root (podman's exit command drops --runtime-flag); cgroups go below
# a parent named after the test (--cgroup-parent), removed in teardown. The
# image is imported from make-bundle.sh's busybox tree: no registry, and
# --network none: no network.

load lifecycle_setup

setup() {
  lifecycle_setup
  command -v podman >/dev/null || skip "podman is not installed (scripts/install-deps.sh test installs it)"
  PODMAN_DIR=$TEST_DIR/podman
  mkdir -p "$PODMAN_DIR"
  printf '#!/bin/sh\nexec %s --root %s "$@"\n' "$RUNTIME_BIN" "$TEST_ROOT" >"$PODMAN_DIR/runtime"
  chmod 755 "$PODMAN_DIR/runtime"
  # This host's root may not raise RLIMIT_NOFILE/NPROC to podman's 1048576
  # (no CAP_SYS_RESOURCE here): runc fails on them as hull does.
  cat >"$PODMAN_DIR/containers.conf" <<'CONF'
[containers]
default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]
[engine]
lock_type = "file"
events_logger = "file"
cgroup_manager = "cgroupfs"
CONF
  export CONTAINERS_CONF=$PODMAN_DIR/containers.conf
  IMAGE=localhost/$ID
  make_bundle "$BUNDLE" true
  tar -C "$BUNDLE/rootfs" -cf "$TEST_DIR/rootfs.tar" .
  pm import -q "$TEST_DIR/rootfs.tar" "$IMAGE" >/dev/null || fail "podman import failed"
}

teardown() {
  if [ -n "${PODMAN_DIR:-}" ] && [ -d "$PODMAN_DIR/root" ]; then
    pm rm -af -t 0 >/dev/null 2>&1 || true
    # A container's /dev/shm tmpfs that podman left mounted under the store.
    unmount_under "$TEST_DIR"
    remove_cgroups_named "$ID"
  fi
  lifecycle_teardown
}

# pm ARGS...: podman on the test's own store, with the runtime under test.
pm() {
  podman --root "$PODMAN_DIR/root" --runroot "$PODMAN_DIR/run" --tmpdir "$PODMAN_DIR/tmp" \
    --storage-driver vfs --runtime "$PODMAN_DIR/runtime" "$@"
}

# pm_run ARGS...: `podman run` with the test's cgroup parent and no network.
pm_run() {
  pm run --cgroup-parent "/$ID" --network none "$@"
}

container_state() {
  pm inspect -f '{{.State.Status}}' "$1"
}

@test "podman run: the process's output and exit status come back through conmon" {
  run pm_run --rm "$IMAGE" sh -c 'echo to-stdout; echo to-stderr >&2; exit 7'
  [ "$status" -eq 7 ] || fail "status $status: $output"
  [[ "$output" == *to-stdout* ]] || fail "$output"
  [[ "$output" == *to-stderr* ]] || fail "$output"
  [ -z "$(ls "$TEST_ROOT")" ] || fail "runtime state left: $(ls "$TEST_ROOT")"
}

@test "podman run -d, exec, stop and rm" {
  run pm_run -d --name "$ID" "$IMAGE" sleep 1000
  [ "$status" -eq 0 ] || fail "$output"
  [ "$(container_state "$ID")" = running ]
  run pm exec "$ID" sh -c 'cat /proc/1/cmdline | tr "\0" " "; echo; id -u'
  [ "$status" -eq 0 ] || fail "$output"
  [[ "${lines[0]}" == "sleep 1000 " ]] || fail "pid 1 in the exec'd process's view: $output"
  [ "${lines[1]}" = 0 ]
  run pm exec "$ID" sh -c 'exit 5'
  [ "$status" -eq 5 ] || fail "exec status $status"
  run pm stop -t 1 "$ID"
  [ "$status" -eq 0 ] || fail "$output"
  [ "$(container_state "$ID")" = exited ]
  run pm rm "$ID"
  [ "$status" -eq 0 ] || fail "$output"
  [ -z "$(ls "$TEST_ROOT")" ] || fail "runtime state left: $(ls "$TEST_ROOT")"
}

@test "podman pause and unpause freeze and thaw the container" {
  pm_run -d --name "$ID" "$IMAGE" sleep 1000 >/dev/null
  pid=$(pm inspect -f '{{.State.Pid}}' "$ID")
  run pm pause "$ID"
  [ "$status" -eq 0 ] || fail "$output"
  [ "$(container_state "$ID")" = paused ]
  [ "$(runtime state "$(pm inspect -f '{{.Id}}' "$ID")" | jq -r .status)" = paused ]
  run pm unpause "$ID"
  [ "$status" -eq 0 ] || fail "$output"
  [ "$(container_state "$ID")" = running ]
}

@test "podman's default seccomp profile is loaded; seccomp=unconfined loads none" {
  run pm_run --rm "$IMAGE" grep '^Seccomp:' /proc/self/status
  [ "$status" -eq 0 ] || fail "$output"
  [[ "$output" == *"Seccomp:"*2* ]] || fail "no filter: $output"
  run pm_run --rm --security-opt seccomp=unconfined "$IMAGE" grep '^Seccomp:' /proc/self/status
  [ "$status" -eq 0 ] || fail "$output"
  [[ "$output" == *"Seccomp:"*0* ]] || fail "a filter: $output"
}

@test "podman run -t: the process gets a terminal from the console socket" {
  command -v script >/dev/null || skip "script(1) (Debian's bsdutils) is not installed"
  # script(1) gives podman a terminal; the command goes in a file, quoted once.
  {
    echo "export CONTAINERS_CONF=$CONTAINERS_CONF"
    printf '%q ' podman --root "$PODMAN_DIR/root" --runroot "$PODMAN_DIR/run" --tmpdir "$PODMAN_DIR/tmp" \
      --storage-driver vfs --runtime "$PODMAN_DIR/runtime" run --cgroup-parent "/$ID" --network none \
      --rm -t "$IMAGE" sh -c 'tty; echo rc-ok'
  } >"$TEST_DIR/tty.sh"
  run timeout 60 script -qec "bash $TEST_DIR/tty.sh" /dev/null
  [ "$status" -eq 0 ] || fail "status $status: $output"
  [[ "$output" == */dev/pts/* ]] || fail "no pty: $output"
  [[ "$output" == *rc-ok* ]] || fail "$output"
}

@test "podman kill sends the signal to the container's process" {
  pm_run -d --name "$ID" "$IMAGE" sh -c 'trap "echo got-usr1; exit 3" USR1; while :; do sleep 0.1; done' >/dev/null
  sleep 0.5
  run pm kill -s USR1 "$ID"
  [ "$status" -eq 0 ] || fail "$output"
  run pm wait "$ID"
  [ "$output" = 3 ] || fail "exit code $output"
  run pm logs "$ID"
  [[ "$output" == *got-usr1* ]] || fail "$output"
}
