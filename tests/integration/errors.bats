#!/usr/bin/env bats
# Errors: "hull: <message>" on stderr and exit 1; with --log FILE
# --log-format json exactly one {"level":"error","msg","time"} line, which is
# what conmon and the containerd shims read; flags as runc spells them.

load helpers

setup() {
  hull_setup
  LOG=$TEST_DIR/log.json
}
teardown() { hull_teardown; }

# A command that fails the way engines see most often: an unknown container.
failing_command() {
  echo state "$PREFIX-missing"
}

# check_error_line LINE: one JSON object with level error, a msg and an RFC3339 time.
check_error_line() {
  local line=$1 time
  jq -e . >/dev/null <<<"$line" || fail "not JSON: $line"
  [ "$(jq -r .level <<<"$line")" = error ] || fail "level is not error: $line"
  [ "$(jq -r '.msg | type' <<<"$line")" = string ] || fail "no msg: $line"
  [ -n "$(jq -r .msg <<<"$line")" ] || fail "empty msg: $line"
  time=$(jq -r .time <<<"$line")
  [[ "$time" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$ ]] ||
    fail "time is not RFC3339: $time"
  date -d "$time" >/dev/null || fail "date cannot parse time: $time"
  # The time is now, not a constant: within a minute of the test's clock.
  local delta=$(($(date +%s) - $(date -d "$time" +%s)))
  [ "${delta#-}" -lt 60 ] || fail "time is $delta s away from now: $time"
}

@test "unknown global flag exits 1 and names the flag" {
  run --separate-stderr rt_bare --no-such-flag features
  assert_status 1
  assert_stderr_contains no-such-flag
  # runc prints its usage on stdout here; hull keeps stdout for documents.
  if is_hull; then [ -z "$output" ] || fail "stdout: $output"; fi
}

@test "unknown command flag exits 1 and names the flag" {
  cd "$TEST_DIR"
  run --separate-stderr rt spec --no-such-flag
  assert_status 1
  assert_stderr_contains no-such-flag
  [ ! -e config.json ] || fail "spec ran despite the bad flag"
}

@test "unknown command exits non-zero and names it" {
  run --separate-stderr rt no-such-command
  assert_failure
  assert_stderr_contains no-such-command
}

@test "unknown command exits 1" {
  hull_only "runc exits 3 here"
  run rt no-such-command
  assert_status 1
}

@test "a global flag missing its value is an error" {
  run --separate-stderr rt_bare features --root
  assert_failure
  run --separate-stderr rt_bare --root
  assert_failure
}

@test "errors go to stderr prefixed with 'hull: ', nothing on stdout" {
  hull_only "runc's text log format differs"
  run --separate-stderr rt $(failing_command)
  assert_status 1
  [[ "$stderr" == "hull: "* ]] || { show_run; fail "stderr does not start with 'hull: '"; }
  [ "$(grep -c '' <<<"$stderr")" -eq 1 ] || { show_run; fail "more than one stderr line"; }
  [ -z "$output" ] || fail "stdout: $output"
}

@test "an unknown container id says 'does not exist' (containerd's shim matches it)" {
  run --separate-stderr rt $(failing_command)
  assert_status 1
  assert_stderr_contains "does not exist"
}

@test "--log FILE --log-format json writes exactly one error line on failure" {
  run --separate-stderr rt --log "$LOG" --log-format json $(failing_command)
  assert_status 1
  [ "$(wc -l < "$LOG")" -eq 1 ] || fail "log has $(wc -l < "$LOG") lines: $(cat "$LOG")"
  check_error_line "$(cat "$LOG")"
  [[ "$(jq -r .msg "$LOG")" == *"does not exist"* ]] || fail "msg: $(jq -r .msg "$LOG")"
}

@test "--log-format=json is --log-format json" {
  run rt --log="$LOG" --log-format=json $(failing_command)
  assert_status 1
  [ "$(wc -l < "$LOG")" -eq 1 ] || fail "log: $(cat "$LOG")"
  check_error_line "$(cat "$LOG")"
}

@test "single-dash long flags: -log FILE -log-format json" {
  run rt_bare -root "$TEST_ROOT" -log "$LOG" -log-format json $(failing_command)
  assert_status 1
  [ "$(wc -l < "$LOG")" -eq 1 ] || fail "log: $(cat "$LOG")"
  check_error_line "$(cat "$LOG")"
}

