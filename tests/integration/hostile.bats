#!/usr/bin/env bats
# Hostile bundles and inputs: configs far larger than any real one, and
# the runtime's own files corrupted on disk. Each is run or refused with a
# clear error, and leaves nothing behind.

load lifecycle_setup

setup() { lifecycle_setup; }
teardown() { lifecycle_teardown; }

# host_mounts: the host's mounts that are this test's (other tests may run beside it).
host_mounts() { grep -c -e "$TEST_DIR" -e ' /m/' /proc/self/mountinfo || true; }

@test "10,000 mounts: the container runs, and no mount is left on the host" {
  make_bundle "$BUNDLE" sh -c 'grep -c " /m/" /proc/self/mountinfo'
  update_config "$BUNDLE" '.mounts += [range(10000) | {destination: "/m/\(.)", type: "tmpfs", source: "tmpfs", options: ["size=4k"]}]'
  before=$(host_mounts)
  run timeout 120 "$RUNTIME_BIN" --root "$TEST_ROOT" run --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 0 ] || fail "run failed ($status): ${output:0:300}"
  [ "$output" = 10000 ] || fail "the container saw ${output:0:100} mounts"
  [ "$(host_mounts)" = "$before" ] || fail "host mounts went from $before to $(host_mounts)"
  [ -z "$(ls "$TEST_ROOT")" ]
}

@test "1 MiB of environment and 64 KiB of arguments reach the process whole" {
  arg=$(head -c 65536 /dev/zero | tr '\0' a)
  make_bundle "$BUNDLE" sh -c 'echo "args ${#1}"; echo "env $(env | grep -c ^HULLTEST_)"' sh "$arg"
  value=$(head -c 1000 /dev/zero | tr '\0' v)
  jq -n --arg v "$value" '[range(1024) | "HULLTEST_\(.)=\($v)"]' >"$TEST_DIR/env.json"
  update_config "$BUNDLE" --slurpfile e "$TEST_DIR/env.json" '.process.env += $e[0]'
  run runtime run --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 0 ] || fail "run failed ($status): ${output:0:300}"
  [ "${lines[0]}" = "args 65536" ] || fail "${lines[0]}"
  [ "${lines[1]}" = "env 1024" ] || fail "${lines[1]}"
}

@test "one environment variable over the kernel's 128 KiB string limit is refused clearly, leaving nothing" {
  make_bundle "$BUNDLE" true
  { printf HULLTEST_BIG=; head -c 200000 /dev/zero | tr '\0' v; } >"$TEST_DIR/big"
  update_config "$BUNDLE" --rawfile v "$TEST_DIR/big" '.process.env += [$v]'
  run runtime run --bundle "$BUNDLE" "$ID"
  [ "$status" -ne 0 ] || fail "the process started"
  [[ "${output,,}" == *"argument list too long"* ]] || fail "no reason given: ${output:0:300}"
  [ -z "$(ls "$TEST_ROOT")" ]
}

@test "100,000 annotations: create records them and a hook gets them all" {
  make_bundle "$BUNDLE" true
  jq -n '[range(100000) | {key: "hulltest.\(.)", value: "v"}] | from_entries' >"$TEST_DIR/annotations.json"
  hook=$(jq -n --arg out "$TEST_DIR/hook.out" \
    '{path: "/bin/sh", args: ["sh", "-c", "jq \".annotations | length\" > \($out)"]}')
  update_config "$BUNDLE" --slurpfile a "$TEST_DIR/annotations.json" --argjson h "$hook" \
    '.annotations = $a[0] | .hooks.createContainer = [$h]'
  run_detached create --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 0 ] || fail "create failed ($status): ${output:0:300}"
  [ "$(cat "$TEST_DIR/hook.out")" = 100000 ]
  [ "$(runtime state "$ID" | jq '.annotations | length')" = 100000 ]
}

# corrupt_state HOW: state.json of the running container $ID, truncated or garbage.
corrupt_state() {
  local state=$TEST_ROOT/$ID/state.json
  case "$1" in
    truncated) head -c 40 "$state" >"$state.new" ;;
    garbage) head -c 4096 /dev/urandom >"$state.new" ;;
    empty) : >"$state.new" ;;
  esac
  mv "$state.new" "$state"
}

