#!/usr/bin/env bats
# Mount options that need more than mount(2): a bind's per-mount flags (a
# remount of the new mount), idmap/ridmap (mount_setattr MOUNT_ATTR_IDMAP)
# and tmpcopyup (a tmpfs seeded with what it covers).

load lifecycle_setup

setup() {
  lifecycle_setup
  SRC=$TEST_DIR/src
  mkdir -p "$SRC"
  echo root-owned > "$SRC/a"
  echo user-owned > "$SRC/b"
  chown 1000:1000 "$SRC/b"
}
teardown() {
  if [ -n "${SRC_MOUNTED:-}" ]; then umount -l "$SRC" 2>/dev/null || true; fi
  lifecycle_teardown
}

require_idmap() {
  require_runtime_feature '.mountOptions | index("idmap")' "idmapped mounts"
}

# A bind of $SRC on /data with the given options and extra mount fields.
add_data_mount() {  # OPTIONS-JSON [EXTRA-FIELDS-JSON]
  update_config "$BUNDLE" --arg src "$SRC" --argjson opts "$1" --argjson extra "${2:-{\}}" \
    '.mounts += [{"destination": "/data", "type": "bind", "source": $src, "options": $opts} + $extra]'
}

# MOUNT_OPTS (in a container's sh, after `set -- DIR`): the per-mount
# options (mountinfo field 6) of the top mount on DIR.
MOUNT_OPTS='awk -v d="$1" '"'"'$5 == d {o = $6} END {print o}'"'"' /proc/self/mountinfo'

@test "a bind mount gets its ro, nosuid, nodev and noexec" {
  make_bundle "$BUNDLE" sh -c "set -- /data; $MOUNT_OPTS; touch /data/new 2>&1 || true"
  add_data_mount '["rbind", "ro", "nosuid", "nodev", "noexec"]'
  run runtime run --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 0 ] || fail "$output"
  for flag in ro nosuid nodev noexec; do
    [[ ",${lines[0]}," == *",$flag,"* ]] || fail "/data lacks $flag: $output"
  done
  [[ "$output" == *"Read-only file system"* ]] || fail "/data is writable: $output"
  [ ! -e "$SRC/new" ]
}

@test "a bind with flags onto a mount point (podman's /dev/shm) covers it; the tmpfs beneath keeps its options" {
  # The bind sits on top of the destination's own mount: the flags must go
  # to the bind, not to the tmpfs below it (/dev/shm is nosuid,noexec,nodev,
  # and a remount there with only nosuid would drop the other two).
  make_bundle "$BUNDLE" sh -c "grep ' /dev/shm ' /proc/self/mountinfo | cut -d' ' -f6"
  update_config "$BUNDLE" --arg src "$SRC" \
    '.mounts += [{"destination": "/dev/shm", "type": "bind", "source": $src, "options": ["bind", "rprivate", "nosuid"]}]'
  run runtime run --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 0 ] || fail "$output"
  [ "${#lines[@]}" -eq 2 ] || fail "expected the tmpfs and the bind on /dev/shm: $output"
  for flag in nosuid nodev noexec; do
    [[ ",${lines[0]}," == *",$flag,"* ]] || fail "the tmpfs lost $flag: $output"
  done
  [[ ",${lines[1]}," == *",nosuid,"* ]] || fail "the bind lacks nosuid: $output"
  [[ ",${lines[1]}," != *",noexec,"* ]] || fail "the bind took the tmpfs's noexec: $output"
}

@test "in a user namespace, a ro bind keeps the source's locked nosuid and nodev" {
  # $SRC becomes a nosuid,nodev tmpfs: a remount asking for ro alone would
  # clear flags a user namespace cannot clear (EPERM); they are kept instead.
  hull_only "runc 1.1.5 retries with ro added only, and fails with EPERM (later runc keep the locked flags too)"
  mount -t tmpfs -o nosuid,nodev,size=1m,mode=755 hulltest-src "$SRC"
  SRC_MOUNTED=1
  make_bundle "$BUNDLE" sh -c "set -- /data; $MOUNT_OPTS"
  use_user_namespace "$BUNDLE"
  add_data_mount '["bind", "ro"]'
  run runtime run --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 0 ] || fail "$output"
  for flag in ro nosuid nodev; do
    [[ ",${lines[0]}," == *",$flag,"* ]] || fail "/data lacks $flag: $output"
  done
}

