#!/bin/bash
# tests/bench/lifecycle.sh [N]: per-container cost of hull against runc and
# crun (when installed) and the bare kernel floor, interleaved in one run so
# the machine's drift cancels. Prints median and spread (p10-p90) of cpu time
# (user+sys of the whole process tree) and wall time for
#   run      `RUNTIME run` of /bin/true
#   cycle    create + start + wait + delete as separate commands
#   exec     `RUNTIME exec ID /bin/true` into a running container
#   seccomp  hull's `run` with podman's default profile (containers-common's
#            seccomp.json as podman converts it) against none, once cached
# plus peak RSS of one `run`, the binary's size and its shared libraries.
# Needs root. crun 1.8.1 refuses hybrid cgroup hosts; it is run inside a
# private mount namespace that hides cgroup2's controllers file (README).
set -euo pipefail
n=${1:-30}
repo=$(cd "$(dirname "$0")/../.." && pwd)
hull=${HULL:-$repo/build/src/hull}
measure="/usr/bin/python3 $repo/tests/bench/measure.py"
scratch=$(mktemp -d /dev/shm/hull-bench.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
HULL=$hull "$repo/scripts/make-bundle.sh" "$scratch/bundle" /bin/true >/dev/null
# Debian's crun 1.8.1 and runc 1.1.5 refuse ociVersion 1.3.0 ("unknown version").
jq '.ociVersion = "1.0.2"' "$scratch/bundle/config.json" > "$scratch/config.json"
mv "$scratch/config.json" "$scratch/bundle/config.json"

declare -A bin roots
bin[hull]=$hull
command -v runc >/dev/null && bin[runc]=$(command -v runc)
if command -v crun >/dev/null; then
  : > "$scratch/empty"
  cat > "$scratch/crun" <<EOS
#!/bin/sh
exec unshare -m --propagation private sh -c 'mount --bind $scratch/empty /sys/fs/cgroup/unified/cgroup.controllers 2>/dev/null; exec crun "\$@"' crun "\$@"
EOS
  chmod +x "$scratch/crun"
  bin[crun]=$scratch/crun
fi
for r in "${!bin[@]}"; do roots[$r]=$scratch/root-$r; mkdir -p "${roots[$r]}"; done
HULL=$hull "$repo/scripts/make-bundle.sh" "$scratch/sleeper" sleep 100000 >/dev/null
jq '.ociVersion = "1.0.2"' "$scratch/sleeper/config.json" > "$scratch/config.json"
mv "$scratch/config.json" "$scratch/sleeper/config.json"
stop_sleepers() {
  for r in "${!bin[@]}"; do "${bin[$r]}" --root "${roots[$r]}" delete --force "hs-$$" >/dev/null 2>&1 || true; done
  rm -rf "$scratch"
}
trap stop_sleepers EXIT

floor() {
  $measure unshare --fork --pid --mount --uts --ipc --net --mount-proc chroot "$scratch/bundle/rootfs" /bin/true
}
run_once() {  # runtime id
  (cd "$scratch/bundle" && $measure "${bin[$1]}" --root "${roots[$1]}" run "$2")
}
cycle_once() {
  local r=$1 id=$2 b=${bin[$1]} root=${roots[$1]}
  (cd "$scratch/bundle" && $measure sh -c "'$b' --root '$root' create '$id' && '$b' --root '$root' start '$id' &&
     while [ \"\$('$b' --root '$root' state '$id' | grep -c stopped)\" = 0 ]; do sleep 0.001; done;
     '$b' --root '$root' delete '$id'")
}

declare -A run_cpu run_wall cyc_cpu cyc_wall rss
names=(floor "${!bin[@]}")
for i in $(seq "$n"); do
  for r in "${names[@]}"; do
    if [ "$r" = floor ]; then read -r c w m x < <(floor); else read -r c w m x < <(run_once "$r" "hb-$$-$i"); fi
    [ "$x" = 0 ] || { echo "lifecycle.sh: $r failed (exit $x); its figures would be meaningless" >&2; exit 1; }
    run_cpu[$r]+="$c "; run_wall[$r]+="$w "; rss[$r]=$m
    if [ "$r" != floor ]; then
      read -r c w _ x < <(cycle_once "$r" "hc-$$-$i"); cyc_cpu[$r]+="$c "; cyc_wall[$r]+="$w "
      [ "$x" = 0 ] || { echo "lifecycle.sh: $r create/start/delete failed (exit $x)" >&2; exit 1; }
    fi
  done
done

# exec: one long-running container per runtime, then interleaved execs.
declare -A exe_cpu exe_wall
for r in "${!bin[@]}"; do
  (cd "$scratch/sleeper" && "${bin[$r]}" --root "${roots[$r]}" run -d "hs-$$" </dev/null >/dev/null 2>&1)
done
for i in $(seq "$n"); do
  for r in "${!bin[@]}"; do
    read -r c w _ x < <($measure "${bin[$r]}" --root "${roots[$r]}" exec "hs-$$" /bin/true)
    [ "$x" = 0 ] || { echo "lifecycle.sh: $r exec failed (exit $x)" >&2; exit 1; }
    exe_cpu[$r]+="$c "; exe_wall[$r]+="$w "
  done
done

# seccomp: the same bundle with podman's default profile, the compiled
# filter cached by a first run; interleaved with runs without a profile.
declare -A sc_cpu sc_wall
profile=/usr/share/containers/seccomp.json
if [ -f "$profile" ]; then
  cp -a "$scratch/bundle" "$scratch/seccomp"
  jq --argjson caps "$(jq .process.capabilities.bounding "$scratch/bundle/config.json")" \
    -f "$repo/tests/tools/podman-seccomp.jq" "$profile" > "$scratch/profile.json"
  jq --slurpfile s "$scratch/profile.json" '.linux.seccomp = $s[0]' "$scratch/bundle/config.json" \
    > "$scratch/seccomp/config.json"
  (cd "$scratch/seccomp" && "$hull" --root "${roots[hull]}" run "hw-$$")
  for i in $(seq "$n"); do
    for b in bundle seccomp; do
      read -r c w _ x < <(cd "$scratch/$b" && $measure "$hull" --root "${roots[hull]}" run "hp-$$-$i")
      [ "$x" = 0 ] || { echo "lifecycle.sh: hull run of $b failed (exit $x)" >&2; exit 1; }
      sc_cpu[$b]+="$c "; sc_wall[$b]+="$w "
    done
  done
fi

stats() {  # values... -> "median p10-p90"
  printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {m=a[int((NR+1)/2)]; lo=a[int(NR*0.1)+1]; hi=a[int(NR*0.9)];
    if (hi=="") hi=a[NR]; printf "%.2f (%.2f-%.2f)", m, lo, hi}'
}
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

printf '\n%-6s | %-24s | %-24s | %-24s | %-24s | %-9s | %s\n' runtime "run cpu ms" "run wall ms" "cycle cpu ms" \
  "cycle wall ms" "rss KiB" "cpu vs hull"
hull_cpu=$(median ${run_cpu[hull]})
for r in "${names[@]}"; do
  # shellcheck disable=SC2086
  rc=$(median ${run_cpu[$r]})
  printf '%-6s | %-24s | %-24s | %-24s | %-24s | %-9s | %.2f\n' "$r" "$(stats ${run_cpu[$r]})" "$(stats ${run_wall[$r]})" \
    "$( [ "$r" = floor ] && echo - || stats ${cyc_cpu[$r]})" "$( [ "$r" = floor ] && echo - || stats ${cyc_wall[$r]})" \
    "${rss[$r]}" "$(echo "$rc / $hull_cpu" | bc -l)"
done
printf '\n%-6s | %-24s | %-24s | %s\n' runtime "exec cpu ms" "exec wall ms" "cpu vs hull"
hull_exec=$(median ${exe_cpu[hull]})
for r in "${!bin[@]}"; do
  # shellcheck disable=SC2086
  printf '%-6s | %-24s | %-24s | %.2f\n' "$r" "$(stats ${exe_cpu[$r]})" "$(stats ${exe_wall[$r]})" \
    "$(echo "$(median ${exe_cpu[$r]}) / $hull_exec" | bc -l)"
done
if [ -f "$profile" ]; then
  printf '\n%-28s | %-24s | %-24s\n' "hull run" "cpu ms" "wall ms"
  # shellcheck disable=SC2086
  for b in bundle seccomp; do
    printf '%-28s | %-24s | %-24s\n' "$([ $b = bundle ] && echo "no seccomp" || echo "podman's profile (cached)")" \
      "$(stats ${sc_cpu[$b]})" "$(stats ${sc_wall[$b]})"
  done
  # shellcheck disable=SC2086
  printf 'seccomp costs %.2f ms cpu per container (median difference)\n' \
    "$(echo "$(median ${sc_cpu[seccomp]}) - $(median ${sc_cpu[bundle]})" | bc -l)"
else
  printf '\nseccomp: %s missing (golang-github-containers-common), case skipped\n' "$profile"
fi
echo
for r in "${!bin[@]}"; do
  real=$(readlink -f "$(command -v "${bin[$r]}" || echo "${bin[$r]}")")
  [ "$r" = crun ] && real=$(readlink -f "$(command -v crun)")
  strip -o "$scratch/stripped" "$real" 2>/dev/null || cp "$real" "$scratch/stripped"
  printf '%-6s size %s bytes stripped; libraries: %s\n' "$r" "$(stat -c %s "$scratch/stripped")" \
    "$(ldd "$real" 2>/dev/null | awk '{print $1}' | grep -v vdso | tr '\n' ' ')"
done
