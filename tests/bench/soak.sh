#!/bin/bash
# tests/bench/soak.sh [N]: a soak with leak accounting. N containers (default
# 1000) each go through create, start, exec, pause, resume, kill and delete,
# SOAK_JOBS (default 8) at a time, every command bounded by `timeout`; then
# what is left on the host is counted against a snapshot taken before:
#   mounts           lines of /proc/self/mountinfo (the soak's own mount
#                    namespace, see below)
#   cgroup dirs      directories named after the soak's ids, in every
#                    hierarchy under /sys/fs/cgroup
#   fds              the soak's own open fds (/proc/$$/fd)
#   state dirs       container directories left in the soak's state root
#   zombies          zombies whose parent is the soak, and container inits
#                    (pid and start time recorded at start) left as zombies,
#                    whatever their parent: init, once create has exited
#   live processes   container inits still running (pid and start time)
#   keyrings         session keyrings _ses.<prefix>* in /proc/keys
#   seccomp cache    files in <root>/.seccomp:cache beyond the cap (64), and
#                    temporary files there
# and prints a table. The exit status is 1 when a leftover is not zero or a
# command of a cycle failed (the CI check, tests/integration/soak.bats, runs
# it with N=100).
#
# SOAK_INJECT_LEAKS=1 checks the accounting itself: after the cycles it
# leaves one of each kind behind on purpose (a running container: its state
# directory, cgroups, init and keyring; a tmpfs mount, an open fd, a zombie
# posing as a container's init, seccomp cache files over the cap and a
# temporary file), so every row must then count at least one and the soak
# must fail.
#
# Knobs: SOAK_N (or the argument), SOAK_JOBS, SOAK_SECCOMP_EVERY (default 4:
#   every container but each fourth has a seccomp profile of its own, so the
#   cache is filled past its cap and evicts), SOAK_TIMEOUT (seconds per
#   command, default 60), SOAK_SETTLE (seconds the accounting waits for
#   init to reap and keyrings to be collected, default 15),
#   RUNTIME (a path or a name on PATH; default: hull from build/),
#   SOAK_PRIVATE_MOUNTS=0 (stay in the caller's mount namespace).
# Unless SOAK_PRIVATE_MOUNTS=0 the soak runs in a mount namespace of its own
# (private from the host, then made rshared again inside, as a host's / is):
# other users of the machine mounting meanwhile do not move its count, and a
# mount the runtime leaves in its caller's namespace is counted all the same.
# Needs root. Everything it makes is under one /dev/shm directory and named
# with a unique prefix; an exit trap force-deletes its containers.
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
if [ "${SOAK_PRIVATE_MOUNTS:-1}" = 1 ] && [ -z "${SOAK_IN_MOUNT_NS:-}" ]; then
  # shellcheck disable=SC2016  # expanded by that sh
  SOAK_IN_MOUNT_NS=1 exec unshare --mount --propagation private \
    /bin/sh -c 'mount --make-rshared / && exec "$0" "$@"' /bin/bash "$0" "$@"
fi

n=${1:-${SOAK_N:-1000}}
jobs=${SOAK_JOBS:-8}
seccomp_every=${SOAK_SECCOMP_EVERY:-4}
op_timeout=${SOAK_TIMEOUT:-60}
settle=${SOAK_SETTLE:-15}
hull=${HULL:-$repo/build/src/hull}
runtime=$(command -v "${RUNTIME:-$hull}" || echo "${RUNTIME:-$hull}")
[ -x "$runtime" ] || { echo "soak.sh: runtime not found: $runtime" >&2; exit 2; }
[ -x "$hull" ] || { echo "soak.sh: hull not found (make-bundle.sh needs hull spec): $hull" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "soak.sh: needs root" >&2; exit 2; }

prefix=soak-$$-$RANDOM
scratch=$(mktemp -d "/dev/shm/$prefix.XXXXXX")
chmod 755 "$scratch"
root=$scratch/root
mkdir -p "$root" "$scratch/bundles" "$scratch/out"
cache_dir=$root/.seccomp:cache
cache_cap=64

rt() { timeout -k 5 "$op_timeout" "$runtime" --root "$root" "$@"; }

