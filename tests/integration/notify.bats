#!/usr/bin/env bats
# NOTIFY_SOCKET (sd_notify(3)) as runc does it: the container gets
# /run/notify/notify.sock, and start/run relay its READY=1 to the caller's
# socket with MAINPID, waiting for it before they return.

load lifecycle_setup

setup_file() {
  # busybox cannot write to a unix datagram socket: a static helper can.
  command -v gcc >/dev/null || return 0
  gcc -static -Os -o "$BATS_FILE_TMPDIR/sd-notify" "$BATS_TEST_DIRNAME/../tools/sd-notify.c"
}

setup() {
  lifecycle_setup
  [ -x "$BATS_FILE_TMPDIR/sd-notify" ] || skip "gcc (with a static libc) is needed to build tests/tools/sd-notify.c"
  HOST_SOCKET=$TEST_DIR/host.sock
  OUT=$TEST_DIR/notify.out
}
teardown() { lifecycle_teardown; }

# notify_bundle SCRIPT: a bundle running sh -c SCRIPT, with sd-notify in /bin.
notify_bundle() {
  make_bundle "$BUNDLE" sh -c "$1"
  cp "$BATS_FILE_TMPDIR/sd-notify" "$BUNDLE/rootfs/bin/sd-notify"
}

start_receiver() {
  /usr/bin/python3 "$REPO/tests/tools/notify-receiver" "$HOST_SOCKET" "$OUT" &
  echo $! > "$TEST_DIR/receiver.pid"
  for i in $(seq 100); do [ -e "$OUT.ready" ] && return 0; sleep 0.05; done
  false
}

# wait_for_line LINE: until the receiver has written LINE.
wait_for_line() {
  for i in $(seq 100); do grep -qx "$1" "$OUT" 2>/dev/null && return 0; sleep 0.05; done
  echo "receiver did not get '$1'; it got:" >&2
  cat "$OUT" >&2 2>/dev/null
  return 1
}

@test "start waits for READY=1 and relays it with the init's host pid as MAINPID" {
  notify_bundle 'sleep 0.3; sd-notify READY=1; sleep 100'
  start_receiver
  NOTIFY_SOCKET=$HOST_SOCKET run_detached create --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 0 ]
  NOTIFY_SOCKET=$HOST_SOCKET runtime start "$ID"
  # No waiting here: start returns once the message is through.
  grep -qx READY=1 "$OUT"
  grep -qx "MAINPID=$(runtime state "$ID" | jq .pid)" "$OUT"
}

@test "run --detach waits for READY=1 and relays it with the init's host pid" {
  notify_bundle 'sleep 0.3; sd-notify READY=1; sleep 100'
  start_receiver
  NOTIFY_SOCKET=$HOST_SOCKET run_detached run --detach --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 0 ]
  grep -qx READY=1 "$OUT"
  grep -qx "MAINPID=$(runtime state "$ID" | jq .pid)" "$OUT"
}

@test "run in the foreground relays READY=1 with its own pid; the container sees /run/notify/notify.sock read-only" {
  notify_bundle 'echo "$NOTIFY_SOCKET"; grep " /run/notify " /proc/self/mountinfo; sd-notify READY=1; sleep 100'
  start_receiver
  NOTIFY_SOCKET=$HOST_SOCKET "$RUNTIME_BIN" --root "$TEST_ROOT" run --bundle "$BUNDLE" "$ID" \
    </dev/null >"$TEST_DIR/out" 2>&1 &
  runner=$!
  wait_for_line READY=1
  grep -qx "MAINPID=$runner" "$OUT"
  runtime kill "$ID" KILL
  wait "$runner" || true
  run cat "$TEST_DIR/out"
  [ "${lines[0]}" = /run/notify/notify.sock ]
  [[ "${lines[1]}" == *" /run/notify ro,"* ]]
}

@test "NOTIFY_SOCKET reaches a container in a user namespace" {
  notify_bundle 'sd-notify READY=1; sleep 100'
  use_user_namespace "$BUNDLE"
  start_receiver
  NOTIFY_SOCKET=$HOST_SOCKET run_detached run --detach --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 0 ]
  grep -qx READY=1 "$OUT"
}

@test "messages before READY=1 are relayed too, a MAINPID from inside the container is not" {
  hull_only "runc relays only the READY=1 line"
  notify_bundle 'sd-notify STATUS=starting MAINPID=1; sd-notify READY=1 STATUS=up; sleep 100'
  start_receiver
  NOTIFY_SOCKET=$HOST_SOCKET run_detached run --detach --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 0 ]
  pid=$(runtime state "$ID" | jq .pid)
  run cat "$OUT"
  [ "$output" = "STATUS=starting
--
READY=1
STATUS=up
MAINPID=$pid
--
BARRIER=1
--" ]
}

@test "start returns when the container exits without READY=1" {
  hull_only "runc waits for READY=1 as long as the init is not reaped, which it never is then"
  notify_bundle 'sd-notify STATUS=bye'
  start_receiver
  NOTIFY_SOCKET=$HOST_SOCKET run_detached create --bundle "$BUNDLE" "$ID"
  NOTIFY_SOCKET=$HOST_SOCKET timeout 10 "$RUNTIME_BIN" --root "$TEST_ROOT" start "$ID"
  wait_status "$ID" stopped
  grep -qx STATUS=bye "$OUT"
  ! grep -q READY "$OUT" || false  # bats' set -e ignores a bare '! cmd'
}

@test "an unreachable NOTIFY_SOCKET is a warning: the container runs" {
  hull_only "runc fails start after the process has started"
  notify_bundle 'sd-notify READY=1; sleep 100'
  NOTIFY_SOCKET=$TEST_DIR/nobody.sock run_detached run --detach --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 0 ]
  [[ "$output" == *NOTIFY_SOCKET* ]]
  [ "$(container_status "$ID")" = running ]
}
