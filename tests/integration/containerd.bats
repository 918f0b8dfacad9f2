#!/usr/bin/env bats
# The runtime under test as containerd's runtime: containerd 1.6 and its
# io.containerd.runc.v2 shim drive it through ctr (BinaryName = the runtime,
# as a containerd config's runtime options or `ctr run --runc-binary` set it):
# create/start/delete with the shim's --log JSON, exec, pause/resume, ps,
# kill and a terminal (ctr 1.6 has no `tasks update`) (docs/engines.md, "containerd").
#
# Each test starts its own containerd: root, state, sockets and the runtime's
# state root live in the test's directory, the containerd namespace and the
# cgroups are named after the test, the rootfs is make-bundle.sh's busybox
# tree (`ctr run --rootfs`: no image, no snapshotter, no registry) and there
# is no network. The shim puts its sockets in /run/containerd/s whatever the
# config says (containerd 1.6): made there only if missing, removed if made.

load lifecycle_setup

setup() {
  lifecycle_setup
  command -v containerd >/dev/null && command -v ctr >/dev/null ||
    skip "containerd is not installed (scripts/install-deps.sh test installs it)"
  command -v containerd-shim-runc-v2 >/dev/null || skip "containerd-shim-runc-v2 is not installed"
  make_bundle "$BUNDLE" true
  ROOTFS=$BUNDLE/rootfs
  # The shim runs the runtime with --root RUNC-ROOT/NAMESPACE.
  RUNC_ROOT=$TEST_ROOT/$ID
  start_containerd
}

teardown() {
  [ -n "${TEST_DIR:-}" ] || return 0
  stop_containerd
  # The shim's runtime root is the namespace's directory below TEST_ROOT.
  [ -z "${RUNC_ROOT:-}" ] || TEST_ROOT=$RUNC_ROOT cleanup_containers
  unmount_under "$TEST_DIR"
  # ctr's cgroups path is /NAMESPACE/ID: the namespace is $ID.
  remove_cgroups_named "$ID"
  [ -z "${MADE_SHIM_DIR:-}" ] || rmdir /run/containerd/s 2>/dev/null || true
  [ -z "${MADE_RUN_DIR:-}" ] || rmdir /run/containerd 2>/dev/null || true
  lifecycle_teardown
}

# start_containerd: a containerd of the test's own, ready for ctr.
start_containerd() {
  CTR_DIR=$TEST_DIR/containerd
  CTR_SOCK=$CTR_DIR/containerd.sock
  mkdir -p "$CTR_DIR"
  [ -d /run/containerd ] || MADE_RUN_DIR=1
  [ -d /run/containerd/s ] || MADE_SHIM_DIR=1
  cat >"$CTR_DIR/config.toml" <<CONF
version = 2
root = "$CTR_DIR/root"
state = "$CTR_DIR/state"
disabled_plugins = ["io.containerd.grpc.v1.cri", "io.containerd.snapshotter.v1.btrfs",
  "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper",
  "io.containerd.snapshotter.v1.aufs", "io.containerd.tracing.processor.v1.otlp"]
[grpc]
  address = "$CTR_SOCK"
[ttrpc]
  address = "$CTR_SOCK.ttrpc"
[plugins."io.containerd.internal.v1.opt"]
  path = "$CTR_DIR/opt"
CONF
  # Its own session, stdio to a file: bats waits for whatever holds its pipes.
  setsid containerd --config "$CTR_DIR/config.toml" </dev/null >"$CTR_DIR/log" 2>&1 3>&- &
  echo $! >"$TEST_DIR/containerd.pid"
  local i
  for i in $(seq 100); do
    ctr_ version >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  fail "containerd did not come up: $(tail -n 20 "$CTR_DIR/log")"
}

# stop_containerd: removes the test's tasks and containers (the shims exit
# with them), then stops containerd; a shim still left is killed by its
# namespace, which is the test's own id.
stop_containerd() {
  [ -f "$TEST_DIR/containerd.pid" ] || return 0
  local c pid
  for c in $(ctr_ containers ls -q 2>/dev/null); do
    ctr_ tasks kill -s SIGKILL "$c" >/dev/null 2>&1 || true
    ctr_ tasks delete -f "$c" >/dev/null 2>&1 || true
    ctr_ containers delete "$c" >/dev/null 2>&1 || true
  done
  pid=$(cat "$TEST_DIR/containerd.pid")
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
  for pid in $(grep -lzx -- "$ID" /proc/[0-9]*/cmdline 2>/dev/null | cut -d/ -f3); do
    grep -qz -- '^-namespace$' "/proc/$pid/cmdline" 2>/dev/null && kill -9 "$pid" 2>/dev/null
  done
  rm -f "$TEST_DIR/containerd.pid"
}

# ctr_ ARGS...: ctr on the test's containerd, in the test's namespace, for
# at most a minute (a hung shim fails the test instead of stalling the suite).
ctr_() {
  timeout 60 ctr --address "$CTR_SOCK" --namespace "$ID" "$@"
}

# ctr_run_args: `ctr run`'s options for the test's rootfs and the runtime
# under test. Without an image there is no PATH (runc needs one to find sh).
ctr_run_args() {
  printf '%s\n' --runc-binary "$RUNTIME_BIN" --runc-root "$TEST_ROOT" --fifo-dir "$TEST_DIR/fifo" \
    --env PATH=/usr/sbin:/usr/bin:/sbin:/bin --rootfs
}

# ctr_run [OPTIONS] ARGS...: `ctr run` of the test's rootfs running ARGS.
ctr_run() {
  local opts=()
  while [[ "${1:-}" == -* ]]; do opts+=("$1"); shift; done
  mapfile -t -O "${#opts[@]}" opts < <(ctr_run_args)
  ctr_ run "${opts[@]}" "$ROOTFS" "$ID" "$@"
}

