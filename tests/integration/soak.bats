#!/usr/bin/env bats
# The soak's CI size (tests/bench/soak.sh, which prints the table): 100
# containers created, started, exec'd into, paused/resumed, killed and
# deleted, 8 at a time, then nothing may be left on the host: mounts, cgroup
# directories in any hierarchy, the caller's fds, state directories,
# zombies, live inits, session keyrings, seccomp cache files beyond the cap.
# HULL_SOAK_N sets the count (the full run is `tests/bench/soak.sh`, 1,000).
# The script makes its own state root, ids and directories under /dev/shm
# and removes them on any exit.

bats_require_minimum_version 1.5.0
load helpers

SOAK=$REPO/tests/bench/soak.sh

setup() {
  require_root "real containers"
}

@test "soak: ${HULL_SOAK_N:-100} containers through their whole life leave nothing behind" {
  run timeout 600 env RUNTIME="$RUNTIME_BIN" HULL="$HULL" "$SOAK" "${HULL_SOAK_N:-100}"
  # The table, shown when the test fails.
  echo "$output"
  assert_status 0
  assert_output_contains "soak: OK, nothing left behind"
}

@test "soak: the accounting counts each kind of leftover it is shown" {
  # One of each left on purpose after two cycles: every row must see it,
  # or a broken count would pass the test above whatever the runtime leaks.
  run timeout 300 env SOAK_INJECT_LEAKS=1 RUNTIME="$RUNTIME_BIN" HULL="$HULL" "$SOAK" 2
  echo "$output"
  assert_status 1
  local rows
  rows=$(grep -E '^[a-z].* \| +[0-9-]+ \| +[0-9-]+ \| +[0-9]+' <<<"$output" | grep -v '^failed commands')
  [ "$(wc -l <<<"$rows")" -eq 9 ] || fail "expected 9 leftover rows, got: $rows"
  while IFS='|' read -r label _ _ leftover; do
    read -r leftover _ <<<"$leftover"
    [ "$leftover" -ge 1 ] || fail "row '$label' counted no leftover"
  done <<<"$rows"
  grep -E '^failed commands of a cycle .*\| +0$' <<<"$output" || fail "the cycles themselves failed"
}
