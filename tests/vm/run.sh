#!/bin/bash
# tests/vm/run.sh HOSTDIR 'COMMAND'    boot a throw-away VM, run COMMAND in it
# tests/vm/run.sh --prepare            only check this host and fill the cache
#
# The lane for what this machine cannot show: cgroup v2 only, and systemd as
# PID 1 (the project's machines are hybrid cgroup v1 hosts without systemd).
# QEMU boots Debian's stock kernel with cgroup_no_v1=all; the guest's root is
# this machine's own / shared read-only over 9p under a tmpfs overlay, so the
# guest runs the host's bash, bats, runc and libraries and can write anywhere,
# but only HOSTDIR (shared read-write, at /mnt and at its own path) reaches the
# host. COMMAND runs as root under bash in HOSTDIR; its output is streamed to
# stdout and its exit status becomes ours.
#
# Everything comes from Debian's packages: qemu-system-x86, cpio and xz-utils
# on the host (scripts/install-deps.sh vm); the kernel (what linux-image-amd64
# depends on) and busybox-static are fetched with `apt-get download`, unpacked
# into the cache once and never installed.
#
# Environment knobs (all optional):
#   VM_CACHE             kernel, modules, busybox and initramfs; default
#                        $XDG_CACHE_HOME/hull-vm when XDG_CACHE_HOME is set,
#                        else /var/cache/hull-vm (about 150 MiB)
#   VM_TIMEOUT=900       wall-clock limit for the whole VM, seconds (exit 124)
#   VM_MEM=1024          guest RAM, MiB           VM_SMP=2    guest vCPUs
#   VM_ACCEL=auto        auto|tcg|kvm (auto: kvm only if /dev/kvm is usable
#                        AND the CPU shows vmx/svm; this project's hosts: tcg)
#   VM_CPU=              QEMU -cpu model (default: host for kvm, max for tcg)
#   VM_INIT=plain        plain: COMMAND runs under a tiny busybox PID 1;
#                        systemd: the host's systemd boots as PID 1 with D-Bus
#                        and runs COMMAND as a oneshot service with Delegate=yes
#                        (its own cgroup is /system.slice/vmrun.service)
#   VM_MODULES=""        modules to modprobe before COMMAND (others load on
#                        demand through busybox modprobe: veth, overlay, ...)
#   VM_CGROUP_ENABLE=1   enable every controller in the root's subtree_control
#   VM_ENV="A B"         names of host environment variables to pass in
#   VM_KERNEL_PKG=       Debian kernel package (default: linux-image-amd64's)
#   VM_CONSOLE=0         1: copy the guest kernel console to stderr afterwards
#   VM_KEEP=0            1: keep the per-run control directory
#   VM_RETRY=1           boot again this many times when the guest kernel
#                        stalled (soft lockup, hung task: ~1 in 65 TCG boots)
#   VM_APPEND=           extra kernel command line   VM_DEBUG=1  verbose boot
# Exit status: COMMAND's own; 124 timeout; 125 VM or setup failure (no status
# came back). --prepare: 0 ready; 77 this host cannot run the lane (the reason
# is on stderr: not root, a tool missing, too little RAM or disk, download failed).
set -euo pipefail

usage() { sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//' >&2; exit 125; }
die() { echo "vm-run: $*" >&2; exit 125; }

VM_TIMEOUT=${VM_TIMEOUT:-900} VM_MEM=${VM_MEM:-1024} VM_SMP=${VM_SMP:-2}
VM_ACCEL=${VM_ACCEL:-auto} VM_INIT=${VM_INIT:-plain} VM_MODULES=${VM_MODULES:-}
VM_CGROUP_ENABLE=${VM_CGROUP_ENABLE:-1} VM_ENV=${VM_ENV:-}
VM_CONSOLE=${VM_CONSOLE:-0} VM_KEEP=${VM_KEEP:-0} VM_RETRY=${VM_RETRY:-1}
if [ -z "${VM_CACHE:-}" ]; then
  if [ -n "${XDG_CACHE_HOME:-}" ]; then VM_CACHE=$XDG_CACHE_HOME/hull-vm; else VM_CACHE=/var/cache/hull-vm; fi
fi
prepare_only=0
[ "${1:-}" != --prepare ] || prepare_only=1
# Removed on exit: a half-built cache entry, the per-run directory.
build_tmp="" RUN=""
cleanup() {
  [ -z "$build_tmp" ] || rm -rf "$build_tmp"
  [ -n "$RUN" ] || return 0
  if [ "$VM_KEEP" = 1 ]; then echo "vm-run: kept $RUN" >&2; else rm -rf "$RUN"; fi
}
trap cleanup EXIT
case "$VM_INIT" in plain | systemd) ;; *) die "VM_INIT must be plain or systemd, not '$VM_INIT'" ;; esac

