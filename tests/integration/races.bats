#!/usr/bin/env bats
# Races between commands from separate processes: parallel creates,
# operations racing on one id, delete --force racing the container's own
# exit, and a pid reused once the container's init died. Every command runs
# under `timeout` (HULL_RACE_TIMEOUT seconds, default 20): one that has to
# be killed is a deadlock and fails the test. state.json must parse as JSON
# whenever it is read, and every answer must agree with the state the
# container ends in.
#
# HULL_RACE_REPEAT (default 50, the CI size, 20 against another runtime;
# 200 for the full run) sets how many times the racing operations and the
# exit races are repeated.

bats_require_minimum_version 1.5.0
load helpers
load lifecycle_setup

# Against runc (scripts/test.sh runs the lifecycle files against it too),
# fewer rounds show the checks hold for another runtime.
if is_hull; then REPEAT=${HULL_RACE_REPEAT:-50}; else REPEAT=${HULL_RACE_REPEAT:-20}; fi
OP_TIMEOUT=${HULL_RACE_TIMEOUT:-20}

setup() {
  lifecycle_setup
  ERRORS=$TEST_DIR/errors
  : > "$ERRORS"
}
teardown() {
  lifecycle_teardown
  # What a runtime lost track of (runc 1.1 lets two creates of one id both
  # succeed, and the second init is in no state directory): the processes
  # in cgroups named after this test's ids are this test's.
  remove_cgroups_named "$ID"
  remove_cgroups_named "$ID-*"
}

# bounded ARGS...: the runtime under test with the test's root, killed
# after OP_TIMEOUT seconds (exit 124, or 137 if it had to be SIGKILLed).
bounded() {
  timeout -k 5 "$OP_TIMEOUT" "$RUNTIME_BIN" --root "$TEST_ROOT" "$@"
}

# problem TEXT: records a failed check; the test fails at its end with all of them.
problem() {
  echo "$*" >> "$ERRORS"
}

# report_problems: fails, showing every recorded problem, if there is one.
report_problems() {
  [ -s "$ERRORS" ] || return 0
  head -n 60 "$ERRORS" >&2
  fail "$(wc -l < "$ERRORS") problem(s), listed above"
}

# crashed RC STDERR-FILE: the command died of a signal, was killed by
# timeout, or said it crashed (a C++ exception escaping, a Go panic).
crashed() {
  [ "$1" -ge 124 ] && [ "$1" -ne 255 ] && return 0
  grep -Eqi 'terminate called|segmentation fault|core dumped|panic:|assertion' "$2"
}

# cgroup_dirs_named NAME: the cgroup directories called NAME, in every hierarchy.
cgroup_dirs_named() {
  find /sys/fs/cgroup -mindepth 2 -type d -name "$1" 2>/dev/null || true
}

# check_state_json ID WHERE: state.json, if the runtime has one for ID
# (hull and runc both keep ROOT/ID/state.json), parses as JSON.
check_state_json() {
  local text
  text=$(cat "$TEST_ROOT/$1/state.json" 2>/dev/null) || return 0
  jq -e . >/dev/null 2>&1 <<<"$text" || problem "$2: $1/state.json does not parse: $(head -c 200 <<<"$text")"
}

# check_gone ID PID: nothing of the container is left.
check_gone() {
  [ ! -e "$TEST_ROOT/$1" ] || problem "$1: state directory left: $(find "$TEST_ROOT/$1" -mindepth 1 -printf "%f " 2>/dev/null)"
  local left
  left=$(cgroup_dirs_named "$1")
  [ -z "$left" ] || problem "$1: cgroup directories left: $left"
  [ -n "${2:-}" ] && [ "$2" != 0 ] || return 0
  # The runtime may return while a killed init finishes its exit (the
  # kernel takes it out of its cgroups before the rest of its pid namespace
  # is reaped): 5 s for that.
  local i
  for i in $(seq 100); do
    process_gone "$2" && return 0
    sleep 0.05
  done
  problem "$1: init $2 still alive 5 s after: $(cut -c1-60 "/proc/$2/stat" 2>/dev/null)," \
    "$(tr '\0' ' ' < "/proc/$2/cmdline" 2>/dev/null), wchan $(cat "/proc/$2/wchan" 2>/dev/null)," \
    "cgroups: $(grep -E 'freezer|pids|::' "/proc/$2/cgroup" 2>/dev/null | tr '\n' ' ')," \
    "stack: $(tr '\n' ' ' < "/proc/$2/stack" 2>/dev/null | cut -c1-300)"
}

