#!/usr/bin/env bats
# --version / -v: the three lines dockerd and podman parse.

load helpers

setup() { hull_setup; }
teardown() { hull_teardown; }

check_version_text() {
  assert_status 0
  local -a lines
  mapfile -t lines <<<"$output"
  [[ "${lines[0]}" =~ ^$RUNTIME_NAME\ version\ [0-9]+\.[0-9]+\.[0-9]+ ]] || fail "line 1: ${lines[0]}"
  [[ "${lines[1]}" =~ ^commit:\ [^[:space:]]+$ ]] || fail "line 2: ${lines[1]}"
  [[ "${lines[2]}" =~ ^spec:\ [0-9]+\.[0-9]+\.[0-9]+ ]] || fail "line 3: ${lines[2]}"
}

@test "--version prints name version, commit and spec lines" {
  run rt_bare --version
  check_version_text
}

@test "-v prints the same text as --version" {
  run rt_bare --version
  local long=$output
  run rt_bare -v
  check_version_text
  [ "$output" = "$long" ] || fail "-v and --version differ"
}

@test "--version prints exactly three lines with spec 1.3.0 and hull's meson version" {
  hull_only "runc adds go and libseccomp lines"
  run --separate-stderr rt_bare --version
  assert_status 0
  [ "${#lines[@]}" -eq 3 ] || fail "expected 3 lines, got ${#lines[@]}: $output"
  [ "${lines[2]}" = "spec: 1.3.0" ] || fail "line 3: ${lines[2]}"
  local version
  version=$(sed -n "s/^ *version: *'\([^']*\)'.*/\1/p" "$REPO/meson.build" | head -1)
  [ "${lines[0]}" = "hull version $version" ] || fail "line 1: ${lines[0]}, meson.build says $version"
  [ -z "$stderr" ] || fail "stderr not empty: $stderr"
}

@test "--version works with global flags before it" {
  run rt --log "$TEST_DIR/log" --version
  check_version_text
}