# ---------------------------------------------------------------- preflight
# cannot REASON: this host cannot run the lane: 77 from --prepare, else 125.
cannot() {
  echo "vm-run: cannot run the VM lane here: $*" >&2
  if [ "$prepare_only" = 1 ]; then exit 77; else exit 125; fi
}

preflight() {
  local tool missing="" avail_kib need_kib
  [ "$(id -u)" = 0 ] || cannot "must run as root (9p passthrough keeps host ownership)"
  for tool in qemu-system-x86_64 cpio xz gzip dpkg-deb apt-get apt-cache flock timeout mkfifo; do
    command -v "$tool" >/dev/null || missing="$missing $tool"
  done
  if [ "$VM_INIT" = systemd ]; then
    for tool in /lib/systemd/systemd dbus-daemon busctl; do
      [ -x "$tool" ] || command -v "$tool" >/dev/null || missing="$missing $tool"
    done
  fi
  [ -z "$missing" ] || cannot "missing$missing (scripts/install-deps.sh vm installs them)"
  avail_kib=$(awk '/^MemAvailable:/{print $2}' /proc/meminfo)
  need_kib=$(((VM_MEM + 512) * 1024))
  [ "$avail_kib" -ge "$need_kib" ] ||
    cannot "$((avail_kib / 1024)) MiB of RAM available, the guest needs VM_MEM=$VM_MEM MiB + 512"
  mkdir -p "$VM_CACHE" || cannot "cannot create the cache $VM_CACHE"
  # first time: the .deb (~70 MiB) and the unpacked kernel (~460 MiB before pruning)
  if [ ! -f "$VM_CACHE/current" ]; then need_kib=$((700 * 1024)); else need_kib=$((32 * 1024)); fi
  avail_kib=$(df -Pk "$VM_CACHE" | awk 'NR==2{print $4}')
  [ "$avail_kib" -ge "$need_kib" ] ||
    cannot "$((avail_kib / 1024)) MiB free in $VM_CACHE, need $((need_kib / 1024)) MiB (set VM_CACHE elsewhere)"
}

# ---------------------------------------------------------------- cache
apt_updated=0
apt_update_once() {
  [ $apt_updated = 0 ] || return 0
  apt_updated=1
  echo "vm-run: apt-get update" >&2
  apt-get update -qq >&2 || true
}

# kernel_pkg: the versioned package linux-image-amd64 depends on (e.g. linux-image-6.1.0-56-amd64).
kernel_pkg() {
  [ -z "${VM_KERNEL_PKG:-}" ] || { echo "$VM_KERNEL_PKG"; return; }
  apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/{print $2; exit}'
}

# download_debs DIR: the kernel and busybox-static .debs into DIR; prints the kernel package.
# Stale package lists name a kernel the archive no longer has: update once and ask again.
download_debs() {
  local dir=$1 pkg
  pkg=$(kernel_pkg)
  if [ -n "$pkg" ] && (cd "$dir" && apt-get download -qq "$pkg" busybox-static 2>/dev/null >&2); then
    echo "$pkg"
    return 0
  fi
  apt_update_once
  pkg=$(kernel_pkg)
  [ -n "$pkg" ] || { echo "vm-run: apt-cache knows no linux-image-amd64" >&2; return 1; }
  (cd "$dir" && apt-get download -qq "$pkg" busybox-static >&2) || return 1
  echo "$pkg"
}