@test "races: 50 parallel creates of distinct ids all succeed, are listed and deleted in parallel" {
  make_bundle "$BUNDLE" sleep 100000
  local i pid pids=() rc
  for i in $(seq 50); do
    bounded create --bundle "$BUNDLE" "$ID-$i" </dev/null >"$TEST_DIR/create.$i" 2>&1 &
    pids+=($!)
  done
  for i in $(seq 50); do
    rc=0
    wait "${pids[$((i - 1))]}" || rc=$?
    [ "$rc" -eq 0 ] || problem "create $ID-$i: exit $rc: $(cat "$TEST_DIR/create.$i")"
  done
  run runtime list --format json
  assert_status 0
  [ "$(jq length <<<"$output")" -eq 50 ] || problem "list shows $(jq length <<<"$output") containers, not 50"
  [ "$(jq '[.[] | select(.status == "created")] | length' <<<"$output")" -eq 50 ] ||
    problem "not all 50 are created: $(jq -c '[.[] | .status] | group_by(.) | map({(.[0]): length}) | add' <<<"$output")"
  # Each its own init.
  [ "$(jq '[.[] | .pid] | unique | length' <<<"$output")" -eq 50 ] || problem "the 50 containers do not have 50 inits"
  for i in $(seq 50); do check_state_json "$ID-$i" "after 50 parallel creates"; done
  local inits
  inits=$(jq -r '.[] | "\(.id) \(.pid)"' <<<"$output")

  # And 50 parallel delete --force.
  pids=()
  for i in $(seq 50); do
    bounded delete --force "$ID-$i" </dev/null >"$TEST_DIR/delete.$i" 2>&1 &
    pids+=($!)
  done
  for i in "${pids[@]}"; do
    rc=0
    wait "$i" || rc=$?
    [ "$rc" -eq 0 ] || problem "a parallel delete --force: exit $rc"
  done
  run runtime list --format json
  [ "$(jq length <<<"$output")" -eq 0 ] || problem "left after deleting them all: $output"
  while read -r i pid; do check_gone "$i" "$pid"; done <<<"$inits"
  report_problems
}

@test "races: 10 parallel creates of one id, 5 rounds: one wins, the others say it exists and leave it intact" {
  # runc 1.1.5 has no lock across its processes: two creates can both pass
  # its existence check, and the loser's cleanup removes the winner's state
  # directory, leaving its init running in no state (about one round in five here).
  is_hull || [ "${HULL_TEST_VULNERABLE:-0}" = 1 ] ||
    skip "$(basename "$RUNTIME_BIN") races here (HULL_TEST_VULNERABLE=1 runs it)"
  make_bundle "$BUNDLE" sleep 100000
  local i pid pids rc won round id
  for round in 1 2 3 4 5; do
    id=$ID-$round
    pids=()
    for i in $(seq 10); do
      bounded create --bundle "$BUNDLE" "$id" </dev/null >"$TEST_DIR/one.$i" 2>&1 &
      pids+=($!)
    done
    won=0
    for i in $(seq 10); do
      rc=0
      wait "${pids[$((i - 1))]}" || rc=$?
      if [ "$rc" -eq 0 ]; then
        won=$((won + 1))
      elif ! grep -q "exists" "$TEST_DIR/one.$i"; then
        problem "round $round: create #$i: exit $rc without saying the id exists: $(cat "$TEST_DIR/one.$i")"
      fi
    done
    [ "$won" -eq 1 ] || problem "round $round: $won of 10 creates of one id succeeded"
    [ "$(container_status "$id")" = created ] || problem "round $round: the winner is $(container_status "$id")"
    check_state_json "$id" "round $round"
    pid=$(runtime state "$id" 2>/dev/null | jq .pid)
    bounded delete --force "$id" >/dev/null 2>&1 || problem "round $round: delete --force of the winner failed"
    check_gone "$id" "$pid"
  done
  report_problems
}

