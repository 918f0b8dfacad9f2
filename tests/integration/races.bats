#!/usr/bin/env bats
# Races between commands from separate processes: parallel creates,
# operations racing on one id, delete --force racing the container's own
# exit, and a pid reused once the container's init died. Every command runs
# under `timeout` (HULL_RACE_TIMEOUT seconds, default 20): one that has to
# be killed is a deadlock and fails the test. state.json must parse as JSON
# whenever it is read, and every answer must agree with the state the
# container ends in.
#
# HULL_RACE_REPEAT (default 50, the CI size, 20 against another runtime;
# 200 for the full run) sets how many times the racing operations and the
# exit races are repeated.

bats_require_minimum_version 1.5.0
load helpers
load lifecycle_setup

OP_TIMEOUT=${HULL_RACE_TIMEOUT:-20}

setup() {
  lifecycle_setup
  ERRORS=$TEST_DIR/errors
  : > "$ERRORS"
}
teardown() { lifecycle_teardown; }

# bounded ARGS...: the runtime under test with the test's root, killed
# after OP_TIMEOUT seconds (exit 124, or 137 if it had to be SIGKILLed).
bounded() {
  timeout -k 5 "$OP_TIMEOUT" "$RUNTIME_BIN" --root "$TEST_ROOT" "$@"
}

# problem TEXT: records a failed check; the test fails at its end with all of them.
problem() {
  echo "$*" >> "$ERRORS"
}

# report_problems: fails, showing every recorded problem, if there is one.
report_problems() {
  [ -s "$ERRORS" ] || return 0
  head -n 60 "$ERRORS" >&2
  fail "$(wc -l < "$ERRORS") problem(s), listed above"
}

# crashed RC STDERR-FILE: the command died of a signal, was killed by
# timeout, or said it crashed (a C++ exception escaping, a Go panic).
crashed() {
  [ "$1" -ge 124 ] && [ "$1" -ne 255 ] && return 0
  grep -Eqi 'terminate called|segmentation fault|core dumped|panic:|assertion' "$2"
}

# cgroup_dirs_named NAME: the cgroup directories called NAME, in every hierarchy.
cgroup_dirs_named() {
  find /sys/fs/cgroup -mindepth 2 -type d -name "$1" 2>/dev/null || true
}

# check_state_json ID WHERE: state.json, if the runtime has one for ID
# (hull and runc both keep ROOT/ID/state.json), parses as JSON.
check_state_json() {
  local text
  text=$(cat "$TEST_ROOT/$1/state.json" 2>/dev/null) || return 0
  jq -e . >/dev/null 2>&1 <<<"$text" || problem "$2: $1/state.json does not parse: $(head -c 200 <<<"$text")"
}

# check_gone ID PID: nothing of the container is left.
check_gone() {
  [ ! -e "$TEST_ROOT/$1" ] || problem "$1: state directory left: $(find "$TEST_ROOT/$1" -mindepth 1 -printf "%f " 2>/dev/null)"
  local left
  left=$(cgroup_dirs_named "$1")
  [ -z "$left" ] || problem "$1: cgroup directories left: $left"
  [ -z "${2:-}" ] || [ "$2" = 0 ] || process_gone "$2" || problem "$1: init $2 still alive"
}

@test "races: a created container that is paused says paused, resumes, and start refuses it meanwhile" {
  # Found by the racing operations: hull said "created" for a frozen
  # created container, so resume refused it ("not paused") and start
  # waited 10 s on the frozen init, then failed with it still frozen.
  make_bundle "$BUNDLE" sleep 100000
  runtime create --bundle "$BUNDLE" "$ID" </dev/null >/dev/null 2>&1
  runtime pause "$ID"
  [ "$(container_status "$ID")" = paused ]
  run -1 bounded start "$ID"
  [[ "$output" == *paused* ]] || fail "start of a paused container: $output"
  [ "$(container_status "$ID")" = paused ]
  runtime resume "$ID"
  [ "$(container_status "$ID")" = created ]
  runtime start "$ID"
  [ "$(container_status "$ID")" = running ]
}

@test "races: delete --force of a paused container does not wait for the frozen init" {
  # It sent SIGKILL to the frozen init, then waited 5 s for it to die,
  # which on cgroup v1 it does only once thawed.
  make_bundle "$BUNDLE" sleep 100000
  runtime run -d --bundle "$BUNDLE" "$ID" </dev/null >/dev/null 2>&1
  pid=$(runtime state "$ID" | jq .pid)
  runtime pause "$ID"
  local t0=$EPOCHREALTIME
  runtime delete --force "$ID"
  local took
  took=$(bc <<<"$EPOCHREALTIME - $t0")
  [ "$(bc <<<"$took < 2")" = 1 ] || fail "delete --force of a paused container took $took s"
  check_gone "$ID" "$pid"
  report_problems
}
