#!/usr/bin/env bats
# cgroups: placement (cgroupsPath), every resource has its value and its
# effect, update, pause/resume, ps, kill --all, delete leaves nothing.
# Runs on this host (cgroup v1/hybrid) and in the VM lane (tests/vm: v2,
# systemd); a controller the host lacks is skipped with its name.

load lifecycle_setup
load cgroups

setup() {
  lifecycle_setup
  CG_PARENTS=()
  CG_NAMES=()
  THAW=()
}

teardown() {
  # A cgroup a test froze is thawed first: a runtime's process stuck in it
  # (a regression) can then go, and nothing below waits on it.
  [ "${#THAW[@]}" -eq 0 ] || echo "${THAW[1]}" > "${THAW[0]}" 2>/dev/null || true
  # A runc container the comparison test started, if it failed before deleting it.
  local id
  for id in $(ls "$TEST_DIR/runc-root" 2>/dev/null); do
    runc --root "$TEST_DIR/runc-root" delete --force "$id" >/dev/null 2>&1 || true
  done
  lifecycle_teardown
  # Parents a test made for an absolute cgroupsPath (runc removes only the leaf).
  local dir name
  for dir in "${CG_PARENTS[@]}"; do rmdir "$dir" 2>/dev/null || true; done
  # Cgroups named after the test, in every hierarchy, with what is below them.
  for name in "${CG_NAMES[@]}"; do remove_cgroups_named "$name"; done
}

@test "cgroups: by default the init is in a cgroup named after the id in every hierarchy, removed by delete" {
  make_bundle "$BUNDLE" sleep 1000
  start_sleeper "$ID"
  pid=$(init_pid "$ID")
  dirs=()
  while IFS=: read -r _ ctrls path; do
    [[ "$path" == */"$ID" ]] || fail "hierarchy '$ctrls': $path is not named after $ID"
  done < "/proc/$pid/cgroup"
  for c in memory pids unified; do
    d=$(cg_dir "$pid" "$c") || continue
    [ -d "$d" ] && dirs+=("$d")
  done
  [ "${#dirs[@]}" -gt 0 ]
  runtime delete --force "$ID"
  for d in "${dirs[@]}"; do [ ! -e "$d" ] || fail "$d left behind"; done
}