@test "races: a created container that is paused says paused, resumes, and start refuses it meanwhile" {
  # Found by the racing operations: hull said "created" for a frozen
  # created container, so resume refused it ("not paused") and start
  # waited 10 s on the frozen init, then failed with it still frozen.
  make_bundle "$BUNDLE" sleep 100000
  runtime create --bundle "$BUNDLE" "$ID" </dev/null >/dev/null 2>&1
  runtime pause "$ID"
  [ "$(container_status "$ID")" = paused ]
  run -1 bounded start "$ID"
  [[ "$output" == *paused* ]] || fail "start of a paused container: $output"
  [ "$(container_status "$ID")" = paused ]
  runtime resume "$ID"
  [ "$(container_status "$ID")" = created ]
  runtime start "$ID"
  [ "$(container_status "$ID")" = running ]
}

@test "races: delete --force of a paused container does not wait for the frozen init" {
  # It sent SIGKILL to the frozen init, then waited 5 s for it to die,
  # which on cgroup v1 it does only once thawed.
  make_bundle "$BUNDLE" sleep 100000
  runtime run -d --bundle "$BUNDLE" "$ID" </dev/null >/dev/null 2>&1
  pid=$(runtime state "$ID" | jq .pid)
  runtime pause "$ID"
  local t0=$EPOCHREALTIME
  runtime delete --force "$ID"
  local took
  took=$(bc <<<"$EPOCHREALTIME - $t0")
  [ "$(bc <<<"$took < 2")" = 1 ] || fail "delete --force of a paused container took $took s"
  check_gone "$ID" "$pid"
  report_problems
}

