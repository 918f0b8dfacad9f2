#!/usr/bin/env bats
# Bad input in config.json: every case is refused before any side effect,
# with exit status 1 and an error that names what is wrong. `create` is the
# first command that reads config.json (parse, then validate, then act).

load helpers

setup() {
  hull_setup
  require_root "create"
  BUNDLE=$TEST_DIR/bundle
  # A good bundle to break (the first test shows it creates a container), so
  # each failure below comes from the one fault the test puts in.
  HULL=$HULL "$REPO/scripts/make-bundle.sh" "$BUNDLE" true >/dev/null
  ID=$PREFIX
}
teardown() { hull_teardown; }

# edit JQ-FILTER: rewrites the bundle's config.json.
edit() {
  jq "$@" "$BUNDLE/config.json" > "$BUNDLE/config.json.new" && mv "$BUNDLE/config.json.new" "$BUNDLE/config.json"
}

# names TEXT: stderr names TEXT (the JSON path, the file). Other runtimes'
# messages are their own: for them only the failure itself is checked.
names() {
  if is_hull; then assert_stderr_contains "$1"; fi
}

# create_to_files: as `run --separate-stderr rt create`, but through files: a
# container that gets created inherits create's stdio, and bats' pipe would
# stay open (and the test hang) as long as it lives.
create_to_files() {
  status=0
  rt create --bundle "$BUNDLE" "$ID" </dev/null >"$TEST_DIR/out" 2>"$TEST_DIR/err" || status=$?
  output=$(cat "$TEST_DIR/out")
  stderr=$(cat "$TEST_DIR/err")
}

# create_fails: runs create, expects exit 1, no container left, stdout empty.
create_fails() {
  create_to_files
  assert_status 1
  [ -z "$output" ] || { show_run; fail "stdout not empty"; }
  [ -z "$(ls -A "$TEST_ROOT")" ] || fail "state root not empty: $(ls -A "$TEST_ROOT")"
}

@test "bad config: the unbroken bundle creates a container (the baseline)" {
  create_to_files
  assert_status 0
  [ "$(rt state "$ID" | jq -r .status)" = created ] || fail "state: $(rt state "$ID")"
}

@test "bad config: truncated JSON names config.json" {
  head -c 100 "$BUNDLE/config.json" > "$TEST_DIR/cut" && mv "$TEST_DIR/cut" "$BUNDLE/config.json"
  create_fails
  names config.json
}

@test "bad config: empty file" {
  : > "$BUNDLE/config.json"
  create_fails
  names config.json
}

@test "bad config: garbage after the document" {
  hull_only "Go's json.Decoder reads the first document and ignores the rest"
  echo 'trailing' >> "$BUNDLE/config.json"
  create_fails
  names config.json
}

@test "bad config: not an object at the top" {
  echo '["ociVersion"]' > "$BUNDLE/config.json"
  create_fails
  names config.json
}

@test "bad config: config.json is a directory" {
  rm "$BUNDLE/config.json" && mkdir "$BUNDLE/config.json"
  create_fails
  names config.json
}

@test "bad config: missing config.json names the path" {
  rm "$BUNDLE/config.json"
  create_fails
  names "$BUNDLE/config.json"
}

@test "bad config: a wrong type names the JSON path" {
  edit '.linux.resources.memory = {"limit": "1G"}'
  create_fails
  names linux.resources.memory.limit
}

@test "bad config: a string where an array belongs names the path" {
  edit '.process.args = "sh"'
  create_fails
  names process.args
}

@test "bad config: uid above 2^32-1 is out of range" {
  edit '.process.user.uid = 4294967296'
  create_fails
  names process.user.uid
}

@test "bad config: negative uid is out of range" {
  edit '.process.user.uid = -1'
  create_fails
  names process.user.uid
}

@test "bad config: a fractional integer field" {
  edit '.process.user.gid = 1.5'
  create_fails
  names process.user.gid
}

