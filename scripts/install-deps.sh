#!/bin/sh
# Installs what hull needs from Debian 12's archive.
#   scripts/install-deps.sh build   - to build hull and run a container
#   scripts/install-deps.sh test    - also what the test suite needs (with vm)
#   scripts/install-deps.sh vm      - what the VM lane needs (tests/vm: QEMU, and the
#                                     systemd and D-Bus the guest boots as PID 1,
#                                     apparmor_parser for the guest's AppArmor)
#   scripts/install-deps.sh bench   - what tests/bench compares against (runc, crun)
set -eu
what=${1:-build}
build_pkgs="meson ninja-build pkg-config g++ libyajl-dev libseccomp-dev libcap-dev libfmt-dev busybox-static jq"
# podman (with conmon), containerd (with its runc shim and ctr): tests/integration/engines.bats
# and containerd.bats run them with the runtime under test
test_pkgs="clang-14 libclang-rt-14-dev lld-14 doctest-dev bats python3-jsonschema runc bc iproute2 procps util-linux bsdutils golang-github-containers-common podman containerd"
bench_pkgs="runc crun time bc"
# apparmor: apparmor_parser, for lsm.bats's profiles in the guest (its kernel runs AppArmor)
vm_pkgs="qemu-system-x86 cpio xz-utils gzip binutils systemd dbus apparmor"
case "$what" in
  build) pkgs=$build_pkgs ;;
  test) pkgs="$build_pkgs $test_pkgs $vm_pkgs" ;;
  vm) pkgs="$vm_pkgs bats runc" ;;
  bench) pkgs="$build_pkgs $bench_pkgs" ;;
  *) echo "usage: $0 build|test|bench|vm" >&2; exit 2 ;;
esac
missing=""
for p in $pkgs; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