# race_once ID N PRESTARTED: the container ID (created, or running when
# PRESTARTED is 1) meets ten operations from separate processes at once,
# in a random order; then each answer is checked against the state it ends
# in. Problems go to $ERRORS.
race_once() {
  local id=$1 n=$2 prestarted=$3 dir=$TEST_DIR/race.$2 ops op i k pid rc
  mkdir -p "$dir"
  # Nine fixed, the tenth varies with the round.
  ops=(start start state state exec exec pause "kill KILL" delete)
  case $((n % 3)) in
    0) ops+=("delete --force") ;;
    1) ops+=(list) ;;
    2) ops+=("kill KILL") ;;
  esac
  local -a pids=() names=()
  for i in $(shuf -e "${!ops[@]}"); do
    op=${ops[$i]}
    case $op in
      exec) set -- exec "$id" /bin/true ;;
      list) set -- list --format json ;;
      *) read -ra words <<<"$op"; set -- "${words[0]}" "${words[@]:1}" "$id" ;;
    esac
    # kill and delete --force take the id before their flags' values: reorder.
    case $op in
      "kill KILL") set -- kill "$id" KILL ;;
      "delete --force") set -- delete --force "$id" ;;
    esac
    # Each op records "exit-status seconds-taken": a SIGKILLed exec'd
    # process and a timed-out runtime both exit 137, their time tells them apart.
    (
      sleep "0.0$((RANDOM % 6))"
      t0=$EPOCHREALTIME rc=0
      timeout -k 5 "$OP_TIMEOUT" "$RUNTIME_BIN" --root "$TEST_ROOT" "$@" || rc=$?
      echo "$rc $(bc <<<"$EPOCHREALTIME - $t0")" > "$dir/$i.rc"
    ) </dev/null >"$dir/$i.out" 2>"$dir/$i.err" &
    pids+=($!)
    names+=("$i:$op")
  done
  # state.json is read throughout; every read must parse.
  local running=1 resumed=0 t0=$EPOCHREALTIME
  while [ "$running" = 1 ]; do
    check_state_json "$id" "round $n, during the race"
    running=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && running=1; done
    # An exec that joined the cgroup as pause froze it waits for a resume,
    # with runc as with hull: that is no deadlock. After 1.5 s, when every
    # command would have ended, resume once as a user would.
    if [ "$running" = 1 ] && [ "$resumed" = 0 ] && [ "$(bc <<<"$EPOCHREALTIME - $t0 > 1.5")" = 1 ] &&
      [ "$(container_status "$id")" = paused ]; then
      bounded resume "$id" >/dev/null 2>&1 || true
      resumed=1
    fi
    sleep 0.02
  done
  local -A ok=() failed=()
  local took
  for k in "${!pids[@]}"; do
    wait "${pids[$k]}" || true
    i=${names[$k]%%:*}
    op=${names[$k]#*:}
    read -r rc took < "$dir/$i.rc"
    if [ "$(bc <<<"$took >= $OP_TIMEOUT")" = 1 ]; then
      problem "round $n: '$op' did not end in $OP_TIMEOUT s (deadlock): $(head -c 300 "$dir/$i.err")"
    elif [ "$op" = exec ] && [ "$rc" -eq 137 ]; then
      :  # the exec'd process was SIGKILLed by the kill or the delete racing it
    elif crashed "$rc" "$dir/$i.err"; then
      problem "round $n: '$op' exit $rc (crashed): $(head -c 300 "$dir/$i.err")"
    fi
    if [ "$rc" -eq 0 ]; then ok[$op]=$((${ok[$op]:-0} + 1)); else failed[$op]=$((${failed[$op]:-0} + 1)); fi
  done

  # The state the race ended in; a container left paused is resumed first
  # (a SIGKILL that reached a frozen init takes effect then).
  local final
  final=$(container_status "$id")
  if [ "$final" = paused ]; then
    [ "${ok[pause]:-0}" -ge 1 ] || problem "round $n: ends paused without a successful pause"
    bounded resume "$id" >/dev/null 2>&1 || problem "round $n: resume of the paused container failed"
    final=$(container_status "$id")
  elif [ "${ok[pause]:-0}" -ge 1 ] && [ "$resumed" = 0 ] && [ -z "${ok[kill KILL]:-}" ] &&
    [ -z "${ok[delete]:-}${ok[delete --force]:-}" ]; then
    problem "round $n: pause succeeded, nothing killed or deleted it, yet it ends $final"
  fi
  if [ -n "${ok[kill KILL]:-}" ] && [ "$final" != gone ]; then
    for _ in $(seq 100); do [ "$final" = stopped ] && break; sleep 0.05; final=$(container_status "$id"); done
  fi
  check_state_json "$id" "round $n, at the end"

  # starts: the container was started, before the race or by one start of it.
  local starts=$((${ok[start]:-0} + prestarted)) kills=${ok[kill KILL]:-0}
  local deletes=$((${ok[delete]:-0} + ${ok[delete --force]:-0}))
  [ "$starts" -le 1 ] || problem "round $n: $starts starts succeeded (started before: $prestarted)"
  [ -z "${failed[list]:-}" ] || problem "round $n: list failed"
  [ -z "${failed[delete --force]:-}" ] || problem "round $n: delete --force failed"
  # A plain delete may only refuse a container that runs or is gone.
  for i in "${!ops[@]}"; do
    [ "${ops[$i]}" = delete ] || continue
    read -r rc _ < "$dir/$i.rc"
    [ "$rc" -eq 0 ] || grep -Eqi "running|paused|not stopped|does not exist" "$dir/$i.err" ||
      problem "round $n: delete failed for another reason: $(head -c 300 "$dir/$i.err")"
  done
  case $final in
    gone) [ "$deletes" -ge 1 ] || problem "round $n: the container is gone but no delete succeeded" ;;
    created)
      [ "$starts" -eq 0 ] || problem "round $n: a start succeeded, yet the container ends created"
      [ "$kills" -eq 0 ] || problem "round $n: SIGKILL was sent, yet the container ends created" ;;
    running)
      [ "$starts" -eq 1 ] || problem "round $n: running, but no start succeeded"
      [ "$kills" -eq 0 ] || problem "round $n: SIGKILL was sent, yet the container ends running" ;;
    stopped) [ "$starts" -eq 1 ] || [ "$kills" -ge 1 ] || problem "round $n: stopped, without a start or a kill" ;;
    *) problem "round $n: ends in an unknown state '$final'" ;;
  esac
  [ "$deletes" -eq 0 ] || [ "$final" = gone ] || problem "round $n: a delete succeeded, yet the container is $final"
  # A failed kill found the container stopped or gone, and it stayed so.
  if [ -n "${failed[kill KILL]:-}" ]; then
    case $final in stopped | gone) ;; *) problem "round $n: a kill failed, yet the container ends $final" ;; esac
  fi
  # Each answer of state: JSON about this container, in a state it can
  # have passed through on its way to the final one.
  for i in "${!ops[@]}"; do
    [ "${ops[$i]}" = state ] || continue
    read -r rc _ < "$dir/$i.rc"
    if [ "$rc" -ne 0 ]; then
      grep -q "does not exist" "$dir/$i.err" || problem "round $n: state failed: $(cat "$dir/$i.err")"
      [ "$final" = gone ] || problem "round $n: state said it does not exist, yet it ends $final"
      continue
    fi
    local said
    said=$(jq -r 'select(.id == "'"$id"'") | .status' "$dir/$i.out" 2>/dev/null) ||
      { problem "round $n: state printed no JSON: $(head -c 300 "$dir/$i.out")"; continue; }
    case $said in
      created) ;;
      running) [ "$starts" -eq 1 ] || problem "round $n: state said running, but no start succeeded" ;;
      paused) [ "${ok[pause]:-0}" -ge 1 ] || problem "round $n: state said paused, but no pause succeeded" ;;
      stopped)
        # runc's delete of a created container kills its init before it
        # removes the state: one state in between says stopped.
        [ "$starts" -eq 1 ] || [ "$kills" -ge 1 ] || [ "$deletes" -ge 1 ] ||
          problem "round $n: state said stopped without a start, a kill or a delete"
        case $final in stopped | gone) ;; *) problem "round $n: state said stopped, yet it ends $final" ;; esac ;;
      *) problem "round $n: state said '$said'" ;;
    esac
    case $final in
      created) [ "$said" = created ] || [ "$said" = paused ] || problem "round $n: state said $said, ends created" ;;
      running) [ "$said" != stopped ] || problem "round $n: state said stopped, ends running" ;;
    esac
  done
  # What each operation answered, for the report of a round with a problem.
  for i in "${!ops[@]}"; do
    echo "  op ${ops[$i]}: exit, seconds $(cat "$dir/$i.rc"): $(head -c 200 "$dir/$i.err" | tr '\n' ' ')"
  done > "$dir/summary"
  echo "  ended $final" >> "$dir/summary"
}