# Module trees no container test needs (hardware, sound, radio): dropping them
# takes the cache from ~460 to ~150 MiB. What is left loads on demand.
PRUNE_MODULES="sound drivers/gpu drivers/media drivers/infiniband drivers/scsi drivers/usb
  drivers/iio drivers/hwmon drivers/staging drivers/hid drivers/input drivers/comedi drivers/ata
  drivers/platform drivers/bluetooth drivers/isdn drivers/mmc drivers/mtd drivers/thunderbolt
  drivers/net/wireless drivers/net/ethernet drivers/net/usb drivers/net/can drivers/net/wan
  drivers/net/ieee802154 drivers/net/hamradio net/wireless net/mac80211 net/bluetooth"

# build_kernel PKG DEBS DIR: kernel, modules and busybox unpacked into DIR.
build_kernel() {
  local pkg=$1 debs=$2 d=$3 kver m
  mkdir -p "$d/k" "$d/bb"
  dpkg-deb -x "$debs"/linux-image-*.deb "$d/k"
  dpkg-deb -x "$debs"/busybox-static_*.deb "$d/bb"
  kver=$(ls "$d/k/lib/modules")
  [ -n "$kver" ] || die "no modules in $pkg"
  for m in $PRUNE_MODULES; do rm -rf "$d/k/lib/modules/$kver/kernel/$m"; done
  mv "$d/bb/bin/busybox" "$d/busybox"
  "$d/busybox" depmod -b "$d/k" "$kver" || die "depmod failed"
  extract_vmlinux "$d/k/boot/vmlinuz-$kver" "$d/vmlinux"
  rm -rf "$d/bb" "$d/k/boot" "$d/k/usr"
  echo "$kver" >"$d/kver"
  echo "$pkg" >"$d/pkg"
}

# extract_vmlinux BZIMAGE OUT: the bzImage is xz-compressed and decompressing it
# under TCG costs ~6 s per boot, so the ELF vmlinux is extracted once and booted
# through QEMU's PVH entry point. Falls back to the bzImage itself.
extract_vmlinux() {
  local z=$1 out=$2 off
  for off in $(LC_ALL=C grep -obUaP '\xFD7zXZ\x00' "$z" | cut -d: -f1); do
    tail -c +$((off + 1)) "$z" | xz -dc --single-stream >"$out" 2>/dev/null || true
    head -c4 "$out" | grep -q ELF && return 0
  done
  cp "$z" "$out"
}

# Modules the initramfs needs to reach the 9p shares; their dependencies come along.
INITRD_MODS="virtio_pci 9pnet_virtio 9p overlay virtio_console"
GUEST=$(cd "$(dirname "$0")" && pwd)/guest

# build_initrd DIR OUT: static busybox, the two stage scripts and the modules.
build_initrd() {
  local d=$1 out=$2 kver r dep ko m order=""
  kver=$(cat "$d/kver")
  dep="$d/k/lib/modules/$kver/modules.dep"
  r=$(mktemp -d "$VM_CACHE/.initrd.XXXXXX")
  mkdir -p "$r"/{bin,proc,sys,dev,tmp}
  cp "$d/busybox" "$r/bin/busybox"
  cp "$GUEST/init" "$GUEST/stage2" "$r/"
  add_mod() { # depth first: dependencies before the module
    local path=$1 x
    case " $order " in *" $path "*) return ;; esac
    for x in $(awk -F': *' -v p="$path" '$1==p{print $2}' "$dep"); do add_mod "$x"; done
    order="$order $path"
  }
  for m in $INITRD_MODS; do
    ko=$(awk -F: -v m="/$m.ko" '{i=index($1,m)} i>0 && i==length($1)-length(m)+1{print $1; exit}' "$dep")
    [ -n "$ko" ] || die "module $m not found in $kver"
    add_mod "$ko"
  done
  for ko in $order; do
    mkdir -p "$r/lib/modules/$kver/$(dirname "$ko")"
    cp "$d/k/lib/modules/$kver/$ko" "$r/lib/modules/$kver/$ko"
    echo "lib/modules/$kver/$ko"
  done >"$r/modules.order"
  (cd "$r" && find . | cpio -o -H newc --quiet | gzip -1) >"$out.tmp" && mv "$out.tmp" "$out"
  rm -rf "$r"
}

