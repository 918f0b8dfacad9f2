#!/usr/bin/env bats
# start: releases a created container; refuses anything else.

load lifecycle_setup

setup() { lifecycle_setup; }
teardown() { lifecycle_teardown; }

@test "start runs the process of a created container" {
  make_bundle "$BUNDLE" sh -c 'echo started > /dev/shm/mark; sleep 100'
  runtime create --bundle "$BUNDLE" "$ID"
  [ "$(container_status "$ID")" = created ]
  run runtime start "$ID"
  [ "$status" -eq 0 ]
  [ -z "$output" ]
  wait_status "$ID" running
  pid=$(runtime state "$ID" | jq .pid)
  for i in $(seq 50); do [ -f "/proc/$pid/root/dev/shm/mark" ] && break; sleep 0.05; done
  [ "$(cat "/proc/$pid/root/dev/shm/mark")" = started ]
}

@test "start on a running container is an error" {
  make_bundle "$BUNDLE" sleep 100
  runtime create --bundle "$BUNDLE" "$ID"
  runtime start "$ID"
  run runtime start "$ID"
  [ "$status" -ne 0 ]
  [[ "$output" == *"running"* ]] || [[ "$output" == *"cannot start"* ]]
}

@test "start on an unknown container says it does not exist" {
  run runtime start "$ID-none"
  [ "$status" -ne 0 ]
  [[ "$output" == *"does not exist"* ]]
}

@test "start of a stopped container is an error" {
  make_bundle "$BUNDLE" true
  runtime create --bundle "$BUNDLE" "$ID"
  runtime start "$ID"
  wait_status "$ID" stopped
  run runtime start "$ID"
  [ "$status" -ne 0 ]
}
