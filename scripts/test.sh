#!/bin/bash
# Installs the test dependencies, builds hull and runs every test:
#   1. build with g++ (warnings are errors): the `hull` the bats suite runs,
#      and the doctest unit tests, counted case by case;
#   2. build with clang++ (warnings are errors) with ASan+UBSan and libFuzzer
#      instrumentation: a compile check, the unit tests again under the
#      sanitizers (one check), and the libFuzzer targets (tests/fuzz);
#   3. the bats integration suite (tests/integration) against the g++ `hull`,
#      then its lifecycle files (those that run real containers) against runc
#      from apt, to show the tests check real runtime behaviour (cases where
#      hull is deliberately different skip themselves with hull_only); among
#      them soak.bats, tests/bench/soak.sh at 100 containers with its leak
#      accounting (hull only, ~1 min), and races.bats (50 rounds against
#      hull, 20 against runc; ~1 min and ~0.5 min);
#   4. the cgroup tests (tests/integration/cgroups*.bats; exec.bats and lsm.bats's
#      AppArmor tests in the v2 mode) in the VM lane,
#      tests/vm/cgroup-suite.sh: one boot on plain cgroup v2, one with systemd
#      as PID 1 (this host is hybrid v1 without systemd), counted test by test;
#      when the lane cannot run here (no qemu, no room, no download) it says
#      so and both modes are recorded as skipped, never as passed. The lane
#      is another machine: it boots in the background once the g++ build is
#      done, runs beside the unit tests, 3, 2 and 5 (its TCG guest keeps about
#      one of two cores busy) and is collected, output and counts, at the end;
#   5. the fuzz targets (config.json, state.json, exec's process.json, seccomp
#      profiles), one after another, sharing HULL_TEST_FUZZ_SECONDS (one check
#      each).
# Every build and every temporary file lives in one scratch directory under
# /dev/shm, removed on exit. The last line is `N passed, N failed[, N skipped]`;
# the exit status is 1 when anything failed.
#
# Knobs: HULL_TEST_FUZZ_SECONDS (default 60, split between the fuzz targets;
#        0 skips the fuzz run),
#        HULL_TEST_SKIP_CLANG=1 (no clang build: no sanitizer run, no fuzzing),
#        HULL_TEST_SKIP_RUNC=1 (no lifecycle run against runc),
#        HULL_TEST_JOBS (default 2), RUNTIME (the runtime the bats suites test,
#        a path or a name on PATH; default: the hull just built),
#        HULL_TEST_VM=0 (skip the VM lane, recorded as skipped), and the lane's
#        own knobs: MODES="v2 systemd", VM_CACHE, VM_TIMEOUT (per boot, default
#        1200 s), BATS_TEST_TIMEOUT in the guest (default 300 s); see tests/vm.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
fuzz_seconds=${HULL_TEST_FUZZ_SECONDS:-60}
skip_clang=${HULL_TEST_SKIP_CLANG:-0}
skip_runc=${HULL_TEST_SKIP_RUNC:-0}
vm=${HULL_TEST_VM:-1}
jobs=${HULL_TEST_JOBS:-2}
# tests/fuzz: NAME-fuzz built from NAME_fuzz.cpp, seeded from corpus/NAME.
fuzz_targets=(config state process seccomp)

scratch=$(mktemp -d /dev/shm/hull-test.XXXXXX 2>/dev/null || mktemp -d /tmp/hull-test.XXXXXX)
# The VM lane's background job (start_vm) goes with us.
trap '[ -z "${vm_pid:-}" ] || kill -- "-$vm_pid" 2>/dev/null; rm -rf "$scratch"' EXIT
trap 'exit 130' INT TERM
gcc_dir=$scratch/build-gcc
clang_dir=$scratch/build-clang

passed=0 failed=0 skipped=0
report=()

# record RESULT NAME [COUNT]: adds COUNT (default 1) to the RESULT total
# (pass, fail or skip) and a line to the summary.
record() {
  local result=$1 name=$2 count=${3:-1}
  case "$result" in
    pass) passed=$((passed + count)) ;;
    fail) failed=$((failed + count)) ;;
    skip) skipped=$((skipped + count)) ;;
  esac
  report+=("$(printf '%-5s %4d  %s' "$result" "$count" "$name")")
}

# section TITLE: a heading, with the seconds since the run began (where CI's time goes).
section() {
  printf '\n=== %s (at %d s)\n' "$*" "$SECONDS"
}

