#!/bin/bash
# tests/vm/cgroup-suite.sh [-o OUTDIR] HULL [BATS-FILE...]
#
# Runs the cgroup integration tests (default: tests/integration/cgroups*.bats and, in the
# v2 mode only, exec.bats and lsm.bats, whose AppArmor tests need the guest's kernel)
# in the VM lane (tests/vm/run.sh), one boot per mode:
#   v2       cgroup v2 only (cgroup_no_v1=all), a busybox PID 1, every
#            controller enabled at the root; the tests run in the root cgroup
#   systemd  the same kernel with systemd as PID 1 and D-Bus; the tests run in
#            a oneshot service with Delegate=yes (/system.slice/vmrun.service)
# HULL is the binary built on the host. It goes (less its debug sections),
# with the bats files and what they load (tests/integration, tests/schemas,
# tests/tools, scripts), into a tar in OUTDIR/share, the directory the guest
# shares, and each boot unpacks it into its own tmpfs (/tmp/hull-vm-suite):
# the guest never depends on where the build or the checkout lives, and reads
# nothing of it over 9p twice.
#
# bats' TAP is streamed to stdout as it comes and kept in OUTDIR/MODE.tap; each
# mode ends with a line `vm MODE: N passed, N failed, N skipped of PLAN (exit S, T s)`
# on stderr and OUTDIR/MODE.counts holding
#   pass=N fail=N skip=N plan=N status=S seconds=T
# (status is bats' exit status, 124 when the VM timed out, 125 when it failed).
#
# Exit status: 0 every mode ran its whole plan with no failure; 1 something
# failed (a test, an incomplete plan, the VM); 77 the lane cannot run on this
# host (not root, no qemu, too little RAM or disk, the kernel download failed):
# nothing was booted and OUTDIR/skip-reason says why; 2 usage.
#
# Environment: MODES="v2 systemd"; RUNTIME (the runtime under test, a name on
# PATH or a path, as in tests/integration/helpers.bash; default: HULL);
# BATS_TEST_TIMEOUT=300 per test inside the guest (TCG runs ~20x slower);
# VM_TIMEOUT=1200 per boot; every other VM_* knob of run.sh passes through.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
usage() { sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//' >&2; exit 2; }

out=""
while getopts o: opt; do
  case $opt in
    o) out=$OPTARG ;;
    *) usage ;;
  esac
