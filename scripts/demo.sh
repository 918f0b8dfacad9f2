#!/bin/sh
# README's first command: install the build dependencies, build hull and run
# the main job (prints the features document until the lifecycle lands).
set -eu
repo=$(cd "$(dirname "$0")/.." && pwd)
"$repo/scripts/install-deps.sh" build
build="$repo/build"
[ -f "$build/build.ninja" ] || meson setup "$build" "$repo" >/dev/null
ninja -C "$build" src/hull >/dev/null
"$build/src/hull" --version
"$build/src/hull" features