@test "races: ten operations on one id from separate processes, $REPEAT rounds: bounded, state.json intact, answers agree" {
  make_bundle "$BUNDLE" sleep 100000
  local n id pid problems_before
  for n in $(seq "$REPEAT"); do
    id=$ID-$n
    bounded create --bundle "$BUNDLE" "$id" </dev/null >"$TEST_DIR/create.out" 2>&1 ||
      { problem "round $n: create failed: $(cat "$TEST_DIR/create.out")"; continue; }
    pid=$(runtime state "$id" | jq .pid)
    # Every other round races on a running container: a plain delete
    # cannot end it at once then.
    if [ $((n % 2)) = 0 ]; then
      bounded start "$id" >/dev/null 2>&1 || { problem "round $n: start before the race failed"; continue; }
    fi
    problems_before=$(wc -l < "$ERRORS")
    race_once "$id" "$n" $((1 - n % 2))
    bounded delete --force "$id" >/dev/null 2>&1 || problem "round $n: the final delete --force failed"
    check_gone "$id" "$pid"
    if [ "$(wc -l < "$ERRORS")" != "$problems_before" ] && [ "$(wc -l < "$ERRORS.ops" 2>/dev/null || echo 0)" -lt 60 ]; then
      { echo "round $n ($([ $((n % 2)) = 0 ] && echo running || echo created) before the race):"
        cat "$TEST_DIR/race.$n/summary"; } >> "$ERRORS.ops"
    fi
    rm -rf "$TEST_DIR/race.$n"
  done
  [ ! -s "$ERRORS.ops" ] || { echo "what the operations of the first rounds with a problem answered:" >&2; cat "$ERRORS.ops" >&2; }
  report_problems
}

