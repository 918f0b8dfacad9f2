#!/usr/bin/env bats
# Hooks (config.md "POSIX-platform Hooks", runtime.md "Lifecycle"): what a
# failing hook stops and what it does not, where createContainer runs.
# run.bats has their order and environment, namespaces.bats the
# createContainer hook's mount namespace, seccomp.bats the startContainer
# hooks under the container's filter.

bats_require_minimum_version 1.5.0
load lifecycle_setup

setup() { lifecycle_setup; }
teardown() { lifecycle_teardown; }

# marks NAME: a hook that records it ran in $TEST_DIR/NAME.
marks() {
  jq -nc --arg f "$TEST_DIR/$1" '{"path": "/bin/sh", "args": ["sh", "-c", "echo ran > \($f)"]}'
}

FAILS='{"path": "/bin/false"}'

# with_failing_hooks KIND: KIND's hooks are fail, mark a, fail, mark b.
with_failing_hooks() {
  update_config "$BUNDLE" --argjson f "$FAILS" --argjson a "$(marks a)" --argjson b "$(marks b)" \
    ".hooks.$1 = [\$f, \$a, \$f, \$b]"
}

# assert_warned_and_ran KIND: one warning per failing hook, each naming it
# (in $stderr), and both hooks after a failure ran.
assert_warned_and_ran() {
  [[ "$stderr" == *"$1 hook #0 "*"/bin/false"*"exit status 1"* ]] || fail "no warning for #0 in: $stderr"
  [[ "$stderr" == *"$1 hook #2 "*"/bin/false"*"exit status 1"* ]] || fail "no warning for #2 in: $stderr"
  [ "$(cat "$TEST_DIR/a")" = ran ] && [ "$(cat "$TEST_DIR/b")" = ran ] || fail "a hook after a failing one did not run"
}

@test "a failing poststart hook fails start and stops the container; the hooks after it do not run" {
  # runtime.md "Lifecycle" step 9 (runtime-spec 1.3): generate an error, stop
  # the container, continue at step 12. runc 1.1 runs poststart hooks during
  # create and fails create instead.
  hull_only "runc 1.1 runs poststart hooks during create, not start"
  make_bundle "$BUNDLE" sleep 100
  with_failing_hooks poststart
  run_detached create --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 0 ]
  run --separate-stderr runtime start "$ID"
  [ "$status" -eq 1 ] || fail "start exited $status"
  [[ "$stderr" == *"poststart hook #0 "*"/bin/false"*"exit status 1"* ]] || fail "no error naming the hook: $stderr"
  [ ! -e "$TEST_DIR/a" ] || fail "a hook after the failing one ran"
  wait_status "$ID" stopped
  runtime delete "$ID"
  [ -z "$(ls "$TEST_ROOT")" ]
}

@test "a failing poststop hook is a warning: the hooks after it run and delete succeeds" {
  hull_only "runc 1.1 skips the poststop hooks after a failing one; runtime.md Lifecycle step 13 says warn and run the rest"
  make_bundle "$BUNDLE" true
  with_failing_hooks poststop
  run_detached run --detach --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 0 ]
  wait_status "$ID" stopped
  run --separate-stderr runtime delete "$ID"
  [ "$status" -eq 0 ]
  assert_warned_and_ran poststop
  [ -z "$(ls "$TEST_ROOT")" ]
}

@test "a failing createContainer hook still fails create, and the hooks after it do not run" {
  make_bundle "$BUNDLE" true
  update_config "$BUNDLE" --argjson f "$FAILS" --argjson a "$(marks a)" '.hooks.createContainer = [$f, $a]'
  run_detached create --bundle "$BUNDLE" "$ID"
  [ "$status" -ne 0 ]
  [ ! -e "$TEST_DIR/a" ]
  [ -z "$(ls "$TEST_ROOT")" ]
}

@test "the createContainer hook runs with the rootfs as its working directory, as runc's" {
  make_bundle "$BUNDLE" true
  # A relative path in a hook resolves inside the rootfs (before pivot_root).
  update_config "$BUNDLE" --arg out "$TEST_DIR/cwd" \
    '.hooks.createContainer = [{"path": "/bin/sh", "args": ["sh", "-c", "pwd > \($out); [ -x bin/busybox ] && echo relative >> \($out); true"]}]'
  # From a directory that is neither the rootfs nor the bundle.
  (cd "$TEST_DIR" && "$RUNTIME_BIN" --root "$TEST_ROOT" run --bundle "$BUNDLE" "$ID")
  run cat "$TEST_DIR/cwd"
  [ "${lines[0]}" = "$BUNDLE/rootfs" ]
  [ "${lines[1]}" = relative ]
}
