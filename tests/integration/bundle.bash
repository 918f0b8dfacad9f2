# Helpers for tests that run real containers (load after helpers.bash).
# Every container id, root and bundle is unique to the test and removed in
# teardown, also when the test fails.

# One busybox tree per bats run, copied into each bundle (scripts/make-bundle.sh).
BUSYBOX_ROOTFS_CACHE=${BUSYBOX_ROOTFS_CACHE:-$BATS_RUN_TMPDIR/busybox-rootfs}

# make_bundle DIR [ARGS...]: a busybox bundle running ARGS (default: sh).
make_bundle() {
  HULL=$HULL BUSYBOX_ROOTFS_CACHE=$BUSYBOX_ROOTFS_CACHE "$REPO/scripts/make-bundle.sh" "$@" >/dev/null
}

# update_config DIR JQ-FILTER: edits DIR/config.json in place.
update_config() {
  local dir=$1
  shift
  jq "$@" "$dir/config.json" > "$dir/config.json.new" && mv "$dir/config.json.new" "$dir/config.json"
}

# use_user_namespace DIR: a new user namespace mapping 0-65535 to host ids
# 100000-165535, the rootfs chowned to match, and without what a user
# namespace cannot have on this host (the cgroup mount, devpts' gid=5).
use_user_namespace() {
  update_config "$1" '.linux.namespaces += [{"type": "user"}]
    | .linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
    | .linux.gidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
    | .mounts |= map(select(.destination != "/sys/fs/cgroup"))
    | .mounts |= map(if .destination == "/dev/pts" then .options -= ["gid=5"] else . end)'
  chown -R 100000:100000 "$1/rootfs"
}

# runtime ARGS...: the runtime under test with the test's own state root.
runtime() {
  "$RUNTIME_BIN" --root "$TEST_ROOT" "$@"
}

# container_status ID: the status field of `state`, or "gone".
container_status() {
  local json
  # Not a pipe into jq: jq exits 0 on the empty output of a failed state.
  json=$(runtime state "$1" 2>/dev/null) && jq -r .status <<<"$json" || echo gone
}

# wait_status ID STATUS [TRIES]: polls until the container reaches STATUS.
wait_status() {
  local i
  for i in $(seq "${3:-100}"); do
    [ "$(container_status "$1")" = "$2" ] && return 0
    sleep 0.05
  done
  echo "container $1 did not reach $2 (is $(container_status "$1"))" >&2
  return 1
}

# cleanup_containers: force-deletes every container in the test's root.
cleanup_containers() {
  local id
  [ -d "$TEST_ROOT" ] || return 0
  for id in $(ls "$TEST_ROOT" 2>/dev/null); do
    "$RUNTIME_BIN" --root "$TEST_ROOT" delete --force "$id" >/dev/null 2>&1 || true
  done
}

# run_detached ARGS...: as bats' `run runtime ARGS`, for commands that leave
# a container behind. The container inherits the runtime's stdio (as with
# runc), so output goes to a file: a pipe would stay open while it lives.
run_detached() {
  status=0
  "$RUNTIME_BIN" --root "$TEST_ROOT" "$@" </dev/null >"$TEST_DIR/detached.out" 2>&1 || status=$?
  output=$(cat "$TEST_DIR/detached.out")
}