@test "races: delete --force racing the container's own exit, $REPEAT rounds, leaves nothing and never fails" {
  make_bundle "$BUNDLE" sleep 0.05
  local n id pid rc
  for n in $(seq "$REPEAT"); do
    id=$ID-$n
    bounded create --bundle "$BUNDLE" "$id" </dev/null >"$TEST_DIR/out" 2>&1 ||
      { problem "round $n: create failed: $(cat "$TEST_DIR/out")"; continue; }
    pid=$(runtime state "$id" | jq .pid)
    bounded start "$id" >"$TEST_DIR/out" 2>&1 || problem "round $n: start failed: $(cat "$TEST_DIR/out")"
    # From at once to just after the 50 ms process exits, by 10 ms steps.
    sleep "0.0$((n % 8))"
    rc=0
    bounded delete --force "$id" >"$TEST_DIR/out" 2>&1 || rc=$?
    [ "$rc" -eq 0 ] || problem "round $n: delete --force exit $rc: $(cat "$TEST_DIR/out")"
    check_gone "$id" "$pid"
  done
  report_problems
}

@test "races: kill and a plain delete racing the container's own exit answer consistently" {
  make_bundle "$BUNDLE" sleep 0.05
  local n id pid rc_kill rc_delete
  for n in $(seq "$REPEAT"); do
    id=$ID-$n
    bounded create --bundle "$BUNDLE" "$id" </dev/null >/dev/null 2>&1 || { problem "round $n: create failed"; continue; }
    pid=$(runtime state "$id" | jq .pid)
    bounded start "$id" >/dev/null 2>&1 || problem "round $n: start failed"
    sleep "0.0$((n % 8))"
    rc_kill=0 rc_delete=0
    bounded kill "$id" KILL >"$TEST_DIR/kill" 2>&1 &
    local kill_pid=$!
    bounded delete "$id" >"$TEST_DIR/delete" 2>&1 || rc_delete=$?
    wait "$kill_pid" || rc_kill=$?
    crashed "$rc_kill" "$TEST_DIR/kill" && problem "round $n: kill exit $rc_kill: $(cat "$TEST_DIR/kill")"
    crashed "$rc_delete" "$TEST_DIR/delete" && problem "round $n: delete exit $rc_delete: $(cat "$TEST_DIR/delete")"
    if [ "$rc_delete" -eq 0 ]; then
      # It found the container stopped: it must be gone.
      check_gone "$id" "$pid"
    else
      # It found it running: it must still be there, and stops.
      grep -qi "running\|stop it first" "$TEST_DIR/delete" ||
        problem "round $n: delete failed saying neither running nor stopped: $(cat "$TEST_DIR/delete")"
      [ -d "$TEST_ROOT/$id" ] || problem "round $n: delete failed, yet the container is gone"
      wait_status "$id" stopped 100 || problem "round $n: did not stop"
      bounded delete "$id" >/dev/null 2>&1 || problem "round $n: delete of the stopped container failed"
      check_gone "$id" "$pid"
    fi
    # A failed kill must have found it stopped (or deleted).
    if [ "$rc_kill" -ne 0 ] && ! grep -qi "not running\|does not exist" "$TEST_DIR/kill"; then
      problem "round $n: kill failed without saying not running: $(cat "$TEST_DIR/kill")"
    fi
  done
  report_problems
}