# prepare: the cached kernel and an initramfs matching the guest scripts; sets
# KDIR, KVER and INITRD. Runs under a lock: parallel callers share one cache.
prepare() {
  local pkg hash
  exec 9>"$VM_CACHE/.lock"
  flock 9
  pkg=${VM_KERNEL_PKG:-$(cat "$VM_CACHE/current" 2>/dev/null || true)}
  if [ -z "$pkg" ] || [ ! -f "$VM_CACHE/$pkg/kver" ]; then
    build_tmp=$(mktemp -d "$VM_CACHE/.build.XXXXXX")
    mkdir "$build_tmp/debs"
    echo "vm-run: fetching the kernel and busybox-static with apt-get download (one-time)" >&2
    pkg=$(download_debs "$build_tmp/debs") || cannot "apt-get download of the kernel or busybox-static failed"
    if [ ! -f "$VM_CACHE/$pkg/kver" ]; then
      echo "vm-run: unpacking $pkg into $VM_CACHE" >&2
      build_kernel "$pkg" "$build_tmp/debs" "$build_tmp/kernel"
      rm -rf "${VM_CACHE:?}/$pkg"
      mv "$build_tmp/kernel" "$VM_CACHE/$pkg"
    fi
    rm -rf "$build_tmp"
    build_tmp=""
    [ -n "${VM_KERNEL_PKG:-}" ] || echo "$pkg" >"$VM_CACHE/current"
  fi
  KDIR=$VM_CACHE/$pkg
  KVER=$(cat "$KDIR/kver")
  hash=$({ cat "$GUEST/init" "$GUEST/stage2"; declare -f build_initrd; echo "$INITRD_MODS"; } | sha256sum | cut -c1-12)
  INITRD=$KDIR/initrd-$hash.img
  if [ ! -f "$INITRD" ]; then
    rm -f "$KDIR"/initrd-*.img
    build_initrd "$KDIR" "$INITRD"
  fi
  flock -u 9
}