@test "in a user namespace, binds whose sources the container's root cannot reach are mounted (the host opens them)" {
  # secret/ is 0700 root:root: the container's root (host uid 100000) may not
  # search it, so it could not reach a source below it by path, nor stat one.
  local secret=$TEST_DIR/secret
  mkdir -m 0700 "$secret"
  mkdir -m 0755 "$secret/dir"
  echo in-dir > "$secret/dir/file"
  echo a-file > "$secret/file"
  chmod 0644 "$secret/dir/file" "$secret/file"
  make_bundle "$BUNDLE" sh -c "stat -c '%u %g %a' /secret /data; cat /data/file /secret-file
    set -- /secret; $MOUNT_OPTS; ls /secret 2>&1 || true"
  use_user_namespace "$BUNDLE"
  update_config "$BUNDLE" --arg s "$secret" '.mounts += [
    {"destination": "/secret", "type": "bind", "source": $s, "options": ["rbind", "ro"]},
    {"destination": "/data", "type": "bind", "source": ($s + "/dir"), "options": ["bind"]},
    {"destination": "/secret-file", "type": "bind", "source": ($s + "/file"), "options": ["bind", "ro"]}]'
  run runtime run --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 0 ] || fail "$output"
  # root:root is unmapped in the container: the overflow ids
  [ "${lines[0]}" = "65534 65534 700" ] || fail "$output"
  [ "${lines[1]}" = "65534 65534 755" ] || fail "$output"
  [ "${lines[2]}" = in-dir ] || fail "$output"
  [ "${lines[3]}" = a-file ] || fail "$output"
  [[ ",${lines[4]}," == *",ro,"* ]] || fail "/secret is not read-only: $output"
  # Mounted, but what is inside stays the host root's.
  [[ "${lines[5]}" == *"Permission denied"* ]] || fail "$output"
}

@test "in a user namespace, the container's root cannot remount rw a bind of a host read-only mount" {
  # $SRC: a tmpfs anyone may write to, whose mount (not its superblock) is
  # read-only. The bind in the container is the copy the user namespace
  # got, with ro locked: a tree cloned by the host would have no lock.
  mount -t tmpfs -o size=1m,mode=1777 hulltest-src "$SRC"
  SRC_MOUNTED=1
  mount -o remount,bind,ro "$SRC"
  make_bundle "$BUNDLE" sh -c 'mount -o remount,bind,rw /data 2>&1; touch /data/new 2>&1; echo done'
  use_user_namespace "$BUNDLE"
  update_config "$BUNDLE" '.process.capabilities = {"bounding": ["CAP_SYS_ADMIN"], "effective": ["CAP_SYS_ADMIN"],
    "permitted": ["CAP_SYS_ADMIN"]}'
  add_data_mount '["rbind"]'
  run runtime run --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 0 ] || fail "$output"
  [[ "$output" == *"Read-only file system"* ]] || fail "/data became writable: $output"
  [ ! -e "$SRC/new" ]
}

@test "idmap with the mount's own mappings shows on-disk ids through them" {
  require_idmap
  make_bundle "$BUNDLE" sh -c 'stat -c "%u %g" /data/a /data/b; cat /data/a'
  add_data_mount '["bind", "idmap"]' '{"uidMappings": [{"containerID": 0, "hostID": 2000, "size": 1001}],
    "gidMappings": [{"containerID": 0, "hostID": 3000, "size": 1001}]}'
  run runtime run --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = "2000 3000" ]
  [ "${lines[1]}" = "3000 4000" ]
  [ "${lines[2]}" = root-owned ]
  # the host's view is unchanged
  [ "$(stat -c %u "$SRC/a")" = 0 ]
}

@test "idmap without mappings takes the container's user namespace" {
  require_idmap
  make_bundle "$BUNDLE" sh -c 'stat -c "%u %g" /data/a /data/b'
  use_user_namespace "$BUNDLE"
  add_data_mount '["bind", "idmap"]'
  run runtime run --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 0 ]
  # without the idmap these would be the overflow id 65534
  [ "${lines[0]}" = "0 0" ]
  [ "${lines[1]}" = "1000 1000" ]
}