@test "races: a pid reused after the container's init died is never signalled" {
  make_bundle "$BUNDLE" sleep 100000
  # In a pid namespace of the test's own, with its own /proc, the test can
  # give the dead init's pid to a process of its own (ns_last_pid) without
  # racing the rest of the host for pids. The namespace's pid 1 is the
  # script: it reaps the init once create has exited.
  cat > "$TEST_DIR/reuse.sh" <<'EOS'
set -u
rt() { timeout -k 5 "$OP_TIMEOUT" "$RUNTIME_BIN" --root "$TEST_ROOT" "$@"; }
# The records hold this namespace's pids: delete them here, not from the host.
trap 'rt delete --force "$ID" 2>/dev/null; rt delete --force "$ID-2" 2>/dev/null' EXIT
bad() { echo "FAIL: $*"; failed=1; }
failed=0
rt create --bundle "$BUNDLE" "$ID" </dev/null >/dev/null 2>&1 || { echo "FAIL: create"; exit 1; }
rt start "$ID" || { echo "FAIL: start"; exit 1; }
pid=$(rt state "$ID" | jq .pid)
rt kill "$ID" KILL || { echo "FAIL: kill of the running container"; exit 1; }
for _ in $(seq 200); do [ -e "/proc/$pid" ] || break; sleep 0.02; done
[ ! -e "/proc/$pid" ] || { echo "FAIL: init $pid was not reaped"; exit 1; }
# The victim records every signal it can catch; SIGKILL and SIGSTOP show as
# its death or its state.
victim=""
for _ in $(seq 20); do
  echo $((pid - 1)) > /proc/sys/kernel/ns_last_pid
  sh -c 'for s in HUP INT QUIT USR1 USR2 TERM CONT; do trap "echo $s >> $0" $s; done
         while :; do sleep 0.05; done' "$TEST_DIR/victim.signals" &
  if [ "$!" = "$pid" ]; then victim=$!; break; fi
  kill -9 "$!"; wait "$!" 2>/dev/null
done
[ -n "$victim" ] || { echo "FAIL: pid $pid was not reused in 20 tries"; exit 1; }
start=$(cut -d' ' -f22 "/proc/$victim/stat")
echo "init was pid $pid; now the test's victim has it"
status=$(rt state "$ID" | jq -r .status)
[ "$status" = stopped ] || bad "state says '$status' for a container whose pid is another process's"
rt kill "$ID" KILL 2>/dev/null && bad "kill KILL succeeded on the stale container"
rt kill "$ID" TERM 2>/dev/null && bad "kill TERM succeeded on the stale container"
rt kill --all "$ID" KILL 2>/dev/null
rt pause "$ID" 2>/dev/null && { bad "pause succeeded on the stale container"; rt resume "$ID" 2>/dev/null; }
rt exec "$ID" /bin/true 2>/dev/null && bad "exec succeeded into the stale container (the victim's namespaces)"
rt delete "$ID" || bad "delete of the stopped container failed"
# Again through delete --force, on a second container killed the same way.
rt create --bundle "$BUNDLE" "$ID-2" </dev/null >/dev/null 2>&1 && rt start "$ID-2" || bad "second container"
pid2=$(rt state "$ID-2" | jq .pid)
rt kill "$ID-2" KILL
for _ in $(seq 200); do [ -e "/proc/$pid2" ] || break; sleep 0.02; done
victim2=""
for _ in $(seq 20); do
  echo $((pid2 - 1)) > /proc/sys/kernel/ns_last_pid
  sh -c 'for s in HUP INT QUIT USR1 USR2 TERM CONT; do trap "echo $s >> $0" $s; done
         while :; do sleep 0.05; done' "$TEST_DIR/victim2.signals" &
  if [ "$!" = "$pid2" ]; then victim2=$!; break; fi
  kill -9 "$!"; wait "$!" 2>/dev/null
done
[ -n "$victim2" ] || bad "pid $pid2 was not reused in 20 tries"
rt delete --force "$ID-2" || bad "delete --force of the stale container failed"
sleep 0.2
for v in "$victim:$start:victim" "${victim2:-0}:$(cut -d' ' -f22 "/proc/${victim2:-0}/stat" 2>/dev/null):victim2"; do
  IFS=: read -r p s name <<<"$v"
  [ "$p" != 0 ] || continue
  state=$(sed 's/.*) //' "/proc/$p/stat" 2>/dev/null | cut -d' ' -f1)
  now=$(cut -d' ' -f22 "/proc/$p/stat" 2>/dev/null)
  [ -n "$state" ] && [ "$state" != Z ] && [ "$now" = "$s" ] || bad "$name (pid $p) was killed (state '${state:-gone}')"
  [ "$state" != T ] || bad "$name (pid $p) was stopped"
  [ ! -s "$TEST_DIR/$name.signals" ] || bad "$name (pid $p) received: $(tr '\n' ' ' < "$TEST_DIR/$name.signals")"
  { kill -9 "$p"; wait "$p"; } 2>/dev/null
done
exit "$failed"
EOS
  # The namespace's processes die with its pid 1, whatever happens.
  run env RUNTIME_BIN="$RUNTIME_BIN" TEST_ROOT="$TEST_ROOT" BUNDLE="$BUNDLE" ID="$ID" TEST_DIR="$TEST_DIR" \
    OP_TIMEOUT="$OP_TIMEOUT" timeout -k 5 120 unshare --pid --fork --mount --mount-proc bash "$TEST_DIR/reuse.sh"
  echo "$output"
  assert_status 0
  [[ "$output" == *"now the test's victim has it"* ]]
}