if [ "$prepare_only" = 1 ]; then
  [ $# = 1 ] || usage
  preflight
  prepare
  echo "vm-run: ready: $KVER in $KDIR" >&2
  exit 0
fi
[ $# -eq 2 ] || usage
[ -d "$1" ] || die "HOSTDIR '$1' is not a directory"
HOSTDIR=$(realpath "$1")
CMD=$2
# The guest mounts its own /proc, /sys and /dev (but a fresh tmpfs /dev/shm).
case "$HOSTDIR" in / | /proc | /proc/* | /sys | /sys/* | /dev | /dev/shm | /dev/pts* | /dev/mqueue*) die "refusing to share $HOSTDIR" ;; esac
case "$HOSTDIR" in /dev/shm/*) ;; /dev/*) die "refusing to share $HOSTDIR" ;; esac
preflight
prepare

# ---------------------------------------------------------------- per run
RUN=$(mktemp -d "${TMPDIR:-/tmp}/vm-run.XXXXXX")
mkdir "$RUN/ctl"
# shell_quote NAME VALUE: NAME='VALUE' for the guest's shell.
shell_quote() { printf "%s='%s'\n" "$1" "$(printf '%s' "$2" | sed "s/'/'\\\\''/g")"; }
{
  shell_quote HOSTDIR "$HOSTDIR"
  shell_quote KVER "$KVER"
  shell_quote MODULES "$VM_MODULES"
  shell_quote CGROUP_ENABLE "$VM_CGROUP_ENABLE"
  shell_quote INIT "$VM_INIT"
} >"$RUN/ctl/config"
{
  for v in $VM_ENV; do
    [ -z "${!v+x}" ] || printf 'export %s\n' "$(shell_quote "$v" "${!v}")"
  done
  printf '%s\n' "$CMD"
} >"$RUN/ctl/cmd"

accel=$VM_ACCEL
if [ "$accel" = auto ]; then
  accel=tcg
  if [ -r /dev/kvm ] && [ -w /dev/kvm ] && grep -qwE 'vmx|svm' /proc/cpuinfo; then accel=kvm; fi
fi
if [ "$accel" = kvm ]; then A=(-accel kvm -cpu "${VM_CPU:-host}"); else A=(-accel tcg -cpu "${VM_CPU:-max}"); fi
# quiet boot, no spectre mitigations (TCG pays dearly for them), no crypto self
# tests, a stalled guest panics (then VM_RETRY boots again) instead of hanging;
# tsc=reliable: with 2 vCPUs under TCG the kernel finds the TSCs out of sync and
# falls back to the HPET, whose every read is an emulated MMIO exit (fork+wait
# and bats run 2-4x slower).
if [ -n "${VM_DEBUG:-}" ]; then verbosity="initcall_debug loglevel=8"; else verbosity="quiet loglevel=4"; fi
APPEND="console=ttyS0 $verbosity panic=-1 cgroup_no_v1=all systemd.unified_cgroup_hierarchy=1"
APPEND+=" mitigations=off random.trust_cpu=on cryptomgr.notests acpi=noirq tsc=reliable softlockup_panic=1"
APPEND+=" hung_task_panic=1 hung_task_timeout_secs=120 ${VM_APPEND:-}"
V9=security_model=passthrough

# boot_once: one VM boot; sets qrc to QEMU's exit status.
boot_once() {
  local catpid
  rm -f "$RUN/out" "$RUN/ctl/rc"
  mkfifo "$RUN/out"
  cat "$RUN/out" & # the command's output as it comes: virtio serial port -> fifo -> stdout
  catpid=$!
  set +e
  timeout -k 5 "$VM_TIMEOUT" qemu-system-x86_64 "${A[@]}" -m "$VM_MEM" -smp "$VM_SMP" \
    -nodefaults -no-user-config -display none -no-reboot \
    -kernel "$KDIR/vmlinux" -initrd "$INITRD" -append "$APPEND" \
    -serial "file:$RUN/console.log" -chardev "file,id=out,path=$RUN/out" \
    -device virtio-serial-pci,id=vser0 -device virtserialport,bus=vser0.0,chardev=out,name=vmrun.out \
    -fsdev "local,id=fs0,path=/,$V9,readonly=on,multidevs=remap" -device virtio-9p-pci,fsdev=fs0,mount_tag=hostroot \
    -fsdev "local,id=fs1,path=$HOSTDIR,$V9,multidevs=remap" -device virtio-9p-pci,fsdev=fs1,mount_tag=host0 \
    -fsdev "local,id=fs2,path=$RUN/ctl,$V9" -device virtio-9p-pci,fsdev=fs2,mount_tag=vmctl \
    -fsdev "local,id=fs3,path=$KDIR/k/lib/modules/$KVER,$V9,readonly=on" \
    -device virtio-9p-pci,fsdev=fs3,mount_tag=modules </dev/null
  qrc=$?
  # QEMU never opened the fifo (it failed to start): unblock the reader.
  if kill -0 $catpid 2>/dev/null; then timeout 2 bash -c ': > "$1"' _ "$RUN/out" 2>/dev/null; fi
  wait $catpid
  set -e
  if [ "$VM_CONSOLE" = 1 ]; then
    echo "---- guest console ($accel) ----" >&2
    cat "$RUN/console.log" >&2
  fi
}

STALL='soft lockup|rcu_.* stall|blocked for more than|Kernel panic'
attempt=0
while :; do
  boot_once
  [ ! -s "$RUN/ctl/rc" ] || break
  attempt=$((attempt + 1))
  if [ $attempt -le "$VM_RETRY" ] && grep -aqE "$STALL" "$RUN/console.log"; then
    echo "vm-run: guest kernel stalled ($(grep -aoE "$STALL" "$RUN/console.log" | head -1));" \
      "running the whole command again (attempt $((attempt + 1)))" >&2
    continue
  fi
  break
done
if [ ! -s "$RUN/ctl/rc" ]; then
  if [ "$qrc" = 124 ] || [ "$qrc" = 137 ]; then
    echo "vm-run: TIMEOUT after ${VM_TIMEOUT}s ($accel); last console lines:" >&2
    tail -n 20 "$RUN/console.log" >&2
    exit 124
  fi
  echo "vm-run: the VM ended (qemu exit $qrc, $accel) without the command's status; last console lines:" >&2
  tail -n 30 "$RUN/console.log" >&2
  exit 125
fi
exit "$(cat "$RUN/ctl/rc")"
