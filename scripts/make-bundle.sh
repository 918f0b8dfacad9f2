#!/bin/sh
# make-bundle.sh DIR [ARGS...]: an OCI bundle in DIR whose rootfs is Debian's
# busybox-static, with `hull spec`'s config.json adjusted to run ARGS (default:
# sh) without a terminal. Used by the README's main command and the tests.
# BUSYBOX_ROOTFS_CACHE=DIR: the rootfs is built once in DIR and copied from
# there, one cp instead of ~400 ln (a bundle per test costs a minute of forks
# under the VM lane's TCG, tests/vm).
set -eu
dir=$1
shift
hull=${HULL:-$(cd "$(dirname "$0")/.." && pwd)/build/src/hull}
busybox=/bin/busybox
[ -x "$busybox" ] || { echo "make-bundle: $busybox missing (apt-get install busybox-static)" >&2; exit 1; }
rootfs="$dir/rootfs"

# make_rootfs DIR: busybox, a link per applet, passwd and group.
make_rootfs() {
  mkdir -p "$1/bin" "$1/etc" "$1/proc" "$1/sys" "$1/dev" "$1/tmp" "$1/root"
  cp "$busybox" "$1/bin/busybox"
  for applet in $("$busybox" --list); do
    [ -e "$1/bin/$applet" ] || ln -s busybox "$1/bin/$applet"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' > "$1/etc/passwd"
  printf 'root:x:0:\ntty:x:5:\nnogroup:x:65534:\n' > "$1/etc/group"
  chmod 1777 "$1/tmp"
}

cache=${BUSYBOX_ROOTFS_CACHE:-}
if [ -z "$cache" ]; then
  make_rootfs "$rootfs"
else
  if [ ! -x "$cache/bin/busybox" ]; then
    # built aside and renamed: a concurrent caller never copies half a tree
    mkdir -p "$(dirname "$cache")"
    tmp=$(mktemp -d "$cache.XXXXXX")
    chmod 755 "$tmp"
    make_rootfs "$tmp"
    mv -T "$tmp" "$cache" 2>/dev/null || rm -rf "$tmp"
  fi
  mkdir -p "$rootfs"
  cp -a "$cache/." "$rootfs/"
fi
rm -f "$dir/config.json"
"$hull" spec --bundle "$dir"
# Not a terminal by default (tests and the demo have no tty), then ARGS as the process.
[ $# -gt 0 ] || set -- sh
# One jq per argument: jq would take an argument such as "-c" for its own option.
args_json=$(for a in "$@"; do jq -n --arg a "$a" '$a'; done | jq -cs .)
jq --argjson args "$args_json" '.process.terminal = false | .process.args = $args' "$dir/config.json" > "$dir/config.json.new"
mv "$dir/config.json.new" "$dir/config.json"
