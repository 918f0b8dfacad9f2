#!/usr/bin/env bats
# spec: runc's default config.json (and --rootless), never replacing one.

load helpers

setup() {
  hull_setup
  RUNC=$(command -v runc || true)
  mkdir "$TEST_DIR/bundle"
  cd "$TEST_DIR/bundle" || return
}
teardown() { hull_teardown; }

# runc_spec DIR [--rootless]: runc's own default config.json in DIR, to compare with.
runc_spec() {
  [ -n "$RUNC" ] || skip "runc is not installed: nothing to compare with"
  mkdir -p "$1"
  "$RUNC" spec --bundle "$1" "${@:2}"
}

# key_paths FILE: every key path in the document, array indices dropped, sorted.
key_paths() {
  jq -c '[paths | map(select(type == "string")) | join(".")] | unique' "$1"
}

@test "spec writes config.json in the current directory" {
  run --separate-stderr rt spec
  assert_status 0
  [ -f config.json ] || fail "no config.json"
  jq -e . config.json >/dev/null || fail "config.json is not JSON"
  [ -z "$output" ] || fail "spec printed to stdout: $output"
}

@test "spec --bundle DIR writes DIR/config.json and nothing in the cwd" {
  mkdir "$TEST_DIR/other"
  run rt spec --bundle "$TEST_DIR/other"
  assert_status 0
  [ -f "$TEST_DIR/other/config.json" ] || fail "no config.json in the bundle"
  [ ! -e config.json ] || fail "config.json also written in the cwd"
}

@test "spec -b DIR and --bundle=DIR are --bundle" {
  mkdir "$TEST_DIR/b1" "$TEST_DIR/b2"
  rt spec -b "$TEST_DIR/b1"
  rt spec --bundle="$TEST_DIR/b2"
  [ -f "$TEST_DIR/b1/config.json" ] && [ -f "$TEST_DIR/b2/config.json" ]
}

@test "spec output is valid against config-schema.json" {
  rt spec
  assert_valid config-schema.json config.json
}

@test "spec --rootless output is valid against config-schema.json" {
  rt spec --rootless
  assert_valid config-schema.json config.json
}

@test "spec runs sh on a terminal as root in / with runc's default environment" {
  rt spec
  assert_json_eq config.json .process.args '["sh"]'
  assert_json_eq config.json .process.terminal true
  assert_json_eq config.json .process.user '{"uid":0,"gid":0}'
  assert_json_eq config.json .process.cwd '"/"'
  assert_json_eq config.json .root '{"path":"rootfs","readonly":true}'
  assert_json_eq config.json '.process.env | map(select(startswith("PATH="))) | length' 1
  assert_json_eq config.json .process.noNewPrivileges true
  assert_json_eq config.json '.hostname | type == "string" and length > 0' true
}

@test "spec has the default mounts" {
  rt spec
  local dest
  for dest in /proc /dev /dev/pts /dev/shm /dev/mqueue /sys; do
    jq -e --arg d "$dest" 'any(.mounts[]; .destination == $d)' config.json >/dev/null ||
      fail "no mount on $dest"
  done
  assert_json_eq config.json '.mounts[] | select(.destination == "/proc") | .type' '"proc"'
  assert_json_eq config.json '.mounts[] | select(.destination == "/sys") | .options | index("ro") != null' true
}

@test "spec masks and write-protects the usual /proc and /sys paths" {
  rt spec
  local p
  for p in /proc/kcore /proc/keys /proc/timer_list /sys/firmware; do
    jq -e --arg p "$p" '.linux.maskedPaths | index($p)' config.json >/dev/null || fail "$p not masked"
  done
  for p in /proc/bus /proc/fs /proc/irq /proc/sys /proc/sysrq-trigger; do
    jq -e --arg p "$p" '.linux.readonlyPaths | index($p)' config.json >/dev/null || fail "$p not read-only"
  done
}

@test "spec grants runc's default capabilities in every set it fills" {
  rt spec
  local caps='["CAP_AUDIT_WRITE","CAP_KILL","CAP_NET_BIND_SERVICE"]'
  assert_json_eq config.json '.process.capabilities.bounding | sort' "$caps"
  assert_json_eq config.json '.process.capabilities.effective | sort' "$caps"
  assert_json_eq config.json '.process.capabilities.permitted | sort' "$caps"
  assert_json_eq config.json '[.process.capabilities[]] | flatten | unique' "$caps"
}

