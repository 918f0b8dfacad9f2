#!/usr/bin/env bats
# create: the init waits before exec; status "created"; the engines' contract.

bats_require_minimum_version 1.5.0
load lifecycle_setup

setup() { lifecycle_setup; }
teardown() { lifecycle_teardown; }

@test "create leaves the container created, silent on success, pid file without newline" {
  make_bundle "$BUNDLE" sleep 100
  run_detached create --bundle "$BUNDLE" --pid-file "$TEST_DIR/pid" "$ID"
  [ "$status" -eq 0 ]
  [ -z "$output" ]
  [ "$(container_status "$ID")" = created ]
  pid=$(cat "$TEST_DIR/pid")
  [ "$(tail -c 1 "$TEST_DIR/pid" | od -An -c | tr -d ' ')" != '\n' ]
  [ "$(runtime state "$ID" | jq .pid)" = "$pid" ]
  kill -0 "$pid"
}

@test "create with an existing id fails and keeps the first container" {
  make_bundle "$BUNDLE" sleep 100
  runtime create --bundle "$BUNDLE" "$ID"
  run_detached create --bundle "$BUNDLE" "$ID"
  [ "$status" -ne 0 ]
  [[ "$output" == *"already exists"* ]]
  [ "$(container_status "$ID")" = created ]
}

@test "create accepts -bundle, --bundle=DIR and -b" {
  make_bundle "$BUNDLE" sleep 100
  runtime create -bundle "$BUNDLE" "$ID-a"
  runtime create --bundle="$BUNDLE" "$ID-b"
  runtime create -b "$BUNDLE" "$ID-c"
  for s in a b c; do [ "$(container_status "$ID-$s")" = created ]; done
}

@test "create with a missing executable fails and leaves nothing behind" {
  make_bundle "$BUNDLE" /no/such/binary
  run_detached create --bundle "$BUNDLE" "$ID"
  [ "$status" -ne 0 ]
  [[ "$output" == *"no such file or directory"* ]]
  run runtime state "$ID"
  [ "$status" -ne 0 ]
  [ -z "$(ls "$TEST_ROOT")" ]
}

@test "create with a malformed config.json names the field" {
  make_bundle "$BUNDLE" true
  update_config "$BUNDLE" '.process.cwd = 5'
  run_detached create --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 1 ]
  [[ "$output" == *"process.cwd"* ]]
  [ -z "$(ls "$TEST_ROOT")" ]
}

@test "create with a relative cwd is refused" {
  hull_only "runc accepts a relative cwd; the spec says it MUST be absolute"
  make_bundle "$BUNDLE" true
  update_config "$BUNDLE" '.process.cwd = "tmp"'
  run_detached create --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 1 ]
  [[ "$output" == *"process.cwd"* ]]
}

@test "create writes one JSON error line to --log on failure" {
  make_bundle "$BUNDLE" /no/such/binary
  run ! "$RUNTIME_BIN" --root "$TEST_ROOT" --log "$TEST_DIR/log.json" --log-format json create --bundle "$BUNDLE" "$ID"
  [ "$status" -ne 0 ]
  [ "$(grep -c level.*error "$TEST_DIR/log.json")" -eq 1 ]
  jq -e 'select(.level == "error") | .msg | test("no such file")' "$TEST_DIR/log.json"
  time=$(jq -r 'select(.level == "error") | .time' "$TEST_DIR/log.json")
  date -d "$time" >/dev/null
}

@test "create does not leak host fds into the container" {
  make_bundle "$BUNDLE" ls /proc/self/fd/
  # fds 7 and 8 open in the caller, not CLOEXEC, as an engine may leak them
  run sh -c 'exec 7</dev/null 8>"$1/leak"; shift; exec "$@"' sh "$TEST_DIR" \
    "$RUNTIME_BIN" --root "$TEST_ROOT" run --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 0 ]
  # The allow list of runc's create.bats: stdio and the fd ls opened on the directory.
  fds=$(echo "$output" | sort -n | tr '\n' ' ')
  [ "$fds" = "0 1 2 3 " ] || { echo "fds in the container: $output"; false; }
}

@test "create --preserve-fds passes exactly N extra fds" {
  make_bundle "$BUNDLE" sh -c 'ls /proc/self/fd/ | sort -n | tr "\n" " "'
  run sh -c 'exec 3</dev/null 4</dev/null 5</dev/null; exec "$@"' sh \
    "$RUNTIME_BIN" --root "$TEST_ROOT" run --preserve-fds 1 --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 0 ]
  [[ "$output" == "0 1 2 3 4 "* ]] || [[ "$output" == "0 1 2 3 "* ]]
  [[ "$output" != *" 5 "* ]]
}

@test "create hands every hook the whole state JSON, however large the annotations" {
  make_bundle "$BUNDLE" true
  # ~200 KiB of annotations: more than one packet of the sync socket.
  jq -n '[range(2000) | {key: "hulltest.\(.)", value: ("v" * 100)}] | from_entries' >"$TEST_DIR/annotations.json"
  hook() { jq -n --arg out "$TEST_DIR/$1.out" \
    '{path: "/bin/sh", args: ["sh", "-c", "jq -e \".annotations | length\" > \($out) 2>&1"]}'; }
  update_config "$BUNDLE" --slurpfile a "$TEST_DIR/annotations.json" \
    --argjson cr "$(hook createRuntime)" --argjson cc "$(hook createContainer)" \
    '.annotations = $a[0] | .hooks = {createRuntime: [$cr], createContainer: [$cc]}'
  run runtime run --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 0 ] || fail "run failed ($status): $output"
  [ "$(cat "$TEST_DIR/createRuntime.out")" = 2000 ] || fail "createRuntime: $(cat "$TEST_DIR/createRuntime.out")"
  [ "$(cat "$TEST_DIR/createContainer.out")" = 2000 ] || fail "createContainer: $(cat "$TEST_DIR/createContainer.out")"
}