@test "cgroups: an absolute cgroupsPath is taken from each hierarchy's root" {
  make_bundle "$BUNDLE" sleep 1000
  update_config "$BUNDLE" --arg p "/$ID-parent/inner" '.linux.cgroupsPath = $p'
  start_sleeper "$ID"
  pid=$(init_pid "$ID")
  d=$(cg_dir "$pid" pids)
  [[ "$d" == */"$ID-parent/inner" ]] || fail "pids cgroup is $d"
  CG_PARENTS=($(awk -F: -v p="/$ID-parent/inner" '$3 == p' "/proc/$pid/cgroup" | while IFS=: read -r _ c _; do
    if [ -z "$c" ]; then echo "$(findmnt -rn -t cgroup2 -o TARGET | head -1)/$ID-parent"; else
      c=${c#name=}; echo "$(findmnt -rn -t cgroup -o TARGET | grep -E "/($c|$c,[^/]*|[^/]*,$c)$" | head -1)/$ID-parent"; fi; done))
  runtime delete --force "$ID"
  [ ! -e "$d" ]
}

@test "cgroups: delete removes the parents create made for a cgroupsPath of several components" {
  hull_only "runc removes only the last component and leaves the parents it made"
  make_bundle "$BUNDLE" sleep 1000
  update_config "$BUNDLE" --arg p "$ID-parent/cgrouptest" '.linux.cgroupsPath = $p'
  CG_NAMES+=("$ID-parent")
  start_sleeper "$ID"
  mapfile -t dirs < <(cg_dirs "$(init_pid "$ID")")
  for d in "${dirs[@]}"; do
    [[ "$d" == */"$ID-parent/cgrouptest" ]] || fail "$d is not the cgroupsPath"
    [ -d "$d" ] || fail "$d does not exist"
  done
  runtime delete --force "$ID"
  for d in "${dirs[@]}"; do [ ! -e "${d%/cgrouptest}" ] || fail "${d%/cgrouptest} left behind"; done
}

@test "cgroups: delete leaves a parent cgroup that existed before the container" {
  require_controller pids
  make_bundle "$BUNDLE" sleep 1000
  update_config "$BUNDLE" --arg p "/$ID-pre/mid/leaf" '.linux.cgroupsPath = $p'
  CG_NAMES+=("$ID-pre")
  pre=$(cg_mount pids)/$ID-pre
  mkdir "$pre"
  start_sleeper "$ID"
  mapfile -t dirs < <(cg_dirs "$(init_pid "$ID")")
  runtime delete --force "$ID"
  [ -d "$pre" ] || fail "$pre, made before the container, was removed"
  for d in "${dirs[@]}"; do [ ! -e "$d" ] || fail "$d left behind"; done
  # runc leaves every parent it made; hull removes those and only those.
  if is_hull; then
    for d in "${dirs[@]}"; do
      [ ! -e "${d%/mid/leaf}/mid" ] || fail "${d%/mid/leaf}/mid left behind"
      [ "${d%/mid/leaf}" = "$pre" ] || [ ! -e "${d%/mid/leaf}" ] || fail "${d%/mid/leaf} left behind"
    done
  fi
}

@test "cgroups: a cgroupsPath whose cgroup is frozen is refused, not joined" {
  make_bundle "$BUNDLE" sleep 1000
  update_config "$BUNDLE" --arg p "/$ID-frozen" '.linux.cgroupsPath = $p'
  CG_NAMES+=("$ID-frozen")
  if is_v1 freezer; then
    dir=$(v1_mount freezer)/$ID-frozen
    mkdir "$dir"
    THAW=("$dir/freezer.state" THAWED)
    echo FROZEN > "$dir/freezer.state"
  else
    v2_mount >/dev/null || skip "no cgroup freezer on this host"
    dir=$(v2_mount)/$ID-frozen
    mkdir "$dir"
    [ -e "$dir/cgroup.freeze" ] || skip "this kernel's cgroup v2 has no cgroup.freeze"
    THAW=("$dir/cgroup.freeze" 0)
    echo 1 > "$dir/cgroup.freeze"
  fi
  # A runtime that joins the cgroup hangs in it: the timeout ends the test
  # (124) and teardown thaws the cgroup.
  status=0
  timeout -k 5 20 "$RUNTIME_BIN" --root "$TEST_ROOT" run -d --bundle "$BUNDLE" "$ID" \
    </dev/null >"$TEST_DIR/out" 2>&1 || status=$?
  output=$(cat "$TEST_DIR/out")
  [ "$status" -eq 1 ] || fail "exit status $status (124: the runtime hung in the frozen cgroup): $output"
  [[ "$output" == *"container's cgroup unexpectedly frozen"* ]] || fail "$output"
  [ -d "$dir" ] || fail "$dir, made before the container, was removed"
  [ -z "$(ls "$TEST_ROOT")" ] || fail "state left: $(ls "$TEST_ROOT")"
  for mnt in $(findmnt -rn -t cgroup,cgroup2 -o TARGET); do
    [ "$mnt/$ID-frozen" = "$dir" ] || [ ! -e "$mnt/$ID-frozen" ] || fail "$mnt/$ID-frozen left behind"
  done
}

@test "cgroups: a cgroupsPath with .. cannot climb above the hierarchy" {
  make_bundle "$BUNDLE" sleep 1000
  update_config "$BUNDLE" --arg p "/../../$ID-dots" '.linux.cgroupsPath = $p'
  start_sleeper "$ID"
  pid=$(init_pid "$ID")
  grep -q ":/$ID-dots\$" "/proc/$pid/cgroup"
}

@test "cgroups: memory.limit is in the cgroup and an allocation beyond it is OOM-killed" {
  require_controller memory
  make_bundle "$BUNDLE" sh -c 'dd if=/dev/zero of=/dev/null bs=128M count=1 && echo survived'
  update_config "$BUNDLE" '.linux.resources.memory = {"limit": 33554432}'
  runtime run --bundle "$BUNDLE" "$ID" > "$TEST_DIR/out" 2>&1 && st=0 || st=$?
  [ "$st" -eq 137 ] || { cat "$TEST_DIR/out"; fail "dd exited $st, expected 137 (OOM kill)"; }
  ! grep -q survived "$TEST_DIR/out" || false  # bats' set -e ignores a bare '! cmd'
}

@test "cgroups: memory limit and reservation files" {
  require_controller memory
  make_bundle "$BUNDLE" sleep 1000
  update_config "$BUNDLE" '.linux.resources.memory = {"limit": 67108864, "reservation": 33554432}'
  start_sleeper "$ID"
  d=$(cg_dir "$(init_pid "$ID")" memory)
  if is_v1 memory; then
    [ "$(cat "$d/memory.limit_in_bytes")" = 67108864 ]
    [ "$(cat "$d/memory.soft_limit_in_bytes")" = 33554432 ]
  else
    [ "$(cat "$d/memory.max")" = 67108864 ]
    [ "$(cat "$d/memory.low")" = 33554432 ]
  fi
}

@test "cgroups: pids.limit is in the cgroup and a fork beyond it fails" {
  require_controller pids
  make_bundle "$BUNDLE" sh -c 'cat /sys/fs/cgroup/pids.max /sys/fs/cgroup/pids/pids.max 2>/dev/null; for i in 1 2 3 4 5 6 7 8; do sleep 5 & done 2>&1; wait'
  update_config "$BUNDLE" '.linux.resources.pids = {"limit": 4}'
  runtime run --bundle "$BUNDLE" "$ID" > "$TEST_DIR/out" 2>&1 || true
  head -n 1 "$TEST_DIR/out" | grep -qx 4 || { cat "$TEST_DIR/out"; fail "pids.max inside is not 4"; }
  grep -qi "can't fork\|resource temporarily unavailable" "$TEST_DIR/out" || { cat "$TEST_DIR/out"; fail "forks beyond pids.max succeeded"; }
}

@test "cgroups: cpu shares, quota and period (runc's v2 conversions)" {
  require_controller cpu
  make_bundle "$BUNDLE" sleep 1000
  update_config "$BUNDLE" '.linux.resources.cpu = {"shares": 512, "quota": 20000, "period": 100000}'
  start_sleeper "$ID"
  d=$(cg_dir "$(init_pid "$ID")" cpu)
  if is_v1 cpu; then
    [ "$(cat "$d/cpu.shares")" = 512 ]
    [ "$(cat "$d/cpu.cfs_quota_us")" = 20000 ]
    [ "$(cat "$d/cpu.cfs_period_us")" = 100000 ]
  else
    # 1 + ((512 - 2) * 9999) / 262142 = 20
    [ "$(cat "$d/cpu.weight")" = 20 ]
    [ "$(cat "$d/cpu.max")" = "20000 100000" ]
  fi
}

@test "cgroups: cpuset cpus and mems" {
  require_controller cpuset
  make_bundle "$BUNDLE" sh -c 'grep Cpus_allowed_list /proc/self/status'
  update_config "$BUNDLE" '.linux.resources.cpu = {"cpus": "0", "mems": "0"}'
  run runtime run --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 0 ]
  [[ "$output" == *"Cpus_allowed_list:"*"0" ]] || fail "cpus inside: $output"
}

@test "cgroups: blkio throttle on the device of /" {
  is_v1 blkio || require_controller io
  dev=$(findmnt -rn -o MAJ:MIN --target / | head -1)
  major=${dev%%:*} minor=${dev##*:}
  [ -e "/sys/dev/block/$major:$minor" ] || skip "/ is not on a block device ($dev)"
  # Throttling works on whole disks; take the partition's parent if any.
  if [ -e "/sys/dev/block/$major:$minor/partition" ]; then
    parent=$(basename "$(dirname "$(readlink -f "/sys/dev/block/$major:$minor")")")
    dev=$(cat "/sys/block/$parent/dev"); major=${dev%%:*} minor=${dev##*:}
  fi
  make_bundle "$BUNDLE" sleep 1000
  update_config "$BUNDLE" --argjson ma "$major" --argjson mi "$minor" \
    '.linux.resources.blockIO = {"throttleReadBpsDevice": [{"major": $ma, "minor": $mi, "rate": 1048576}]}'
  start_sleeper "$ID"
  if is_v1 blkio; then
    d=$(cg_dir "$(init_pid "$ID")" blkio)
    grep -qx "$major:$minor 1048576" "$d/blkio.throttle.read_bps_device"
  else
    d=$(cg_dir "$(init_pid "$ID")" io)
    grep -q "^$major:$minor rbps=1048576 " "$d/io.max"
  fi
}

@test "cgroups: hugepage limits" {
  require_controller hugetlb
  size=$(ls /sys/kernel/mm/hugepages/ 2>/dev/null | sed 's/hugepages-//; s/kB$//' | sort -n | head -1)
  [ -n "$size" ] || skip "no huge page sizes in /sys/kernel/mm/hugepages"
  # The kernel's names: 2MB, 1GB.
  if [ "$size" -ge 1048576 ]; then name="$((size / 1048576))GB"; else name="$((size / 1024))MB"; fi
  # On a hybrid host without a v1 hugetlb hierarchy the limit can only go to
  # the v2 one; runc 1.1 refuses that ("could not join or create cgroup").
  if ! is_v1 hugetlb && findmnt -rn -t cgroup >/dev/null; then
    hull_only "runc drives hugetlb only through a v1 hierarchy on hybrid hosts"
  fi
  make_bundle "$BUNDLE" sleep 1000
  update_config "$BUNDLE" --arg n "$name" '.linux.resources.hugepageLimits = [{"pageSize": $n, "limit": 4194304}]'
  start_sleeper "$ID"
  d=$(cg_dir "$(init_pid "$ID")" hugetlb)
  if is_v1 hugetlb; then f="$d/hugetlb.$name.limit_in_bytes"; else f="$d/hugetlb.$name.max"; fi
  [ "$(cat "$f")" = 4194304 ] || fail "$f: $(cat "$f")"
}

@test "cgroups: unified key/values go to a v2 hierarchy, and are refused without one" {
  make_bundle "$BUNDLE" sleep 1000
  update_config "$BUNDLE" '.linux.resources.unified = {"pids.max": "11"}'
  v2=$(findmnt -rn -t cgroup2 -o TARGET | head -1)
  if [ -n "$v2" ] && tr ' ' '\n' < "$v2/cgroup.controllers" | grep -qx pids; then
    start_sleeper "$ID"
    [ "$(cat "$(cg_dir "$(init_pid "$ID")" unified)/pids.max")" = 11 ]
  else
    hull_only "runc ignores linux.resources.unified when the v2 hierarchy lacks the controller"
    run_detached run -d --bundle "$BUNDLE" "$ID"
    [ "$status" -ne 0 ]
    [[ "$output" == *"linux.resources.unified"* ]] || fail "$output"
  fi
}

@test "cgroups: a limit on a controller the host lacks names the controller" {
  hull_only "runc silently skips missing controllers"
  host_has_controller net_cls && skip "this host has net_cls"
  make_bundle "$BUNDLE" true
  update_config "$BUNDLE" '.linux.resources.network = {"classID": 1048577}'
  run_detached run -d --bundle "$BUNDLE" "$ID"
  [ "$status" -ne 0 ]
  [[ "$output" == *"net_cls"* ]] || fail "$output"
  [ -z "$(ls "$TEST_ROOT")" ] || fail "state left: $(ls "$TEST_ROOT")"
  ! grep -rqs . "$(findmnt -rn -t cgroup -o TARGET | head -1)/$ID" || fail "cgroup left"
}

@test "cgroups: a failed create leaves no cgroup behind" {
  require_controller cpuset
  make_bundle "$BUNDLE" true
  update_config "$BUNDLE" '.linux.resources.cpu = {"cpus": "4095"}'
  run_detached create --bundle "$BUNDLE" "$ID"
  [ "$status" -ne 0 ]
  for mnt in $(findmnt -rn -t cgroup,cgroup2 -o TARGET); do
    own=$(find "$mnt" -maxdepth 4 -type d -name "$ID" 2>/dev/null | head -1)
    [ -z "$own" ] || fail "cgroup left behind: $own"
  done
}

@test "cgroups: the container sees only its own cgroups, with its limits" {
  require_controller pids
  make_bundle "$BUNDLE" sh -c 'cat /sys/fs/cgroup/pids.max 2>/dev/null || cat /sys/fs/cgroup/pids/pids.max; ls /sys/fs/cgroup/pids 2>/dev/null | grep -c "^'"$ID"'" || true'
  update_config "$BUNDLE" '.linux.resources.pids = {"limit": 77}'
  run runtime run --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = 77 ] || fail "$output"
}

@test "cgroups: with a cgroup namespace the container's cgroups are its root" {
  make_bundle "$BUNDLE" cat /proc/self/cgroup
  update_config "$BUNDLE" '.linux.namespaces += [{"type": "cgroup"}]'
  run runtime run --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 0 ]
  for line in "${lines[@]}"; do
    [[ "$line" == *":/" ]] || fail "not rooted at the container's cgroup: $line"
  done
}

@test "update changes live limits; zero fields are unchanged" {
  require_controller pids
  require_controller memory
  make_bundle "$BUNDLE" sleep 1000
  update_config "$BUNDLE" '.linux.resources = {"pids": {"limit": 20}, "memory": {"limit": 67108864}}'
  start_sleeper "$ID"
  pid=$(init_pid "$ID")
  runtime update --pids-limit 9 "$ID"
  [ "$(cat "$(cg_dir "$pid" pids)/pids.max")" = 9 ]
  echo '{"memory": {"limit": 0}, "pids": {"limit": 12}}' | runtime update --resources - "$ID"
  [ "$(cat "$(cg_dir "$pid" pids)/pids.max")" = 12 ]
  m=$(cg_dir "$pid" memory)
  if is_v1 memory; then f=$m/memory.limit_in_bytes; else f=$m/memory.max; fi
  [ "$(cat "$f")" = 67108864 ] || fail "memory limit changed by a zero: $(cat "$f")"
  runtime update --memory 100m "$ID"
  [ "$(cat "$f")" = 104857600 ]
}

# memory_limits_are DIR LIMIT SWAP: the memory cgroup DIR has LIMIT and
# memory+swap SWAP (bytes, or -1 for none), in its v1 or v2 files.
memory_limits_are() {
  local dir=$1 limit=$2 swap=$3 got_limit got_swap
  if is_v1 memory; then
    got_limit=$(cat "$dir/memory.limit_in_bytes") got_swap=$(cat "$dir/memory.memsw.limit_in_bytes")
    # -1 reads back as the largest page-aligned value.
    if [ "$limit" = -1 ] && [ "$got_limit" -gt $((1 << 62)) ]; then limit=$got_limit; fi
    if [ "$swap" = -1 ] && [ "$got_swap" -gt $((1 << 62)) ]; then swap=$got_swap; fi
  else
    got_limit=$(cat "$dir/memory.max") got_swap=$(cat "$dir/memory.swap.max")
    # v2's memory.swap.max is the swap alone.
    if [ "$swap" = -1 ]; then swap=max; else swap=$((swap - limit)); fi
    if [ "$limit" = -1 ]; then limit=max; fi
  fi
  [ "$got_limit" = "$limit" ] && [ "$got_swap" = "$swap" ] ||
    fail "memory limit $got_limit, swap $got_swap; expected $limit and $swap"
}

@test "update: memory and memory+swap go in the order the kernel takes; --memory -1 lifts both" {
  require_controller memory
  make_bundle "$BUNDLE" sleep 1000
  update_config "$BUNDLE" '.linux.resources.memory = {"limit": 67108864}'
  start_sleeper "$ID"
  m=$(cg_dir "$(init_pid "$ID")" memory)
  if is_v1 memory; then
    [ -e "$m/memory.memsw.limit_in_bytes" ] || skip "no swap accounting (memory.memsw.*) on this kernel"
  else
    [ -e "$m/memory.swap.max" ] || skip "no memory.swap.max on this kernel"
  fi
  runtime update --memory 64m --memory-swap 128m "$ID"
  memory_limits_are "$m" 67108864 134217728
  # Memory above the memory+swap in force: memory+swap must go first.
  runtime update --memory 256m --memory-swap 512m "$ID"
  memory_limits_are "$m" 268435456 536870912
  # Memory+swap below the memory in force: memory must go first.
  runtime update --memory 16m --memory-swap 32m "$ID"
  memory_limits_are "$m" 16777216 33554432
  # Unlimited memory with a swap limit left in force is EINVAL on v1.
  runtime update --memory -1 "$ID"
  memory_limits_are "$m" -1 -1
  runtime update --memory 64m "$ID"
  memory_limits_are "$m" 67108864 -1
}

@test "update rejects a bad size and a bad --resources document, naming them" {
  make_bundle "$BUNDLE" sleep 1000
  start_sleeper "$ID"
  run runtime update --memory 12zz "$ID"
  [ "$status" -ne 0 ]
  [[ "$output" == *"12zz"* ]]
  run runtime update --resources - "$ID" <<< '{"pids": {"limit": "x"}}'
  [ "$status" -ne 0 ]
  [[ "$output" == *"limit"* ]] || fail "$output"
}

@test "update takes runc 1.1's flag names: --cpu-share, --cpu-period, --cpu-quota and the rest" {
  require_controller cpu
  make_bundle "$BUNDLE" sleep 1000
  start_sleeper "$ID"
  d=$(cg_dir "$(init_pid "$ID")" cpu)
  if is_v1 cpu; then
    files="cpu.shares cpu.cfs_quota_us cpu.cfs_period_us" expected="512 20000 100000"
  else
    files="cpu.weight cpu.max" expected="20 20000 100000"  # runc's conversion of 512 shares
  fi
  runtime update --cpu-share 512 --cpu-period 100000 --cpu-quota 20000 "$ID"
  [ "$(cd "$d" && cat $files | xargs)" = "$expected" ]
  # Every other flag of runc 1.1's update.go (the Intel RDT ones need
  # resctrl), each with its "unchanged" value.
  runtime update --blkio-weight 0 --cpu-rt-period 0 --cpu-rt-runtime 0 --cpuset-cpus "" --cpuset-mems "" \
    --kernel-memory 0 --kernel-memory-tcp 0 --memory 0 --memory-reservation 0 --memory-swap 0 --pids-limit 0 "$ID"
  runtime update -r - "$ID" <<< '{}'
  [ "$(cd "$d" && cat $files | xargs)" = "$expected" ]
}

# read_counter PID: the counter file, retried while the writer has it truncated.
read_counter() {
  local v i
  for i in $(seq 100); do
    v=$(cat "/proc/$1/root/dev/shm/counter" 2>/dev/null)
    [ -n "$v" ] && { echo "$v"; return 0; }
  done
  return 1
}

@test "pause stops the container's processes, resume lets them go on; state says paused" {
  make_bundle "$BUNDLE" sh -c 'i=0; while :; do i=$((i+1)); echo $i > /dev/shm/c.tmp; mv /dev/shm/c.tmp /dev/shm/counter; done'
  start_sleeper "$ID"
  pid=$(init_pid "$ID")
  sleep 0.3
  runtime pause "$ID"
  [ "$(container_status "$ID")" = paused ]
  a=$(read_counter "$pid"); sleep 0.3; b=$(read_counter "$pid")
  [ "$a" = "$b" ] || fail "the counter moved while paused: $a -> $b"
  runtime resume "$ID"
  [ "$(container_status "$ID")" = running ]
  sleep 0.3
  c=$(read_counter "$pid")
  [ "$c" != "$b" ] || fail "the counter did not move after resume"
}

@test "pause of a stopped container and resume of a running one fail" {
  make_bundle "$BUNDLE" sleep 1000
  start_sleeper "$ID"
  run runtime resume "$ID"
  [ "$status" -ne 0 ]
  [[ "$output" == *"not paused"* ]]
  runtime kill "$ID" KILL
  wait_status "$ID" stopped
  run runtime pause "$ID"
  [ "$status" -ne 0 ]
  [[ "$output" == *"not running"* ]]
}

@test "delete --force of a paused container kills it and removes its cgroups" {
  make_bundle "$BUNDLE" sleep 1000
  start_sleeper "$ID"
  pid=$(init_pid "$ID")
  d=$(cg_dir "$pid" pids)
  runtime pause "$ID"
  runtime delete --force "$ID"
  [ ! -e "$d" ]
  [ ! -e "/proc/$pid" ] || [ "$(awk '{print $3}' "/proc/$pid/stat")" = Z ]
}

@test "ps --format json lists the host pids of every process; the table comes from ps(1)" {
  make_bundle "$BUNDLE" sh -c 'sleep 1000 & sleep 1000 & wait'
  start_sleeper "$ID"
  pid=$(init_pid "$ID")
  sleep 0.3
  run runtime ps --format json "$ID"
  [ "$status" -eq 0 ]
  echo "$output" | jq -e 'type == "array" and length == 3' || fail "$output"
  echo "$output" | jq -e --argjson p "$pid" 'index($p) != null'
  run runtime ps "$ID"
  [ "$status" -eq 0 ]
  [[ "${lines[0]}" == *PID* ]]
  [ "$(echo "$output" | grep -c ' sleep 1000$')" -eq 2 ] || fail "$output"
}

@test "kill --all signals every process of the container" {
  # No pid namespace: killing the init alone would leave the other sleeper.
  make_bundle "$BUNDLE" sh -c 'sleep 1000 & exec sleep 1000'
  update_config "$BUNDLE" '.linux.namespaces |= map(select(.type != "pid"))'
  start_sleeper "$ID"
  sleep 0.3
  pids=$(runtime ps --format json "$ID" | jq -r '.[]')
  [ "$(echo "$pids" | wc -l)" -eq 2 ]
  runtime kill --all "$ID" KILL
  for p in $pids; do
    for i in $(seq 50); do
      [ ! -e "/proc/$p" ] || [ "$(awk '{print $3}' "/proc/$p/stat" 2>/dev/null)" = Z ] && break
      sleep 0.05
    done
    [ ! -e "/proc/$p" ] || [ "$(awk '{print $3}' "/proc/$p/stat" 2>/dev/null)" = Z ] || fail "pid $p survived"
  done
}

@test "delete of a container without a pid namespace kills what is left in its cgroups" {
  make_bundle "$BUNDLE" sh -c 'sleep 1000 & sleep 0.2'
  update_config "$BUNDLE" '.linux.namespaces |= map(select(.type != "pid"))'
  runtime create --bundle "$BUNDLE" "$ID" </dev/null >/dev/null 2>&1
  pid=$(init_pid "$ID")
  d=$(cg_dir "$pid" pids)
  runtime start "$ID"
  wait_status "$ID" stopped
  left=$(cat "$d/cgroup.procs")
  [ -n "$left" ] || fail "the background sleep is not there"
  runtime delete "$ID"
  [ ! -e "$d" ] || fail "$d left"
  for p in $left; do [ ! -e "/proc/$p" ] || [ "$(awk '{print $3}' "/proc/$p/stat")" = Z ] || fail "$p survived"; done
}

@test "devices: a device outside the allow list cannot be opened; an allow rule opens it" {
  [ -c /dev/fuse ] || skip "no /dev/fuse on this host to test with"
  make_bundle "$BUNDLE" sh -c 'true < /dev/fuse && echo fuse-ok; true < /dev/null && echo null-ok'
  update_config "$BUNDLE" '.linux.devices = [{"path": "/dev/fuse", "type": "c", "major": 10, "minor": 229, "fileMode": 438}]'
  run runtime run --bundle "$BUNDLE" "$ID"
  [[ "$output" == *"/dev/fuse: Operation not permitted"* ]] || fail "fuse opened without an allow rule: $output"
  [[ "$output" == *"null-ok"* ]] || fail "the default devices are not allowed: $output"
  update_config "$BUNDLE" '.linux.resources.devices += [{"allow": true, "type": "c", "major": 10, "minor": 229, "access": "rw"}]'
  run runtime run --bundle "$BUNDLE" "$ID-2"
  [[ "$output" == *"fuse-ok"* ]] || fail "$output"
}

@test "devices: a malformed rule names its index" {
  hull_only "runc widens or ignores such rules"
  make_bundle "$BUNDLE" true
  update_config "$BUNDLE" '.linux.resources.devices = [{"allow": true, "type": "c", "major": 1, "minor": 3, "access": ""}]'
  run_detached run -d --bundle "$BUNDLE" "$ID"
  [ "$status" -ne 0 ]
  [[ "$output" == *"linux.resources.devices[0]"* ]] || fail "$output"
  [ -z "$(ls "$TEST_ROOT")" ]
}

@test "events --stats prints one stats line with the container's figures" {
  require_controller memory
  require_controller pids
  make_bundle "$BUNDLE" sleep 1000
  update_config "$BUNDLE" '.linux.resources.memory = {"limit": 67108864}'
  start_sleeper "$ID"
  run runtime events --stats "$ID"
  [ "$status" -eq 0 ]
  [ "${#lines[@]}" -eq 1 ]
  echo "$output" | jq -e --arg id "$ID" '.type == "stats" and .id == $id' >/dev/null || fail "$output"
  echo "$output" | jq -e '.data.memory.usage.limit == 67108864' >/dev/null || fail "limit: $output"
  echo "$output" | jq -e '.data.pids.current >= 1 and .data.memory.usage.usage > 0' >/dev/null || fail "$output"
  echo "$output" | jq -e '.data.cpu.usage.total > 0' >/dev/null || fail "cpu: $output"
}

@test "events --stats has runc's fields, field by field" {
  hull_only "compares hull with runc"
  command -v runc >/dev/null || skip "runc is not installed to compare with"
  make_bundle "$BUNDLE" sleep 1000
  update_config "$BUNDLE" '.linux.resources.memory = {"limit": 67108864} | .linux.resources.pids = {"limit": 50}'
  start_sleeper "$ID"
  runc --root "$TEST_DIR/runc-root" run -d --bundle "$BUNDLE" "$ID-runc" </dev/null >/dev/null 2>&1
  hull_json=$(runtime events --stats "$ID")
  runc_json=$(runc --root "$TEST_DIR/runc-root" events --stats "$ID-runc")
  runc --root "$TEST_DIR/runc-root" delete --force "$ID-runc"
  # Every path runc prints (leaf keys, arrays as a whole), but hugetlb, which
  # runc never reads from the v2 hierarchy of a hybrid host, and psi.
  # memory.cache is omitempty: a container with no page cache has none.
  # Array elements are not compared, only the arrays: runc's blkio lists
  # have entries when its init read runc's binary from disk (in the
  # container's cgroup), hull's forked init reads nothing.
  paths='[paths(scalars or (type == "array")) | map(tostring) | join(".")] | map(select(test("hugetlb|psi|memory\\.cache$|\\.[0-9]+(\\.|$)") | not)) | sort | unique'
  diff <(echo "$runc_json" | jq -r "$paths | .[]") <(echo "$hull_json" | jq -r "$paths | .[]") || fail "field sets differ"
  # Same container config, same limits and the same type of every field.
  [ "$(echo "$hull_json" | jq .data.memory.usage.limit)" = "$(echo "$runc_json" | jq .data.memory.usage.limit)" ]
  [ "$(echo "$hull_json" | jq .data.pids.limit)" = "$(echo "$runc_json" | jq .data.pids.limit)" ]
}

@test "events reports an OOM kill and ends when the container stops" {
  require_controller memory
  # The allocation waits for a file that the test makes once events has
  # printed its first stats line (its oom watch is set up before that):
  # with a fixed delay instead, a slow start of events (TCG, systemd in the
  # VM lane) missed the kill, for runc as for hull.
  make_bundle "$BUNDLE" sh -c 'while [ ! -e /oom-go ]; do sleep 0.1; done; dd if=/dev/zero of=/dev/null bs=128M count=1; sleep 0.5'
  update_config "$BUNDLE" '.linux.resources.memory = {"limit": 33554432}'
  start_sleeper "$ID"
  "$RUNTIME_BIN" --root "$TEST_ROOT" events --interval 300ms "$ID" >"$TEST_DIR/events.out" 2>&1 &
  events_pid=$!
  echo "$events_pid" >"$TEST_DIR/events.pid" # teardown kills it if the test fails
  for _ in $(seq 300); do grep -q '"stats"' "$TEST_DIR/events.out" && break; sleep 0.1; done
  grep -q '"stats"' "$TEST_DIR/events.out" || fail "no stats line in 30 s: $(cat "$TEST_DIR/events.out")"
  touch "$BUNDLE/rootfs/oom-go"
  # hull's events ends with the container; runc's keeps polling a stopped one.
  if is_hull; then limit=200; else limit=60; fi
  for _ in $(seq "$limit"); do kill -0 "$events_pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$events_pid" 2>/dev/null; then
    is_hull && fail "events did not end with the container: $(cat "$TEST_DIR/events.out")"
  else
    wait "$events_pid" || fail "events exited $?: $(cat "$TEST_DIR/events.out")"
  fi
  output=$(cat "$TEST_DIR/events.out")
  echo "$output" | jq -e -s --arg id "$ID" 'map(select(.type == "oom" and .id == $id)) | length >= 1' >/dev/null || fail "no oom event: $output"
  echo "$output" | jq -e -s 'map(select(.type == "stats")) | length >= 1' >/dev/null || fail "no stats: $output"
}

@test "events: a stopped container and a bad --interval are errors" {
  make_bundle "$BUNDLE" true
  runtime run --bundle "$BUNDLE" --keep "$ID" >/dev/null 2>&1 || true
  run runtime events --stats "$ID"
  [ "$status" -ne 0 ]
  [[ "$output" == *"not running"* ]] || fail "$output"
  make_bundle "$BUNDLE" sleep 1000
  start_sleeper "$ID-2"
  run runtime events --interval 5parsecs "$ID-2"
  [ "$status" -ne 0 ]
  [[ "$output" == *"interval"* ]] || fail "$output"
}
