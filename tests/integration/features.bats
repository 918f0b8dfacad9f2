#!/usr/bin/env bats
# features: the runtime-spec features document, truthful about this build.

load helpers

setup() {
  hull_setup
  rt features > "$TEST_DIR/features.json"
  F=$TEST_DIR/features.json
}
teardown() { hull_teardown; }

@test "features prints JSON valid against features-schema.json" {
  assert_valid features-schema.json "$F"
}

@test "features exits 0 and prints nothing on stderr" {
  run --separate-stderr rt features
  assert_status 0
  [ -z "$stderr" ] || fail "stderr: $stderr"
}

@test "features names the supported runtime-spec versions" {
  assert_json_eq "$F" .ociVersionMin '"1.0.0"'
  jq -e '.ociVersionMax | test("^1\\.[0-9]+\\.[0-9]+")' "$F" >/dev/null || fail "ociVersionMax: $(jq .ociVersionMax "$F")"
}

@test "features ociVersionMax is the spec version --version prints" {
  local spec_line
  spec_line=$(rt_bare --version | sed -n 's/^spec: //p')
  assert_json_eq "$F" .ociVersionMax "\"$spec_line\""
}

@test "features lists all six hook kinds" {
  assert_json_eq "$F" '.hooks | sort' \
    '["createContainer","createRuntime","poststart","poststop","prestart","startContainer"]'
}

@test "features lists the mount options runc knows" {
  local opt
  for opt in ro rw bind rbind nosuid nodev noexec relatime strictatime private rprivate shared rslave remount; do
    jq -e --arg o "$opt" '.mountOptions | index($o)' "$F" >/dev/null || fail "mount option $opt missing"
  done
  assert_json_eq "$F" '.mountOptions | length == (unique | length)' true
}

@test "features lists the namespaces of this kernel" {
  local ns
  for ns in cgroup ipc mount network pid user uts; do
    jq -e --arg n "$ns" '.linux.namespaces | index($n)' "$F" >/dev/null || fail "namespace $ns missing"
  done
  # runtime-spec 1.2 added the time namespace (runc 1.1 predates it).
  if is_hull && [ -e /proc/self/ns/time ]; then
    assert_json_eq "$F" '.linux.namespaces | index("time") != null' true
  fi
}

@test "features lists every capability the kernel has, by libcap's names" {
  local last mask names cap missing=""
  last=$(cat /proc/sys/kernel/cap_last_cap)
  mask=$(printf '0x%x' $(((1 << (last + 1)) - 1)))
  # capsh --decode: "0x...=cap_chown,cap_dac_override,..."
  names=$(capsh --decode="$mask" | sed 's/^[^=]*=//' | tr ',' ' ' | tr '[:lower:]' '[:upper:]')
  for cap in $names; do
    jq -e --arg c "$cap" '.linux.capabilities | index($c)' "$F" >/dev/null || missing="$missing $cap"
  done
  [ -z "$missing" ] || fail "capabilities missing:$missing"
  assert_json_eq "$F" '.linux.capabilities | all(test("^CAP_[A-Z_]+$"))' true
  assert_json_eq "$F" '.linux.capabilities | length == (unique | length)' true
}

@test "features says which cgroup drivers exist" {
  local key
  for key in v1 v2 systemd systemdUser; do
    jq -e --arg k "$key" '.linux.cgroup[$k] | type == "boolean"' "$F" >/dev/null || fail "linux.cgroup.$key is not a boolean"
  done
  # hull drives cgroupfs v1 (and hybrid) and v2 itself.
  assert_json_eq "$F" '.linux.cgroup.v1' true
  assert_json_eq "$F" '.linux.cgroup.v2' true
}

@test "features lists seccomp actions, operators and this machine's arch" {
  jq -e '.linux.seccomp.enabled | type == "boolean"' "$F" >/dev/null || fail "linux.seccomp.enabled is not a boolean"
  # The lists say what the linked libseccomp (and the kernel) can do.
  jq -e '.linux.seccomp.actions' "$F" >/dev/null || skip "no linux.seccomp.actions: built without libseccomp"
  local a
  for a in SCMP_ACT_ALLOW SCMP_ACT_ERRNO SCMP_ACT_KILL SCMP_ACT_KILL_PROCESS SCMP_ACT_TRAP SCMP_ACT_TRACE SCMP_ACT_LOG; do
    jq -e --arg a "$a" '.linux.seccomp.actions | index($a)' "$F" >/dev/null || fail "action $a missing"
  done
  assert_json_eq "$F" '.linux.seccomp.operators | sort' \
    '["SCMP_CMP_EQ","SCMP_CMP_GE","SCMP_CMP_GT","SCMP_CMP_LE","SCMP_CMP_LT","SCMP_CMP_MASKED_EQ","SCMP_CMP_NE"]'
  local arch
  case "$(uname -m)" in
    x86_64) arch=SCMP_ARCH_X86_64 ;;
    aarch64) arch=SCMP_ARCH_AARCH64 ;;
    *) arch=SCMP_ARCH_$(uname -m | tr '[:lower:]' '[:upper:]') ;;
  esac
  jq -e --arg a "$arch" '.linux.seccomp.archs | index($a)' "$F" >/dev/null || fail "arch $arch missing"
  assert_json_eq "$F" '.linux.seccomp.archs | all(startswith("SCMP_ARCH_"))' true
}

@test "features states apparmor, selinux, intelRdt and idmapped mounts" {
  local path paths=".linux.apparmor.enabled .linux.selinux.enabled"
  # runtime-spec 1.1 added these (runc 1.1 predates them).
  is_hull && paths="$paths .linux.intelRdt.enabled .linux.mountExtensions.idmap.enabled"
  for path in $paths; do
    jq -e "$path | type == \"boolean\"" "$F" >/dev/null || fail "$path is not a boolean"
  done
}

@test "features output does not depend on --root" {
  run rt_bare --root "$TEST_DIR/newroot" features
  assert_status 0
  [ "$output" = "$(cat "$F")" ] || fail "output differs with another --root"
}

@test "features says this build applies AppArmor and SELinux, as runc does, whatever the host runs" {
  # features-linux.md: "irrelevant to the availability of AppArmor on the host".
  assert_json_eq "$F" '[.linux.apparmor.enabled, .linux.selinux.enabled]' '[true, true]'
}
