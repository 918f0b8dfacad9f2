#!/usr/bin/env bats
# list: table, json and --quiet, as runc's.

load lifecycle_setup

setup() { lifecycle_setup; }
teardown() { lifecycle_teardown; }

@test "list shows every container with its status" {
  make_bundle "$BUNDLE" sleep 100
  runtime create --bundle "$BUNDLE" "$ID-a"
  runtime run -d --bundle "$BUNDLE" "$ID-b"
  run runtime list
  [ "$status" -eq 0 ]
  [[ "${lines[0]}" == ID*PID*STATUS*BUNDLE*CREATED*OWNER ]]
  [[ "$output" == *"$ID-a"*created* ]]
  [[ "$output" == *"$ID-b"*running* ]]
}

@test "list --format json and -q" {
  make_bundle "$BUNDLE" sleep 100
  runtime create --bundle "$BUNDLE" "$ID"
  run runtime list --format json
  [ "$status" -eq 0 ]
  echo "$output" | jq -e --arg id "$ID" '.[0].id == $id and .[0].status == "created" and (.[0].pid > 0)'
  run runtime list -q
  [ "$output" = "$ID" ]
}

@test "list of an empty root prints only the header" {
  run runtime list
  [ "$status" -eq 0 ]
  [ "${#lines[@]}" -eq 1 ]
}