done
shift $((OPTIND - 1))
[ $# -ge 1 ] || usage
hull=$1
shift
[ -x "$hull" ] || { echo "cgroup-suite: HULL '$hull' is not an executable" >&2; exit 2; }
v2_only=""
if [ $# -eq 0 ]; then
  # exec.bats too: exec joins the container's cgroups and --cgroup sub-cgroups differ on v2
  # (the v2 mode shows that; under systemd the tests use the same cgroupfs driver, and
  # the lane's ~100 s for the file there would push CI past its budget);
  # lsm.bats: Debian's kernel runs AppArmor, this host's does not (one mode is enough:
  # AppArmor does not depend on the cgroup setup).
  set -- "$repo"/tests/integration/cgroups*.bats "$repo"/tests/integration/exec.bats "$repo"/tests/integration/lsm.bats
  v2_only=" tests/integration/exec.bats tests/integration/lsm.bats "
  [ -f "$1" ] || { echo "cgroup-suite: no tests/integration/cgroups*.bats in $repo" >&2; exit 1; }
fi
modes=${MODES:-v2 systemd}
# Without -o the results live only as long as this script (stdout has them all).
if [ -z "$out" ]; then
  out=$(mktemp -d "${TMPDIR:-/tmp}/hull-vm-suite.XXXXXX")
  trap 'rm -rf "$out"' EXIT
else
  mkdir -p "$out"
  out=$(cd "$out" && pwd)
  trap 'rm -rf "$out/share"' EXIT
fi
share=$out/share

# ---------------------------------------------------------------- can it run?
status=0
init=plain
[[ " $modes " != *" systemd "* ]] || init=systemd # checks for systemd and D-Bus too
VM_INIT=$init "$here/run.sh" --prepare 2>"$out/prepare.log" || status=$?
if [ $status -ne 0 ]; then
  cat "$out/prepare.log" >&2
  if [ $status -eq 77 ]; then
    sed -n 's/^vm-run: cannot run the VM lane here: //p' "$out/prepare.log" | tail -n 1 >"$out/skip-reason"
    echo "cgroup-suite: SKIPPED, the VM lane cannot run here: $(cat "$out/skip-reason")" >&2
    exit 77
  fi
  echo "cgroup-suite: preparing the VM failed (exit $status)" >&2
  exit 1
fi
cat "$out/prepare.log" >&2

# ---------------------------------------------------------------- the payload
# HULL, the bats files and what they load, and the bundles' busybox tree (built
# here, where forks are cheap) go into one tar that each boot unpacks into its
# own tmpfs: one sequential read over 9p instead of a lookup per file.
payload=$share/payload
rm -rf "$share"
mkdir -p "$payload/bin" "$payload/repo/tests"
# Without its debug sections: same code, 2 MiB instead of 80, and unpacking
# 80 MiB into the guest's tmpfs costs ~18 s of TCG per boot.
objcopy --strip-debug "$hull" "$payload/bin/hull" 2>/dev/null || cp "$hull" "$payload/bin/hull"
cp -r "$repo/tests/integration" "$repo/tests/schemas" "$repo/tests/tools" "$payload/repo/tests/"
cp -r "$repo/scripts" "$payload/repo/"
files=()
for f in "$@"; do
  [ -f "$f" ] || { echo "cgroup-suite: no such bats file: $f" >&2; exit 2; }
  [ -f "$payload/repo/tests/integration/${f##*/}" ] || cp "$f" "$payload/repo/tests/integration/"
  files+=("tests/integration/${f##*/}")
done
BUSYBOX_ROOTFS_CACHE=$payload/busybox-rootfs HULL=$hull "$repo/scripts/make-bundle.sh" "$share/warm" true >/dev/null
rm -rf "$share/warm"
# In the guest the payload is at $guest_dir.
guest_dir=/tmp/hull-vm-suite
runtime=${RUNTIME:-$guest_dir/bin/hull}
if [[ "$runtime" == */* ]] && [ "$runtime" != "$guest_dir/bin/hull" ]; then
  # a runtime given by path: the guest may not see that path (/dev/shm, /tmp are its own)
  cp "$runtime" "$payload/bin/"
  runtime=$guest_dir/bin/${runtime##*/}
fi
tar -C "$payload" -cf "$share/payload.tar" .
rm -rf "$payload"

# ---------------------------------------------------------------- one boot per mode
# run_mode MODE: boots once, streams the TAP, writes MODE.tap and MODE.counts.
run_mode() {
  local mode=$1 init status start seconds plan n_ok n_skip n_notok
  case $mode in
    v2) init=plain ;;
    systemd) init=systemd ;;
    *) echo "cgroup-suite: unknown mode '$mode' (v2 or systemd)" >&2; return 1 ;;
  esac
  local mode_files=() f
  for f in "${files[@]}"; do
    [ "$mode" != v2 ] && [[ "$v2_only" == *" $f "* ]] && continue
    mode_files+=("$f")
  done
  echo "# vm $mode: bats ${mode_files[*]} against ${RUNTIME:-hull} (VM_INIT=$init)"
  start=$SECONDS
  status=0
  HULL=$guest_dir/bin/hull REPO=$guest_dir/repo RUNTIME=$runtime BATS_TEST_TIMEOUT=${BATS_TEST_TIMEOUT:-300} \
    BUSYBOX_ROOTFS_CACHE=$guest_dir/busybox-rootfs \
    VM_ENV="HULL REPO RUNTIME BATS_TEST_TIMEOUT BUSYBOX_ROOTFS_CACHE" VM_INIT=$init VM_TIMEOUT=${VM_TIMEOUT:-1200} \
    "$here/run.sh" "$share" "mkdir -p $guest_dir && tar -C $guest_dir -xf payload.tar && cd \"\$REPO\" &&
      echo \"# vm $mode: guest up \$(cut -d' ' -f1 /proc/uptime) s, running bats\" &&
      exec bats --tap --timing ${mode_files[*]}" | tee "$out/$mode.tap" || status=${PIPESTATUS[0]}
  seconds=$((SECONDS - start))
  plan=$(sed -n 's/^1\.\.\([0-9]*\)$/\1/p' "$out/$mode.tap" | head -n 1)
  n_skip=$(grep -Ec '^ok [0-9]+ .*# skip' "$out/$mode.tap" || true)
  n_ok=$(($(grep -Ec '^ok [0-9]+' "$out/$mode.tap" || true) - n_skip))
  n_notok=$(grep -Ec '^not ok [0-9]+' "$out/$mode.tap" || true)
  echo "pass=$n_ok fail=$n_notok skip=$n_skip plan=${plan:-0} status=$status seconds=$seconds" >"$out/$mode.counts"
  echo "vm $mode: $n_ok passed, $n_notok failed, $n_skip skipped of ${plan:-?} (exit $status, $seconds s)" >&2
  [ "$status" -eq 0 ] && [ "$n_notok" -eq 0 ] && [ -n "$plan" ] && [ $((n_ok + n_skip)) -eq "$plan" ]
}

result=0
for mode in $modes; do
  run_mode "$mode" || result=1
done
exit $result
