#!/bin/sh
# make-bundle.sh DIR [ARGS...]: an OCI bundle in DIR whose rootfs is Debian's
# busybox-static, with `hull spec`'s config.json adjusted to run ARGS (default:
# sh) without a terminal. Used by the README's main command and the tests.
set -eu
dir=$1
shift
hull=${HULL:-$(cd "$(dirname "$0")/.." && pwd)/build/src/hull}
busybox=/bin/busybox
[ -x "$busybox" ] || { echo "make-bundle: $busybox missing (apt-get install busybox-static)" >&2; exit 1; }
rootfs="$dir/rootfs"
mkdir -p "$rootfs/bin" "$rootfs/etc" "$rootfs/proc" "$rootfs/sys" "$rootfs/dev" "$rootfs/tmp" "$rootfs/root"
cp "$busybox" "$rootfs/bin/busybox"
for applet in $("$busybox" --list); do
  [ -e "$rootfs/bin/$applet" ] || ln -s busybox "$rootfs/bin/$applet"
done
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' > "$rootfs/etc/passwd"
printf 'root:x:0:\ntty:x:5:\nnogroup:x:65534:\n' > "$rootfs/etc/group"
chmod 1777 "$rootfs/tmp"
rm -f "$dir/config.json"
"$hull" spec --bundle "$dir"
# Not a terminal by default (tests and the demo have no tty), then ARGS as the process.
[ $# -gt 0 ] || set -- sh
# One jq per argument: jq would take an argument such as "-c" for its own option.
args_json=$(for a in "$@"; do jq -n --arg a "$a" '$a'; done | jq -cs .)
jq --argjson args "$args_json" '.process.terminal = false | .process.args = $args' "$dir/config.json" > "$dir/config.json.new"
mv "$dir/config.json.new" "$dir/config.json"
