#!/usr/bin/env bats
# state: runc's JSON document.

load lifecycle_setup

setup() { lifecycle_setup; }
teardown() { lifecycle_teardown; }

@test "state prints runc's fields with a nanosecond RFC 3339 created time" {
  make_bundle "$BUNDLE" sleep 100
  update_config "$BUNDLE" '.annotations = {"org.example.key": "value"}'
  runtime create --bundle "$BUNDLE" "$ID"
  run runtime state "$ID"
  [ "$status" -eq 0 ]
  echo "$output" | jq -e --arg id "$ID" '.id == $id and .status == "created" and (.pid > 0) and .ociVersion'
  echo "$output" | jq -e --arg b "$(readlink -f "$BUNDLE")" '.bundle == $b and (.rootfs | endswith("/rootfs"))'
  echo "$output" | jq -e '.annotations["org.example.key"] == "value"'
  echo "$output" | jq -e '.created | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]+(Z|[+-][0-9:]+)$")'
  echo "$output" | jq -e 'has("owner")'
  # runc indents with two spaces (json.MarshalIndent)
  [[ "$(echo "$output" | sed -n 2p)" == '  "'* ]]
}

@test "state of an unknown id says does not exist and exits 1" {
  run runtime state "$ID-none"
  [ "$status" -eq 1 ]
  [[ "$output" == *"does not exist"* ]]
}

@test "state works with no PATH in the environment (podman)" {
  make_bundle "$BUNDLE" sleep 100
  runtime create --bundle "$BUNDLE" "$ID"
  run env -i XDG_RUNTIME_DIR= "$RUNTIME_BIN" --root "$TEST_ROOT" state "$ID"
  [ "$status" -eq 0 ]
  echo "$output" | jq -e '.status == "created"'
}

@test "state reports stopped with pid 0 after the process exits" {
  make_bundle "$BUNDLE" true
  runtime create --bundle "$BUNDLE" "$ID"
  runtime start "$ID"
  wait_status "$ID" stopped
  [ "$(runtime state "$ID" | jq .pid)" = 0 ]
}
