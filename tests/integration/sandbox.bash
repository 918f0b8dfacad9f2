# in_sandbox SCRIPT: runs SCRIPT (bash) as bats' `run` would, inside
#   unshare --pid --fork --mount-proc --mount --propagation private --uts --ipc --net
# for configs that could act on the caller's namespaces (no mount
# namespace, a rootfs that tries to redirect proc, --no-pivot): a runtime
# that gets it wrong changes the sandbox, never the machine running the
# tests. SCRIPT sees RUNTIME_BIN, TEST_ROOT, TEST_DIR, BUNDLE and ID, and
# `rt ARGS...` (the runtime with the test's state root). Whatever it leaves
# is force-deleted inside the sandbox, where its pids mean something; then
# the sandbox's / is checked: the last line of $output is
# "sandbox: / intact" or "sandbox: / CHANGED ..." (assert_sandbox_intact).
# The mount table's size before and after is in SANDBOX_MOUNTS_BEFORE/AFTER.
in_sandbox() {
  local root_id
  root_id=$(stat -c %d:%i /)
  # shellcheck disable=SC2016  # expanded by the sandbox's bash
  local prologue='
    set -u
    rt() { "$RUNTIME_BIN" --root "$TEST_ROOT" "$@"; }
    mounts() { local n=0 l; while read -r l; do n=$((n + 1)); done </proc/self/mountinfo; echo "$n"; }
    finish() {
      local status=$? id
      for id in $(ls "$TEST_ROOT" 2>/dev/null); do rt delete --force "$id" >/dev/null 2>&1; done
      echo "sandbox-mounts: $before $(mounts)"
      if [ -d "$TEST_DIR" ] && [ "$(stat -c %d:%i /)" = "$SANDBOX_ROOT_ID" ]; then
        echo "sandbox: / intact"
      else
        echo "sandbox: / CHANGED (now: $(ls / | tr "\n" " "))"
      fi
      exit "$status"
    }
    before=$(mounts)
    trap finish EXIT
  '
  run env RUNTIME_BIN="$RUNTIME_BIN" TEST_ROOT="$TEST_ROOT" TEST_DIR="$TEST_DIR" BUNDLE="${BUNDLE:-}" \
    ID="$ID" SANDBOX_ROOT_ID="$root_id" \
    unshare --pid --fork --mount-proc --mount --propagation private --uts --ipc --net \
    bash -c "$prologue"$'\n'"$1"
  local counts
  counts=$(sed -n 's/^sandbox-mounts: //p' <<<"$output" | tail -n 1)
  SANDBOX_MOUNTS_BEFORE=${counts%% *}
  SANDBOX_MOUNTS_AFTER=${counts##* }
}

assert_sandbox_intact() {
  [[ "${lines[-1]:-}" == "sandbox: / intact" ]] || { show_sandbox; fail "the sandbox's / was changed"; }
}

# assert_sandbox_mounts_unchanged: the runtime left no mount in the
# caller's namespace (the sandbox's).
assert_sandbox_mounts_unchanged() {
  [ -n "$SANDBOX_MOUNTS_BEFORE" ] && [ "$SANDBOX_MOUNTS_BEFORE" = "$SANDBOX_MOUNTS_AFTER" ] ||
    { show_sandbox; fail "the caller's mount table went from $SANDBOX_MOUNTS_BEFORE to $SANDBOX_MOUNTS_AFTER mounts"; }
}

show_sandbox() {
  echo "status: $status" >&2
  echo "output: $output" >&2
}

# no_cgroups_named NAME: no cgroup directory called NAME in any hierarchy.
no_cgroups_named() {
  local left
  left=$(find /sys/fs/cgroup -mindepth 1 -maxdepth 4 -type d -name "$1" 2>/dev/null)
  [ -z "$left" ] || { echo "cgroups left: $left" >&2; return 1; }
}
