#!/bin/sh
# README's first command: install the build dependencies, build hull
# (statically linked: it starts faster and its peak RSS is lower, see
# README "Performance") and run a busybox container that prints from inside.
set -eu
repo=$(cd "$(dirname "$0")/.." && pwd)
"$repo/scripts/install-deps.sh" build
build="$repo/build-release"
[ -f "$build/build.ninja" ] || meson setup "$build" "$repo" --buildtype=release -Dstatic=true -Dtests=false >/dev/null
ninja -C "$build" src/hull >/dev/null
hull="$build/src/hull"
"$hull" --version
[ "$(id -u)" = 0 ] || { echo "demo: running a container needs root (try: sudo $0)" >&2; exit 1; }
scratch=$(mktemp -d /dev/shm/hull-demo.XXXXXX 2>/dev/null || mktemp -d)
trap 'rm -rf "$scratch"' EXIT
HULL=$hull "$repo/scripts/make-bundle.sh" "$scratch/bundle" sh -c \
  'echo "hello from inside a hull container: $(hostname), pid $$, $(id -un), kernel $(uname -r)"; ls /'
cd "$scratch/bundle"
"$hull" --root "$scratch/state" run "hull-demo-$$"