@test "a corrupted state.json: state and exec fail naming it, the other containers are still listed" {
  # runc says only "unexpected EOF", and cannot delete the container after.
  hull_only "runc names neither the file nor the problem, and leaves the container behind"
  make_bundle "$BUNDLE" sleep 100
  run_detached run -d --bundle "$BUNDLE" "$ID-ok"
  [ "$status" -eq 0 ] || fail "$output"
  for how in truncated garbage empty; do
    run_detached run -d --bundle "$BUNDLE" "$ID"
    [ "$status" -eq 0 ] || fail "$output"
    corrupt_state "$how"
    run runtime state "$ID"
    [ "$status" -ne 0 ] || fail "$how: state succeeded"
    [[ "$output" == *"$ID/state.json"* ]] || fail "$how: state does not name the file: $output"
    run runtime exec "$ID" true
    [ "$status" -eq 255 ] || fail "$how: exec exited $status: $output"
    [[ "$output" == *"state.json"* ]] || fail "$how: exec does not name the file: $output"
    run runtime list -q
    [[ "$output" == *"$ID-ok"* ]] || fail "$how: list lost the good container: $output"
    runtime delete --force "$ID" || fail "$how: delete --force failed"
  done
}

@test "delete --force of a container whose state.json is corrupted kills its processes and removes its cgroups" {
  hull_only "runc cannot delete a container whose state it cannot read"
  make_bundle "$BUNDLE" sleep 100
  run_detached run -d --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 0 ] || fail "$output"
  pid=$(runtime state "$ID" | jq .pid)
  corrupt_state garbage
  run runtime delete --force "$ID"
  [ "$status" -eq 0 ] || fail "delete --force failed: $output"
  for _ in $(seq 50); do process_gone "$pid" && break; sleep 0.1; done
  process_gone "$pid" || fail "the container's process $pid lives on"
  [ ! -e "$TEST_ROOT/$ID" ] || fail "the state directory is left"
  left=$(find /sys/fs/cgroup -mindepth 1 -maxdepth 4 -type d -name "$ID" 2>/dev/null)
  [ -z "$left" ] || fail "cgroups left: $left"
}

@test "a truncated or malformed exec process.json is refused naming it, with status 255, the container untouched" {
  make_bundle "$BUNDLE" sleep 100
  run_detached run -d --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 0 ] || fail "$output"
  printf '{"args": ["true"], "cwd": "/"' >"$TEST_DIR/truncated.json"
  printf '{"args": "true", "cwd": "/"}' >"$TEST_DIR/wrong.json"
  head -c 1000 /dev/urandom >"$TEST_DIR/garbage.json"
  for f in truncated wrong garbage; do
    run runtime exec --process "$TEST_DIR/$f.json" "$ID"
    [ "$status" -ne 0 ] || fail "$f: exec succeeded"
    # runc says only "exec failed: unexpected EOF".
    if is_hull; then
      [ "$status" -eq 255 ] || fail "$f: exec exited $status: $output"
      [[ "$output" == *"$f.json"* ]] || fail "$f: the file is not named: $output"
    fi
  done
  [ "$(container_status "$ID")" = running ]
}

@test "a NUL byte in process.args, env or cwd is refused naming the field, not cut short" {
  make_bundle "$BUNDLE" true
  for field in '.process.args = ["sh", "-c", "true\u0000; rm -rf /x"]' '.process.env += ["A=b\u0000c"]' \
    '.process.cwd = "/tmp\u0000/etc"'; do
    update_config "$BUNDLE" "$field"
    run runtime run --bundle "$BUNDLE" "$ID"
    [ "$status" -ne 0 ] || fail "accepted: $field"
    # runc refuses them too, without naming the field.
    if is_hull; then [[ "$output" == *"process."*"NUL byte"* ]] || fail "$field: $output"; fi
    make_bundle "$BUNDLE" true
  done
  [ -z "$(ls "$TEST_ROOT")" ]
}