# show_log FILE: the end of a failed step's log.
show_log() {
  echo "--- last lines of $(basename "$1"):"
  tail -n 60 "$1" 2>/dev/null || true
}

# build NAME DIR CXX MESON-ARGS...: configures DIR afresh and builds it.
build() {
  local name=$1 dir=$2 cxx=$3 log
  shift 3
  log=$scratch/$name.log
  section "build: $name"
  if CXX=$cxx meson setup --werror "$@" "$dir" "$repo" >"$log" 2>&1 &&
    ninja -C "$dir" -j "$jobs" >>"$log" 2>&1; then
    record pass "build: $name"
    echo "$(grep -c 'Compiling' "$log" || true) files compiled"
    return 0
  fi
  show_log "$log"
  record fail "build: $name"
  return 1
}

# run_unit EXE LABEL MODE: MODE "count" records each doctest case, "once"
# records the whole run as one check.
run_unit() {
  local exe=$1 label=$2 mode=$3 log=$scratch/unit-$2.log status=0 summary
  section "unit tests: $label"
  ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1} \
    UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
    timeout 900 "$exe" --no-colors >"$log" 2>&1 || status=$?
  # [doctest] test cases: 75 | 75 passed | 0 failed | 0 skipped
  summary=$(grep '^\[doctest\] test cases:' "$log" | tail -n 1 || true)
  echo "${summary:-no doctest summary line}"
  [ "$status" -eq 0 ] || show_log "$log"
  if [ "$mode" = once ]; then
    if [ "$status" -eq 0 ]; then record pass "unit tests: $label"; else record fail "unit tests: $label (exit $status)"; fi
    return 0
  fi
  if [ -z "$summary" ]; then
    record fail "unit tests: $label (exit $status, no summary: crashed?)"
    return 0
  fi
  local n_pass n_fail n_skip
  n_pass=$(sed -E 's/.*\| *([0-9]+) passed.*/\1/' <<<"$summary")
  n_fail=$(sed -E 's/.*\| *([0-9]+) failed.*/\1/' <<<"$summary")
  n_skip=$(sed -E 's/.*\| *([0-9]+) skipped.*/\1/' <<<"$summary")
  record pass "unit tests: $label" "$n_pass"
  [ "$n_fail" -eq 0 ] || record fail "unit tests: $label" "$n_fail"
  [ "$n_skip" -eq 0 ] || record skip "unit tests: $label" "$n_skip"
  # A leak or sanitizer report after the last case fails the run, not a case.
  if [ "$status" -ne 0 ] && [ "$n_fail" -eq 0 ]; then
    record fail "unit tests: $label exited $status with no failed case"
  fi
}

# run_bats LABEL HULL RUNTIME FILE...: bats over FILEs (or directories)
# with RUNTIME as the runtime under test, TAP parsed line by line.
run_bats() {
  local label=$1 hull=$2 runtime=$3 log=$scratch/bats-$1.tap status=0 plan n_ok n_notok n_skip
  shift 3
  section "integration tests (bats) against $runtime"
  # A test that hangs (a container holding bats' pipe, say) fails after
  # BATS_TEST_TIMEOUT seconds instead of stalling the whole suite.
  HULL=$hull RUNTIME=$runtime REPO=$repo BATS_TEST_TIMEOUT=${BATS_TEST_TIMEOUT:-300} \
    timeout 3600 bats --tap "$@" 2>&1 | tee "$log" || status=$?
  plan=$(sed -n 's/^1\.\.\([0-9]*\)$/\1/p' "$log" | head -n 1)
  n_skip=$(grep -Ec '^ok [0-9]+ .*# skip' "$log" || true)
  n_ok=$(($(grep -Ec '^ok [0-9]+' "$log" || true) - n_skip))
  n_notok=$(grep -Ec '^not ok [0-9]+' "$log" || true)
  record pass "$label" "$n_ok"
  [ "$n_notok" -eq 0 ] || record fail "$label" "$n_notok"
  [ "$n_skip" -eq 0 ] || record skip "$label" "$n_skip"
  if [ -z "$plan" ] || [ $((n_ok + n_notok + n_skip)) -ne "$plan" ]; then
    record fail "$label: ran $((n_ok + n_notok + n_skip)) of ${plan:-?} tests (exit $status)"
  elif [ "$status" -ne 0 ] && [ "$n_notok" -eq 0 ]; then
    record fail "$label: exit $status with no failed test"
  fi
}