@test "bad config: missing ociVersion" {
  hull_only "runc does not require ociVersion"
  edit 'del(.ociVersion)'
  create_fails
  names ociVersion
}

@test "bad config: relative process.cwd" {
  edit '.process.cwd = "relative/dir"'
  create_fails
  names process.cwd
}

@test "bad config: unknown namespace type" {
  edit '.linux.namespaces += [{"type": "bogus"}]'
  create_fails
  names bogus
}

@test "bad config: duplicate namespace type" {
  hull_only "runc accepts duplicates"
  edit '.linux.namespaces += [{"type": "pid"}]'
  create_fails
  names linux.namespaces
}

@test "bad config: user namespace without mappings" {
  hull_only "runc reports this later, after side effects"
  edit '.linux.namespaces += [{"type": "user"}] | del(.linux.uidMappings, .linux.gidMappings)'
  create_fails
  assert_stderr_matches 'mapping'
}

@test "bad config: unknown rlimit type" {
  edit '.process.rlimits = [{"type": "RLIMIT_BOGUS", "hard": 1, "soft": 1}]'
  create_fails
  names RLIMIT_BOGUS
}

@test "bad config: relative hook path" {
  hull_only "runc does not check hook paths before running them"
  edit '.hooks = {"createRuntime": [{"path": "relative/hook"}]}'
  create_fails
  names hooks.createRuntime
}

@test "bad config: a string that is not UTF-8" {
  hull_only "Go's decoder replaces bad UTF-8 with U+FFFD"
  printf '{"ociVersion":"1.0.0","hostname":"\xff\xfe","root":{"path":"rootfs"},"process":{"cwd":"/","args":["sh"],"user":{"uid":0,"gid":0}}}' > "$BUNDLE/config.json"
  create_fails
  assert_stderr_matches 'utf-?8'
}

@test "bad config: nesting 100,000 deep is refused without a crash" {
  {
    printf '{"ociVersion":"1.0.0","x":'
    head -c 100000 /dev/zero | tr '\0' '['
    head -c 100000 /dev/zero | tr '\0' ']'
    printf '}'
  } > "$BUNDLE/config.json"
  create_fails
  assert_stderr_matches 'nest|deep|depth'
}

@test "bad config: a 100 MB config.json is refused in bounded memory" {
  hull_only "runc reads the whole file"
  {
    printf '{"ociVersion":"1.0.0","annotations":{"x":"'
    head -c $((100 * 1024 * 1024)) /dev/zero | tr '\0' a
    printf '"}}'
  } > "$BUNDLE/config.json"
  status=0
  /usr/bin/time -f '%M' -o "$TEST_DIR/rss" "$RUNTIME_BIN" --root "$TEST_ROOT" create --bundle "$BUNDLE" "$ID" \
    </dev/null >"$TEST_DIR/out" 2>"$TEST_DIR/err" || status=$?
  output=$(cat "$TEST_DIR/out")
  stderr=$(cat "$TEST_DIR/err")
  assert_status 1
  assert_stderr_matches 'large|size|big|bytes|limit'
  local rss_kb
  rss_kb=$(tail -1 "$TEST_DIR/rss")
  [ "$rss_kb" -lt $((64 * 1024)) ] || fail "max RSS $rss_kb KiB for a refused 100 MB file"
  [ -z "$(ls -A "$TEST_ROOT")" ] || fail "state root not empty"
}

@test "bad config: the JSON error line names the problem too" {
  edit '.process.user.uid = "root"'
  status=0
  rt --log "$TEST_DIR/log" --log-format json create --bundle "$BUNDLE" "$ID" </dev/null >/dev/null 2>&1 || status=$?
  assert_status 1
  [ "$(wc -l < "$TEST_DIR/log")" -eq 1 ] || fail "log: $(cat "$TEST_DIR/log")"
  [[ "$(jq -r .msg "$TEST_DIR/log")" == *process.user.uid* ]] || fail "msg: $(jq -r .msg "$TEST_DIR/log")"
}