@test "ridmap maps the mounts below an rbind, idmap only the top one" {
  require_idmap
  # The submount lives in a private mount namespace that ends with the test.
  make_bundle "$BUNDLE" sh -c 'stat -c %u /data/a /data/sub/c'
  mkdir "$SRC/sub"
  maps='{"uidMappings": [{"containerID": 0, "hostID": 2000, "size": 1}], "gidMappings": [{"containerID": 0, "hostID": 2000, "size": 1}]}'
  for opt in idmap ridmap; do
    cp "$BUNDLE/config.json" "$TEST_DIR/config.orig"
    add_data_mount "[\"rbind\", \"$opt\"]" "$maps"
    run unshare -m --propagation private sh -c 'mount -t tmpfs tmpfs "$1/sub" && touch "$1/sub/c" && shift && exec "$@"' \
      sh "$SRC" "$RUNTIME_BIN" --root "$TEST_ROOT" run --bundle "$BUNDLE" "$ID-$opt"
    cp "$TEST_DIR/config.orig" "$BUNDLE/config.json"
    [ "$status" -eq 0 ]
    [ "${lines[0]}" = 2000 ]
    if [ "$opt" = ridmap ]; then [ "${lines[1]}" = 2000 ]; else [ "${lines[1]}" = 0 ]; fi
  done
}

@test "idmap on a mount that is not a bind is refused, naming the mount" {
  require_idmap
  make_bundle "$BUNDLE" true
  update_config "$BUNDLE" '.mounts += [{"destination": "/data", "type": "tmpfs", "source": "tmpfs", "options": ["idmap"],
    "uidMappings": [{"containerID": 0, "hostID": 2000, "size": 1}], "gidMappings": [{"containerID": 0, "hostID": 2000, "size": 1}]}]'
  run runtime run --bundle "$BUNDLE" "$ID"
  [ "$status" -ne 0 ]
  [[ "$output" == *"/data"* ]]
  [ -z "$(ls "$TEST_ROOT")" ]
}

@test "idmap with no mappings and no user namespace is refused, naming the mount" {
  require_idmap
  make_bundle "$BUNDLE" true
  add_data_mount '["bind", "idmap"]'
  run runtime run --bundle "$BUNDLE" "$ID"
  [ "$status" -ne 0 ]
  [[ "$output" == *"/data"* ]]
  [[ "$output" == *"user namespace"* ]]
}

@test "tmpcopyup puts a tmpfs over a directory, seeded with its contents" {
  require_runtime_feature '.mountOptions | index("tmpcopyup")' "tmpcopyup"
  make_bundle "$BUNDLE" sh -c 'grep -c root /etc/passwd; readlink /etc/link; stat -c "%u %a" /etc/owned /etc/sub /etc/sub/deep;
    touch /etc/new && echo writable; grep " /etc " /proc/self/mountinfo'
  ln -s passwd "$BUNDLE/rootfs/etc/link"
  echo x > "$BUNDLE/rootfs/etc/owned" && chown 1234 "$BUNDLE/rootfs/etc/owned" && chmod 640 "$BUNDLE/rootfs/etc/owned"
  mkdir -p "$BUNDLE/rootfs/etc/sub/deep" && chmod 710 "$BUNDLE/rootfs/etc/sub"
  update_config "$BUNDLE" '.mounts += [{"destination": "/etc", "type": "tmpfs", "source": "tmpfs", "options": ["tmpcopyup", "nosuid"]}]'
  run runtime run --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = 1 ]
  [ "${lines[1]}" = passwd ]
  [ "${lines[2]}" = "1234 640" ]
  [ "${lines[3]}" = "0 710" ]
  [ "${lines[4]}" = "0 755" ]
  [ "${lines[5]}" = writable ]
  [[ "${lines[6]}" == *" - tmpfs "* ]]
  # the write went to the tmpfs, not to the bundle
  [ ! -e "$BUNDLE/rootfs/etc/new" ]
}

@test "tmpcopyup with ro copies first, then the tmpfs is read-only" {
  require_runtime_feature '.mountOptions | index("tmpcopyup")' "tmpcopyup"
  make_bundle "$BUNDLE" sh -c 'cat /etc/group | head -1; touch /etc/new 2>/dev/null && echo writable || echo read-only'
  update_config "$BUNDLE" '.mounts += [{"destination": "/etc", "type": "tmpfs", "source": "tmpfs", "options": ["tmpcopyup", "ro"]}]'
  run runtime run --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = root:x:0: ]
  [ "${lines[1]}" = read-only ]
}

@test "tmpcopyup on a mount that is not a tmpfs is refused, naming the mount" {
  hull_only "runc ignores tmpcopyup on other types"
  make_bundle "$BUNDLE" true
  add_data_mount '["bind", "tmpcopyup"]'
  run runtime run --bundle "$BUNDLE" "$ID"
  [ "$status" -ne 0 ]
  [[ "$output" == *"/data"* ]]
  [[ "$output" == *tmpfs* ]]
}