@test "--log appends: two failures leave two error lines" {
  echo '{"level":"info","msg":"already here","time":"2020-01-01T00:00:00Z"}' > "$LOG"
  rt --log "$LOG" --log-format json $(failing_command) 2>/dev/null && fail "first command succeeded"
  rt --log "$LOG" --log-format json $(failing_command) 2>/dev/null && fail "second command succeeded"
  [ "$(wc -l < "$LOG")" -eq 3 ] || fail "log: $(cat "$LOG")"
  [ "$(head -1 "$LOG" | jq -r .msg)" = "already here" ] || fail "log was truncated"
  local line
  while read -r line; do check_error_line "$line"; done < <(tail -n 2 "$LOG")
}

@test "--log FILE is created even when nothing fails, and stays empty" {
  run rt --log "$LOG" features
  assert_status 0
  [ -f "$LOG" ] || fail "$LOG was not created"
  [ ! -s "$LOG" ] || fail "log is not empty: $(cat "$LOG")"
  rm "$LOG"
  run rt --log "$LOG" --log-format json features
  [ -f "$LOG" ] || fail "$LOG was not created with json format"
}

@test "--log into a missing directory fails naming the file" {
  run --separate-stderr rt --log "$TEST_DIR/no/such/dir/log" features
  assert_failure
  assert_stderr_contains "$TEST_DIR/no/such/dir/log"
}

@test "--log-format bogus is an error naming the value" {
  run --separate-stderr rt --log "$LOG" --log-format bogus features
  assert_status 1
  assert_stderr_contains bogus
}

@test "--log-format text writes a text line, not JSON, on failure" {
  run rt --log "$LOG" --log-format text $(failing_command)
  assert_status 1
  [ -s "$LOG" ] || fail "log is empty"
  ! jq -e . "$LOG" >/dev/null 2>&1 || fail "text log is JSON: $(cat "$LOG")"
  grep -q "does not exist" "$LOG" || fail "log: $(cat "$LOG")"
}

@test "--debug adds debug lines to the json log; the error line stays one" {
  hull_only "runc logs debug lines only on the create/exec paths"
  run rt --debug --log "$LOG" --log-format json $(failing_command)
  assert_status 1
  local line
  while read -r line; do jq -e . >/dev/null <<<"$line" || fail "not JSON: $line"; done < "$LOG"
  [ "$(jq -r 'select(.level == "debug") | .msg' "$LOG" | grep -c '')" -ge 1 ] || fail "no debug line: $(cat "$LOG")"
  [ "$(jq -r 'select(.level == "error") | .msg' "$LOG" | grep -c '')" -eq 1 ] || fail "error lines: $(cat "$LOG")"
}

@test "without --debug there are no debug lines" {
  run rt --log "$LOG" --log-format json $(failing_command)
  assert_status 1
  [ "$(jq -r 'select(.level == "debug") | .msg' "$LOG" | grep -c '')" -eq 0 ] || fail "debug lines: $(cat "$LOG")"
}

@test "--debug without --log writes debug lines to stderr" {
  hull_only "runc logs debug lines only on the create/exec paths"
  run --separate-stderr rt --debug $(failing_command)
  assert_status 1
  [ "$(grep -c '' <<<"$stderr")" -ge 2 ] || { show_run; fail "no debug line on stderr"; }
  assert_stderr_matches debug
}

@test "--rootless takes true, false or auto and nothing else" {
  hull_only "runc checks the value only where it uses it"
  local v
  for v in true false auto; do
    run rt --rootless "$v" features
    [ "$status" -eq 0 ] || { show_run; fail "--rootless $v refused"; }
  done
  run --separate-stderr rt --rootless maybe features
  assert_failure
  assert_stderr_contains maybe
}

@test "--systemd-cgroup is accepted before the command" {
  run rt --systemd-cgroup features
  assert_status 0
  jq -e .ociVersionMin >/dev/null <<<"$output" || fail "features output: $output"
}

@test "hull works with an empty environment (podman passes no PATH)" {
  run env -i "$RUNTIME_BIN" --root "$TEST_ROOT" features
  assert_status 0
  jq -e .ociVersionMin >/dev/null <<<"$output" || fail "features output: $output"
  run --separate-stderr env -i "$RUNTIME_BIN" --root "$TEST_ROOT" $(failing_command)
  assert_status 1
  assert_stderr_contains "does not exist"
}