# task_status: the STATUS column of the test's task (RUNNING, PAUSED, STOPPED).
task_status() {
  ctr_ tasks ls | awk -v id="$ID" '$1 == id {print $3}'
}

# no_runtime_state: the runtime's state root for the namespace is empty.
no_runtime_state() {
  [ -z "$(ls "$RUNC_ROOT" 2>/dev/null)" ] || fail "runtime state left: $(ls "$RUNC_ROOT")"
}

@test "ctr run: output and exit status come back through the shim; delete leaves no state" {
  run ctr_run --rm sh -c 'echo to-stdout; echo to-stderr >&2; exit 7'
  [ "$status" -eq 7 ] || fail "status $status: $output"
  [[ "$output" == *to-stdout* ]] || fail "$output"
  [[ "$output" == *to-stderr* ]] || fail "$output"
  no_runtime_state
  [ -z "$(ctr_ containers ls -q)" ] || fail "containers left: $(ctr_ containers ls -q)"
}

@test "ctr: a detached task with exec, ps, pause, resume, kill and delete" {
  run ctr_run -d sleep 1000
  [ "$status" -eq 0 ] || fail "$output"
  [ "$(task_status)" = RUNNING ] || fail "task: $(ctr_ tasks ls)"
  [ "$("$RUNTIME_BIN" --root "$RUNC_ROOT" state "$ID" | jq -r .status)" = running ]

  run ctr_ tasks exec --fifo-dir "$TEST_DIR/fifo" --exec-id "x-$RANDOM" "$ID" sh -c 'tr "\0" " " </proc/1/cmdline; echo; id -u'
  [ "$status" -eq 0 ] || fail "exec: $output"
  [ "${lines[0]}" = "sleep 1000 " ] || fail "pid 1 in the exec'd process's view: $output"
  [ "${lines[1]}" = 0 ] || fail "$output"
  run ctr_ tasks exec --fifo-dir "$TEST_DIR/fifo" --exec-id "x-$RANDOM" "$ID" sh -c 'exit 5'
  [ "$status" -eq 5 ] || fail "exec status $status: $output"

  # ps: the shim asks the runtime (`ps --format json`) for the pids.
  pid=$(ctr_ tasks ls | awk -v id="$ID" '$1 == id {print $2}')
  run ctr_ tasks ps "$ID"
  [ "$status" -eq 0 ] || fail "ps: $output"
  [[ "$output" == *"$pid"* ]] || fail "init pid $pid not in: $output"

  run ctr_ tasks pause "$ID"
  [ "$status" -eq 0 ] || fail "pause: $output"
  [ "$(task_status)" = PAUSED ] || fail "task: $(ctr_ tasks ls)"
  [ "$("$RUNTIME_BIN" --root "$RUNC_ROOT" state "$ID" | jq -r .status)" = paused ]
  run ctr_ tasks resume "$ID"
  [ "$status" -eq 0 ] || fail "resume: $output"
  [ "$(task_status)" = RUNNING ] || fail "task: $(ctr_ tasks ls)"

  # (pid 1 of a pid namespace ignores a SIGTERM it has no handler for)
  run ctr_ tasks kill -s SIGKILL "$ID"
  [ "$status" -eq 0 ] || fail "kill: $output"
  for _ in $(seq 100); do [ "$(task_status)" = STOPPED ] && break; sleep 0.1; done
  [ "$(task_status)" = STOPPED ] || fail "task after SIGKILL: $(ctr_ tasks ls)"
  run ctr_ tasks delete "$ID"
  [ "$status" -eq 0 ] || fail "task delete: $output"
  run ctr_ containers delete "$ID"
  [ "$status" -eq 0 ] || fail "container delete: $output"
  no_runtime_state
}

@test "ctr run: the runtime's --log error reaches the user; nothing is left" {
  run ctr_run --rm /no-such-program
  [ "$status" -ne 0 ] || fail "ran: $output"
  # The shim quotes the last error line of the runtime's --log JSON.
  [[ "$output" == *"OCI runtime create failed"* ]] || fail "$output"
  [[ "$output" == *no-such-program* ]] || fail "the error does not name the program: $output"
  no_runtime_state
  [ -z "$(ctr_ containers ls -q)" ] || fail "containers left: $(ctr_ containers ls -q)"
}

@test "ctr run -t: a terminal from the shim's console socket, sized as ctr's" {
  command -v script >/dev/null || skip "script(1) (Debian's bsdutils) is not installed"
  # script(1) gives ctr a terminal; the command goes in a file, quoted once.
  mapfile -t opts < <(ctr_run_args)
  printf '%q ' ctr --address "$CTR_SOCK" --namespace "$ID" run --rm -t "${opts[@]}" "$ROOTFS" "$ID" \
    sh -c 'tty; for i in 1 2 3 4 5 6 7 8 9 10; do [ "$(stty size)" = "33 111" ] && break; sleep 0.2; done
      echo "size $(stty size)"; echo rc-ok' >"$TEST_DIR/tty.sh"
  run timeout 60 script -qec "stty rows 33 cols 111; bash $TEST_DIR/tty.sh" /dev/null
  [ "$status" -eq 0 ] || fail "status $status: $output"
  [[ "$output" == */dev/pts/* ]] || fail "no pty: $output"
  [[ "$output" == *rc-ok* ]] || fail "$output"
  # ctr sends its terminal's size through the shim to the pty's master.
  [[ "$output" == *"size 33 111"* ]] || fail "not resized: $output"
  no_runtime_state
}
