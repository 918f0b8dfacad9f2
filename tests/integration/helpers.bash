# Common setup for every bats file: `load helpers`, then
#   setup() { hull_setup; }   teardown() { hull_teardown; }
#
# HULL     the hull binary (default: $REPO/build/src/hull)
# RUNTIME  the runtime under test, a path or a name on PATH (default: $HULL);
#          RUNTIME=runc runs the suite against runc, to show the tests check
#          real runtime behaviour. `hull_only REASON` skips a case that pins
#          hull's own behaviour where runc differs on purpose.
#
# Each test gets its own directory under /dev/shm (TEST_DIR), its own state
# root (TEST_ROOT, passed as --root so nothing touches /run/hull) and a unique
# name prefix (PREFIX) for container ids and anything else it creates. All of
# it is removed in teardown, also when the test fails.

# shellcheck disable=SC2154  # status, output, stderr, lines come from bats' run
bats_require_minimum_version 1.5.0  # run --separate-stderr

REPO=${REPO:-$(cd "$BATS_TEST_DIRNAME/../.." && pwd)}
HULL=${HULL:-$REPO/build/src/hull}
RUNTIME=${RUNTIME:-$HULL}
RUNTIME_BIN=$(command -v "$RUNTIME" || echo "$RUNTIME")
RUNTIME_NAME=$(basename "$RUNTIME_BIN")
SCHEMAS=$REPO/tests/schemas
VALIDATE_JSON=$REPO/tests/tools/validate-json

hull_setup() {
  [ -x "$RUNTIME_BIN" ] || fail "runtime under test not found: $RUNTIME_BIN (build hull or set HULL/RUNTIME)"
  PREFIX=hulltest-$$-$RANDOM
  TEST_DIR=$(mktemp -d "/dev/shm/$PREFIX.XXXXXX")
  TEST_ROOT=$TEST_DIR/root
  mkdir -p "$TEST_ROOT"
}

hull_teardown() {
  [ -n "${TEST_DIR:-}" ] || return 0
  local dir
  # Whatever a test left in its state root (a container from a bad-input
  # test that wrongly succeeded, say) is force-deleted before the directory goes.
  for dir in "$TEST_ROOT"/*/; do
    [ -d "$dir" ] || continue
    "$RUNTIME_BIN" --root "$TEST_ROOT" delete --force "$(basename "$dir")" >/dev/null 2>&1 || true
  done
  rm -rf "$TEST_DIR"
}

# rt ARGS...: the runtime under test with the test's own state root.
rt() {
  "$RUNTIME_BIN" --root "$TEST_ROOT" "$@"
}

# rt_bare ARGS...: the runtime under test exactly as given (to test global flags).
rt_bare() {
  "$RUNTIME_BIN" "$@"
}

is_hull() {
  [ "$RUNTIME_NAME" = hull ]
}

hull_only() {
  is_hull || skip "pins hull's own behaviour, $RUNTIME_NAME differs: $1"
}

require_root() {
  [ "$(id -u)" = 0 ] || skip "needs root: $1"
}

fail() {
  echo "FAIL: $*" >&2
  return 1
}

# Assertions on bats' $status, $output and (with run --separate-stderr) $stderr.
# Each prints what it saw when it fails.
show_run() {
  echo "status: $status" >&2
  echo "output: ${output:-}" >&2
  echo "stderr: ${stderr:-}" >&2
}

assert_status() {
  [ "$status" -eq "$1" ] || { show_run; fail "expected exit status $1, got $status"; }
}

assert_failure() {
  [ "$status" -ne 0 ] || { show_run; fail "expected a failure, got exit status 0"; }
}

assert_output_contains() {
  [[ "$output" == *"$1"* ]] || { show_run; fail "stdout does not contain '$1'"; }
}

assert_stderr_contains() {
  [[ "${stderr:-}" == *"$1"* ]] || { show_run; fail "stderr does not contain '$1'"; }
}

# assert_stderr_matches ERE: case-insensitive extended regular expression.
assert_stderr_matches() {
  grep -Eqi -- "$1" <<<"${stderr:-}" || { show_run; fail "stderr does not match /$1/i"; }
}

# assert_json_eq FILE JQ-EXPR EXPECTED-JSON: compares as JSON values.
assert_json_eq() {
  local got
  got=$(jq -c "$2" "$1") || fail "jq '$2' failed on $1"
  [ "$(jq -cn "$got == $3")" = true ] || fail "$1: $2 is $got, expected $3"
}

# assert_valid SCHEMA-FILE DOC: validates DOC against tests/schemas/SCHEMA-FILE.
assert_valid() {
  local out
  out=$("$VALIDATE_JSON" "$SCHEMAS/$1" "$2" 2>&1) || fail "$2 is not valid against $1:"$'\n'"$out"
}