@test "spec has pid network ipc uts mount namespaces and no user namespace" {
  rt spec
  assert_json_eq config.json '[.linux.namespaces[].type] | sort' '["ipc","mount","network","pid","uts"]'
  assert_json_eq config.json '.linux.uidMappings // [] | length' 0
}

@test "spec has the same structure and values as runc spec (but ociVersion and hostname)" {
  rt spec
  runc_spec "$TEST_DIR/runc"
  [ "$(key_paths config.json)" = "$(key_paths "$TEST_DIR/runc/config.json")" ] ||
    fail "key paths differ:"$'\n'"$(diff <(key_paths config.json | jq -r '.[]') <(key_paths "$TEST_DIR/runc/config.json" | jq -r '.[]'))"
  local f
  for f in .process .root .mounts .linux.namespaces .linux.resources .linux.readonlyPaths; do
    [ "$(jq -S "$f" config.json)" = "$(jq -S "$f" "$TEST_DIR/runc/config.json")" ] ||
      fail "$f differs from runc's:"$'\n'"$(diff <(jq -S "$f" config.json) <(jq -S "$f" "$TEST_DIR/runc/config.json"))"
  done
  # Newer runc masks more paths (/sys/devices/virtual/powercap): a superset is fine.
  assert_json_eq config.json ".linux.maskedPaths | contains($(jq -c .linux.maskedPaths "$TEST_DIR/runc/config.json"))" true
}

@test "spec --rootless adds a user namespace with the caller's id mapped to root" {
  rt spec --rootless
  assert_json_eq config.json '[.linux.namespaces[].type] | index("user") != null' true
  assert_json_eq config.json '[.linux.namespaces[].type] | index("network")' null
  assert_json_eq config.json .linux.uidMappings "[{\"containerID\":0,\"hostID\":$(id -u),\"size\":1}]"
  assert_json_eq config.json .linux.gidMappings "[{\"containerID\":0,\"hostID\":$(id -g),\"size\":1}]"
  # Without a network namespace sysfs cannot be mounted: runc bind-mounts the host's.
  assert_json_eq config.json '.mounts[] | select(.destination == "/sys") | .type' '"none"'
}

@test "spec --rootless has the same structure and values as runc spec --rootless" {
  rt spec --rootless
  runc_spec "$TEST_DIR/runc" --rootless
  [ "$(key_paths config.json)" = "$(key_paths "$TEST_DIR/runc/config.json")" ] ||
    fail "key paths differ:"$'\n'"$(diff <(key_paths config.json | jq -r '.[]') <(key_paths "$TEST_DIR/runc/config.json" | jq -r '.[]'))"
  local f
  for f in .process .mounts .linux.namespaces .linux.uidMappings .linux.gidMappings .linux.resources; do
    [ "$(jq -S "$f" config.json)" = "$(jq -S "$f" "$TEST_DIR/runc/config.json")" ] ||
      fail "$f differs from runc's:"$'\n'"$(diff <(jq -S "$f" config.json) <(jq -S "$f" "$TEST_DIR/runc/config.json"))"
  done
}

@test "spec refuses to overwrite an existing config.json and leaves it unchanged" {
  echo '{"mine": true}' > config.json
  run --separate-stderr rt spec
  assert_status 1
  assert_stderr_contains config.json
  assert_stderr_matches 'exist'
  [ "$(cat config.json)" = '{"mine": true}' ] || fail "config.json was changed"
}

@test "spec refuses to replace a config.json symlink, even a dangling one" {
  hull_only "runc writes through the symlink"
  ln -s "$TEST_DIR/elsewhere.json" config.json
  run rt spec
  assert_status 1
  [ ! -e "$TEST_DIR/elsewhere.json" ] || fail "spec wrote through the symlink"
}

@test "spec --bundle into a missing directory fails naming it" {
  run --separate-stderr rt spec --bundle "$TEST_DIR/missing"
  assert_status 1
  assert_stderr_contains "$TEST_DIR/missing"
  [ ! -e "$TEST_DIR/missing" ] || fail "spec created the bundle directory"
}
