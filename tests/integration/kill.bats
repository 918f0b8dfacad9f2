#!/usr/bin/env bats
# kill: signals by name or number; the containerd shim's texts.

load lifecycle_setup

setup() { lifecycle_setup; }
teardown() { lifecycle_teardown; }

@test "kill with the default signal (SIGTERM) stops a running container" {
  # pid 1 of a pid namespace ignores signals it has no handler for: trap it
  make_bundle "$BUNDLE" sh -c 'trap "exit 0" TERM; while :; do sleep 0.1; done'
  runtime run -d --bundle "$BUNDLE" "$ID"
  sleep 0.3  # let the shell install its trap
  run runtime kill "$ID"
  [ "$status" -eq 0 ]
  wait_status "$ID" stopped
}

@test "kill accepts KILL, SIGKILL and 9" {
  make_bundle "$BUNDLE" sleep 100
  for sig in KILL SIGKILL 9; do
    runtime run -d --bundle "$BUNDLE" "$ID-$sig"
    runtime kill "$ID-$sig" "$sig"
    wait_status "$ID-$sig" stopped
  done
}

@test "kill delivers a caught signal to the init" {
  make_bundle "$BUNDLE" sh -c 'trap "echo got > /dev/shm/usr1" USR1; while :; do sleep 0.1; done'
  runtime run -d --bundle "$BUNDLE" "$ID"
  pid=$(runtime state "$ID" | jq .pid)
  sleep 0.3
  runtime kill "$ID" USR1
  for i in $(seq 50); do [ -f "/proc/$pid/root/dev/shm/usr1" ] && break; sleep 0.05; done
  [ "$(cat "/proc/$pid/root/dev/shm/usr1")" = got ]
}

# kill_stopped SIGNAL ALL-SIGNAL: kill SIGNAL of the stopped $ID fails with
# the shim's "container not running"; kill --all ALL-SIGNAL exits 0.
kill_stopped() {
  run runtime kill "$ID" "$1"
  [ "$status" -ne 0 ] || fail "kill $1 of a stopped container exited 0"
  [[ "$output" == *"container not running"* ]] || fail "kill $1: $output"
  run runtime kill --all "$ID" "$2"
  [ "$status" -eq 0 ] || fail "kill --all $2: exit $status: $output"
}

@test "kill on a stopped container says container not running; --all exits 0" {
  make_bundle "$BUNDLE" true
  runtime create --bundle "$BUNDLE" "$ID"
  runtime start "$ID"
  wait_status "$ID" stopped
  kill_stopped 15 9
}

@test "kill with signal 0 checks the container is alive and delivers nothing, with and without --all" {
  make_bundle "$BUNDLE" sleep 100
  runtime run -d --bundle "$BUNDLE" "$ID"
  run runtime kill "$ID" 0
  [ "$status" -eq 0 ] || fail "kill 0: exit $status: $output"
  run runtime kill --all "$ID" 0
  [ "$status" -eq 0 ] || fail "kill --all 0: exit $status: $output"
  [ "$(container_status "$ID")" = running ]
  runtime kill "$ID" KILL
  wait_status "$ID" stopped
  kill_stopped 0 0
}

@test "kill with an invalid signal names it" {
  make_bundle "$BUNDLE" sleep 100
  runtime create --bundle "$BUNDLE" "$ID"
  run runtime kill "$ID" NOSUCHSIG
  [ "$status" -ne 0 ]
  [[ "$output" == *"NOSUCHSIG"* ]]
}
