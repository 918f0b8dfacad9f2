#!/usr/bin/env bats
# delete: refuses a running container without --force; leaves nothing behind.

load lifecycle_setup

setup() { lifecycle_setup; }
teardown() { lifecycle_teardown; }

@test "delete removes a stopped container" {
  make_bundle "$BUNDLE" true
  runtime create --bundle "$BUNDLE" "$ID"
  runtime start "$ID"
  wait_status "$ID" stopped
  run runtime delete "$ID"
  [ "$status" -eq 0 ]
  [ -z "$output" ]
  run runtime state "$ID"
  [[ "$output" == *"does not exist"* ]]
  [ ! -e "$TEST_ROOT/$ID" ]
}

@test "delete refuses a running container, --force kills and removes it" {
  make_bundle "$BUNDLE" sleep 100
  runtime run -d --bundle "$BUNDLE" "$ID"
  pid=$(runtime state "$ID" | jq .pid)
  run runtime delete "$ID"
  [ "$status" -ne 0 ]
  [[ "$output" == *"running"* ]]
  runtime delete --force "$ID"
  process_gone "$pid"
  [ ! -e "$TEST_ROOT/$ID" ]
}

@test "delete of an unknown id fails, with --force it exits 0" {
  run runtime delete "$ID-none"
  [ "$status" -ne 0 ]
  [[ "$output" == *"does not exist"* ]]
  run runtime delete --force "$ID-none"
  [ "$status" -eq 0 ]
}

@test "delete --force cleans up a create killed half way" {
  hull_only "depends on hull's state layout"
  make_bundle "$BUNDLE" sleep 100
  # A createRuntime hook that never returns holds create between its steps.
  update_config "$BUNDLE" --arg f "$TEST_DIR/hook.pid" \
    '.hooks.createRuntime = [{"path": "/bin/sh", "args": ["sh", "-c", "echo $$ > \($f); exec sleep 100"]}]'
  # Not the `runtime` function: `$!` must be hull itself, not a subshell.
  "$RUNTIME_BIN" --root "$TEST_ROOT" create --bundle "$BUNDLE" "$ID" &
  create_pid=$!
  for i in $(seq 100); do [ -f "$TEST_ROOT/$ID/state.json" ] && break; sleep 0.05; done
  init=$(jq .init_pid "$TEST_ROOT/$ID/state.json")
  kill -9 "$create_pid"
  wait "$create_pid" || true
  run runtime delete --force "$ID"
  [ "$status" -eq 0 ]
  [ ! -e "$TEST_ROOT/$ID" ]
  for i in $(seq 50); do process_gone "$init" && break; sleep 0.05; done
  process_gone "$init"
  # The hook was create's child; it is ours to stop (by its recorded pid).
  kill "$(cat "$TEST_DIR/hook.pid")" 2>/dev/null || true
}