cleanup() {
  local dir id
  [ -z "${leak_helper:-}" ] || kill "$leak_helper" 2>/dev/null || true
  ! mountpoint -q "$scratch/leak-mnt" 2>/dev/null || umount "$scratch/leak-mnt"
  # Workers still running (an interrupted soak) go first: only our own jobs.
  for pid in $(jobs -p); do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  for dir in "$root"/*/; do
    [ -d "$dir" ] || continue
    id=$(basename "$dir")
    [[ "$id" == "$prefix"-* ]] || continue
    timeout 30 "$runtime" --root "$root" delete --force "$id" >/dev/null 2>&1 || true
  done
  # Cgroups named after our ids that a failed delete left: empty ones only.
  find /sys/fs/cgroup -depth -mindepth 2 -type d -name "$prefix-*" -exec rmdir {} \; 2>/dev/null || true
  rm -rf "$scratch"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- bundles: one shared rootfs (read-only in every container), a config
# per seccomp profile.
HULL=$hull "$repo/scripts/make-bundle.sh" "$scratch/bundles/plain" sleep 100000 >/dev/null
mv "$scratch/bundles/plain/rootfs" "$scratch/rootfs"
# runc 1.1.5 refuses ociVersion 1.3.0 ("unknown version"), as lifecycle.sh says.
jq --arg r "$scratch/rootfs" '.ociVersion = "1.0.2" | .root = {path: $r, readonly: true}' \
  "$scratch/bundles/plain/config.json" > "$scratch/config.json"
mv "$scratch/config.json" "$scratch/bundles/plain/config.json"

# bundle_for I: the bundle of container I. A profile of its own (mkdir and
# mkdirat fail with an errno unique to I) unless I is a multiple of
# SOAK_SECCOMP_EVERY.
bundle_for() {
  local i=$1 dir
  if [ "$seccomp_every" -le 0 ] || [ $((i % seccomp_every)) -eq 0 ]; then
    echo "$scratch/bundles/plain"
    return
  fi
  dir=$scratch/bundles/$i
  mkdir -p "$dir"
  jq --argjson e $((1000 + i % 3000)) '.linux.seccomp = {defaultAction: "SCMP_ACT_ALLOW",
      syscalls: [{names: ["mkdir", "mkdirat"], action: "SCMP_ACT_ERRNO", errnoRet: $e}]}' \
    "$scratch/bundles/plain/config.json" > "$dir/config.json"
  echo "$dir"
}

# --- accounting
count_mounts() { wc -l < /proc/self/mountinfo; }
cgroup_dirs() { find /sys/fs/cgroup -mindepth 2 -type d -name "$prefix-*" 2>/dev/null || true; }
count_cgroup_dirs() { cgroup_dirs | wc -l; }
count_fds() { find "/proc/$$/fd" -mindepth 1 -maxdepth 1 | wc -l; }
count_state_dirs() { find "$root" -mindepth 1 -maxdepth 1 ! -name '.seccomp:cache' | wc -l; }
count_keyrings() { grep -c " _ses\.$prefix-" /proc/keys || true; }
# The cache directory appears with the first profile (hull's only).
count_cache_files() { find "$cache_dir" -mindepth 1 -maxdepth 1 -name '*.bpf' 2>/dev/null | wc -l || true; }
count_cache_temp() { find "$cache_dir" -mindepth 1 -maxdepth 1 ! -name '*.bpf' 2>/dev/null | wc -l || true; }
# stat_of PID: "state ppid starttime" from /proc/PID/stat, empty when gone.
stat_of() {
  local line
  line=$(cat "/proc/$1/stat" 2>/dev/null) || return 0
  line=${line##*) }
  # shellcheck disable=SC2086
  set -- $line
  echo "$1 $2 ${20}"
}
# Zombies whose parent is the soak itself.
count_own_zombies() {
  local f line
  local -i n=0
  for f in /proc/[0-9]*/stat; do
    line=$(cat "$f" 2>/dev/null) || continue
    line=${line##*) }
    [[ "$line" == "Z $$ "* ]] && n+=1
  done
  echo "$n"
}
# Container inits recorded by the cycles ("pid starttime" lines): those
# still there as zombies of init, and those still alive.
count_inits() {  # zombie|alive
  local pid start st now
  local -i n=0
  while read -r pid start; do
    read -r st _ now <<<"$(stat_of "$pid")"
    if [ -z "$st" ] || [ "$now" != "$start" ]; then continue; fi
    if [ "$1" = zombie ]; then [ "$st" = Z ] && n+=1; else [ "$st" != Z ] && n+=1; fi
  done < <(cat "$scratch"/out/pids.* 2>/dev/null)
  echo "$n"
}

declare -A before after
# shellcheck disable=SC2154  # the keys of the associative array, not variables
snapshot() {  # ARRAY-NAME
  local -n s=$1
  s[mounts]=$(count_mounts)
  s[cgroups]=$(count_cgroup_dirs)
  s[fds]=$(count_fds)
  # Which, for the table's note: fd number and target.
  s[fd_list]=$(find "/proc/$$/fd" -mindepth 1 -maxdepth 1 -printf '%f>%l\n' | sed 's/:\[[0-9]*\]$//' | sort -n | tr '\n' ' ')
  s[state]=$(count_state_dirs)
  s[zombies]=$(( $(count_own_zombies) + $(count_inits zombie) ))
  s[alive]=$(count_inits alive)
  s[keyrings]=$(count_keyrings)
  s[cache]=$(count_cache_files)
  s[cache_over]=$(( s[cache] > cache_cap ? s[cache] - cache_cap : 0 ))
  s[cache_temp]=$(count_cache_temp)
}

# --- one container's life; failures go to out/fail.W as "I STEP: message".
# status_of ID: the status field of `state`, or "gone".
status_of() { rt state "$1" 2>/dev/null | jq -r .status 2>/dev/null || echo gone; }

cycle() {  # WORKER I
  local w=$1 i=$2 id=$prefix-$2 bundle pid st err=$scratch/out/err.$1 fail=$scratch/out/fail.$1
  bundle=$(bundle_for "$i")
  step() {  # NAME CMD...: runs CMD, records its wall time, or a failure with its stderr
    local name=$1 t0=$EPOCHREALTIME
    shift
    if ! "$@" </dev/null >/dev/null 2>"$err"; then
      echo "$i $name (exit $?): $(tr '\n' ' ' < "$err" | cut -c1-300)" >> "$fail"
      return 1
    fi
    echo "$name $(echo "($EPOCHREALTIME - $t0) * 1000" | bc)" >> "$scratch/out/times.$w"
  }
  expect_status() {  # WANT
    st=$(status_of "$id")
    [ "$st" = "$1" ] || { echo "$i state: expected $1, got $st" >> "$fail"; return 1; }
  }
  if step create rt create --bundle "$bundle" "$id" &&
    step start rt start "$id" &&
    pid=$(rt state "$id" | jq -r .pid) &&
    echo "$pid $(stat_of "$pid" | cut -d' ' -f3)" >> "$scratch/out/pids.$w" &&
    step exec rt exec "$id" /bin/true &&
    step pause rt pause "$id" && expect_status paused &&
    step resume rt resume "$id" && expect_status running &&
    step kill rt kill "$id" KILL; then
    for _ in $(seq 100); do
      st=$(status_of "$id")
      [ "$st" = stopped ] && break
      sleep 0.05
    done
    [ "$st" = stopped ] || echo "$i kill: still $st 5 s after SIGKILL" >> "$fail"
    step delete rt delete "$id" || true
  fi
  # A cycle that failed part way is cleaned up, and counted as failed above.
  if [ -d "$root/$id" ]; then
    rt delete --force "$id" >/dev/null 2>&1 || true
  fi
}

worker() {  # W: containers W, W+jobs, W+2*jobs, ...
  local w=$1 i
  for ((i = w; i <= n; i += jobs)); do cycle "$w" "$i"; done
}

snapshot before
echo "soak: $n containers, $jobs at a time, runtime $runtime, prefix $prefix" >&2
start_ns=$(date +%s%N)
workers=()
for ((w = 1; w <= jobs && w <= n; w++)); do
  worker "$w" &
  workers+=($!)
done
for w in "${workers[@]}"; do
  wait "$w" || echo "- a worker exited with status $? (a bug in soak.sh)" >> "$scratch/out/fail.0"
done
wall_ms=$(( ($(date +%s%N) - start_ns) / 1000000 ))

# inject_leaks: one of each kind the table counts (SOAK_INJECT_LEAKS=1).
inject_leaks() {
  local id=$prefix-leak i
  # The helper's own child exits and is never reaped: a zombie, recorded
  # as if it were a container's init.
  ( sleep 0.2 &
    z=$!
    echo "$z $(stat_of "$z" | cut -d' ' -f3)" > "$scratch/out/pids.leak.tmp"
    mv "$scratch/out/pids.leak.tmp" "$scratch/out/pids.leak"
    exec sleep 600 ) </dev/null >/dev/null 2>&1 &
  leak_helper=$!
  rt create --bundle "$scratch/bundles/plain" "$id" </dev/null >/dev/null 2>&1
  rt start "$id"
  read -r pid < <(rt state "$id" | jq -r .pid)
  echo "$pid $(stat_of "$pid" | cut -d' ' -f3)" >> "$scratch/out/pids.leak-container"
  mkdir -p "$scratch/leak-mnt"
  mount -t tmpfs "$prefix-leak" "$scratch/leak-mnt"
  # shellcheck disable=SC2034  # open, never used: that is the leak
  exec {leak_fd}</dev/null
  mkdir -p "$cache_dir"
  for ((i = 0; i <= cache_cap; i++)); do : > "$cache_dir/leak-$i.bpf"; done
  : > "$cache_dir/leak.bpf.1.tmp"
  for i in $(seq 100); do
    [ -s "$scratch/out/pids.leak" ] && [ "$(stat_of "$(cut -d' ' -f1 "$scratch/out/pids.leak")" | cut -c1)" = Z ] && break
    sleep 0.05
  done
}
[ "${SOAK_INJECT_LEAKS:-0}" != 1 ] || inject_leaks

# init reaps its orphans every few seconds on some hosts (the container
# inits are its children once create has exited), and keyrings are
# garbage-collected asynchronously: wait for the counts to settle.
for ((t = 0; t <= settle * 2; t++)); do
  snapshot after
  [ $((after[zombies] + after[alive] + after[keyrings])) -eq 0 ] || [ "${SOAK_INJECT_LEAKS:-0}" = 1 ] && break
  sleep 0.5
done

failed=$(cat "$scratch"/out/fail.* 2>/dev/null | wc -l || true)
bad=0
row() {  # LABEL KEY [NOTE]
  local b=${before[$2]} a=${after[$2]} d
  d=$((a - b))
  [ "$d" -gt 0 ] || d=0
  [ "$d" -eq 0 ] || bad=1
  printf '%-48s | %7s | %7s | %8s %s\n' "$1" "$b" "$a" "$d" "${3:-}"
}
printf '\nsoak: %d containers created, started, exec'"'"'d into, paused/resumed, killed and deleted, %d at a time\n' "$n" "$jobs"
printf 'runtime: %s (%s); ids %s-N\n' "$runtime" "$("$runtime" --version 2>/dev/null | head -n 1)" "$prefix"
printf 'wall: %.1f s (%.1f ms per container), %d containers with a seccomp profile of their own\n' \
  "$(echo "$wall_ms / 1000" | bc -l)" "$(echo "$wall_ms / $n" | bc -l)" \
  "$(( seccomp_every > 0 ? n - n / seccomp_every : 0 ))"
printf '\n%-48s | %7s | %7s | %8s\n' "leftover" before after leftover
hierarchies=$(cgroup_dirs | sed 's|^/sys/fs/cgroup/\([^/]*\)/.*|\1|' | sort | uniq -c | awk '{printf "%s%s:%s", sep, $2, $1; sep=" "}')
row "mounts (/proc/self/mountinfo lines)" mounts
row "cgroup dirs named after the ids (every hier.)" cgroups "${hierarchies}"
row "open fds of the soak (/proc/$$/fd)" fds \
  "$([ "${after[fds]}" -le "${before[fds]}" ] || comm -13 <(tr ' ' '\n' <<<"${before[fd_list]}" | sort) \
    <(tr ' ' '\n' <<<"${after[fd_list]}" | sort) | tr '\n' ' ')"
row "state directories in the root" state
row "zombies (children of the soak; container inits)" zombies
row "container inits still alive" alive
row "session keyrings _ses.<id> (/proc/keys)" keyrings
row "seccomp cache files beyond $cache_cap" cache_over "(${after[cache]} files)"
row "seccomp cache temporary files" cache_temp
printf '%-48s | %7s | %7s | %8s\n' "failed commands of a cycle" - - "$failed"
# Wall ms per command, all cycles together: median (p10-p90).
printf '\n%-10s' "command"
for c in create start exec pause resume kill delete; do printf ' | %-18s' "$c"; done
printf '\n%-10s' "wall ms"
for c in create start exec pause resume kill delete; do
  printf ' | %-18s' "$(cat "$scratch"/out/times.* 2>/dev/null | awk -v c="$c" '$1 == c {print $2}' | sort -g |
    awk '{a[NR]=$1} END {if (NR == 0) {print "-"; exit}; hi=a[int(NR*0.9)]; if (hi=="") hi=a[NR];
      printf "%.0f (%.0f-%.0f)", a[int((NR+1)/2)], a[int(NR*0.1)+1], hi}')"
done
echo
[ "$failed" -eq 0 ] || { bad=1; echo; echo "first failures:"; cat "$scratch"/out/fail.* | head -n 20; }
if [ "$bad" = 0 ]; then echo "soak: OK, nothing left behind"; else echo "soak: FAILED"; fi
[ "$bad" = 0 ]