# run_bats_runc HULL: the files that run real containers (they load
# lifecycle_setup), against runc. HULL is still needed: make-bundle.sh
# takes config.json from `hull spec`.
run_bats_runc() {
  local hull=$1 runc files
  if [ "$skip_runc" = 1 ]; then
    record skip "integration (bats) against runc (HULL_TEST_SKIP_RUNC=1)"
    return 0
  fi
  if ! runc=$(command -v runc); then
    record fail "integration (bats) against runc: runc is not installed"
    return 0
  fi
  mapfile -t files < <(grep -l '^load lifecycle_setup' "$repo"/tests/integration/*.bats)
  run_bats "integration (bats) against runc" "$hull" "$runc" "${files[@]}"
}

# start_vm HULL: boots the VM lane for the cgroup tests in the background, a
# boot per mode. It is another machine: it runs beside the host's own suites
# and builds (its TCG guest keeps about one core busy), and finish_vm
# collects it. Its output goes to a file, shown by finish_vm.
vm_pid="" vm_modes=${MODES:-v2 systemd} vm_log=$scratch/vm.log
start_vm() {
  local hull=$1
  if [ "$vm" = 0 ]; then
    return 0
  fi
  echo "(the VM lane boots in the background: its output follows at the end)"
  # mitigations=off: the guest is a throw-away test machine, and under TCG the
  # page-table switches of the kernel's mitigations cost ~7% of the lane.
  # setsid: a process group of its own, so that the exit trap stops QEMU too.
  VM_APPEND=${VM_APPEND:-mitigations=off} MODES=$vm_modes \
    setsid "$repo/tests/vm/cgroup-suite.sh" -o "$scratch/vm" "$hull" >"$vm_log" 2>&1 &
  vm_pid=$!
}

# finish_vm: waits for the VM lane, shows its output and records each mode's
# bats counts as its own.
finish_vm() {
  local out=$scratch/vm status=0 mode n_modes pass fail skip plan mstatus seconds why
  section "cgroup tests in a VM (tests/vm/cgroup-suite.sh): ${vm_modes}"
  n_modes=$(wc -w <<<"$vm_modes")
  if [ "$vm" = 0 ]; then
    echo "SKIPPED: HULL_TEST_VM=0"
    record skip "vm ($vm_modes): cgroup tests not run (HULL_TEST_VM=0)" "$n_modes"
    return 0
  fi
  # Not started: the g++ build failed, recorded there.
  [ -n "$vm_pid" ] || return 0
  wait "$vm_pid" || status=$?
  vm_pid=""
  cat "$vm_log"
  if [ "$status" -eq 77 ]; then
    echo "!!! SKIPPED: the VM lane cannot run on this host: $(cat "$out/skip-reason" 2>/dev/null)"
    echo "!!! cgroup v2 and the systemd driver are NOT tested by this run"
    record skip "vm ($vm_modes): NOT RUN, $(cat "$out/skip-reason" 2>/dev/null || echo 'see above')" "$n_modes"
    return 0
  fi
  for mode in $vm_modes; do
    if [ ! -f "$out/$mode.counts" ]; then
      record fail "vm $mode: did not run (cgroup-suite.sh exit $status)"
      continue
    fi
    # pass=N fail=N skip=N plan=N status=S seconds=T
    read -r pass fail skip plan mstatus seconds < <(sed 's/[a-z]*=//g' "$out/$mode.counts")
    record pass "vm $mode: cgroup tests (${seconds} s)" "$pass"
    [ "$fail" -eq 0 ] || record fail "vm $mode: cgroup tests" "$fail"
    [ "$skip" -eq 0 ] || record skip "vm $mode: cgroup tests" "$skip"
    case $mstatus in
      124) why="the VM timed out" ;;
      125) why="the VM failed" ;;
      *) why="exit $mstatus" ;;
    esac
    if [ "$plan" -eq 0 ] || [ $((pass + fail + skip)) -ne "$plan" ]; then
      record fail "vm $mode: ran $((pass + fail + skip)) of ${plan/#0/?} tests ($why)"
    elif [ "$mstatus" -ne 0 ] && [ "$fail" -eq 0 ]; then
      record fail "vm $mode: $why with no failed test"
    fi
  done
}

# run_fuzz NAME SECONDS: the fuzz target NAME-fuzz for SECONDS on a copy of
# its seed corpus (tests/fuzz/corpus/NAME).
run_fuzz() {
  local name=$1 seconds=$2 exe=$clang_dir/tests/fuzz/$1-fuzz log=$scratch/fuzz-$1.log status=0 crash
  local corpus=$scratch/corpus-$name artifacts=$scratch/artifacts-$name/
  section "fuzz: $name-fuzz for ${seconds}s"
  mkdir -p "$corpus" "$artifacts"
  cp "$repo/tests/fuzz/corpus/$name"/* "$corpus/"
  # lsan.supp: a leak inside libseccomp's own error path (see the file). It
  # names a libseccomp function, which only the slow unwinder sees (the
  # library has no frame pointers).
  ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:fast_unwind_on_malloc=0} UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
    LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$repo/tests/fuzz/lsan.supp:print_suppressions=0} \
    timeout $((seconds + 120)) "$exe" -max_total_time="$seconds" -rss_limit_mb=2048 \
    -timeout=10 -print_final_stats=1 -artifact_prefix="$artifacts" "$corpus" \
    >"$log" 2>&1 || status=$?
  grep -E '^(Done|stat::number_of_executed_units|stat::peak_rss_mb)' "$log" || true
  if [ "$status" -eq 0 ]; then
    record pass "fuzz: $name-fuzz ${seconds}s"
    return 0
  fi
  show_log "$log"
  for crash in "$artifacts"*; do
    [ -f "$crash" ] || continue
    echo "--- $(basename "$crash") (base64; reproduce with: base64 -d > input && $name-fuzz input):"
    head -c 65536 "$crash" | base64
  done
  record fail "fuzz: $name-fuzz (exit $status)"
}

# run_fuzz_all MODE: every fuzz target, one after another, HULL_TEST_FUZZ_SECONDS
# shared between them (at least a second each). MODE "built": the clang build
# made them; "each": it failed, so each target is built alone first (they
# need only the libraries they link).
run_fuzz_all() {
  local mode=$1 name seconds
  if [ "$fuzz_seconds" -le 0 ]; then
    record skip "fuzz (HULL_TEST_FUZZ_SECONDS=0)" "${#fuzz_targets[@]}"
    return 0
  fi
  seconds=$((fuzz_seconds / ${#fuzz_targets[@]}))
  [ "$seconds" -ge 1 ] || seconds=1
  for name in "${fuzz_targets[@]}"; do
    if [ "$mode" = each ] && ! { [ -f "$clang_dir/build.ninja" ] &&
      ninja -C "$clang_dir" -j "$jobs" "tests/fuzz/$name-fuzz" >"$scratch/fuzz-build-$name.log" 2>&1; }; then
      show_log "$scratch/fuzz-build-$name.log"
      record fail "fuzz: $name-fuzz does not build"
      continue
    fi
    run_fuzz "$name" "$seconds"
  done
}

section "dependencies"
if ! "$repo/scripts/install-deps.sh" test; then
  record fail "install-deps.sh test"
fi

if build g++ "$gcc_dir" g++; then
  start_vm "$gcc_dir/src/hull"
  run_unit "$gcc_dir/tests/unit-tests" g++ count
  run_bats "integration (bats)" "$gcc_dir/src/hull" "${RUNTIME:-$gcc_dir/src/hull}" "$repo/tests/integration"
  run_bats_runc "$gcc_dir/src/hull"
else
  record fail "unit tests, integration tests and the VM lane: not run (g++ build failed)"
fi

if [ "$skip_clang" = 1 ]; then
  record skip "clang build, sanitizer unit run and fuzzing (HULL_TEST_SKIP_CLANG=1)" $((2 + ${#fuzz_targets[@]}))
elif build clang++ "$clang_dir" clang++ -Dfuzz=true -Db_sanitize=address,undefined \
  -Dcpp_args=-fsanitize=fuzzer-no-link -Dcpp_link_args=-fsanitize=fuzzer-no-link; then
  run_unit "$clang_dir/tests/unit-tests" clang-asan-ubsan once
  run_fuzz_all built
else
  record fail "unit tests: clang-asan-ubsan (not run: clang build failed)"
  # The fuzz targets need only the libraries they link: fuzz those that
  # build even when another part of the tree does not build with clang.
  run_fuzz_all each
fi

finish_vm

section "summary: $SECONDS s in all"
printf '%s\n' "${report[@]}"
if [ "$skipped" -gt 0 ]; then
  echo "$passed passed, $failed failed, $skipped skipped"
else
  echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
