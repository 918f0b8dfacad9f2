#!/usr/bin/env bats
# The runtime's own binary and file descriptors out of the container's
# reach: CVE-2019-5736 (/proc/PID/exe of a runtime process) and
# CVE-2024-21626 (a host fd left open into the container). Each test fails
# on a runtime with the hole. Path and mount escapes are in escapes.bats.

load lifecycle_setup
load probe

setup_file() { build_escape_probe; }

setup() {
  lifecycle_setup
  RUNTIME_SUM=$(sha256sum "$RUNTIME_BIN" | cut -d' ' -f1)
  RUNTIME_MTIME=$(stat -c %y "$RUNTIME_BIN")
}

teardown() { lifecycle_teardown; }

# --- CVE-2019-5736 ----------------------------------------------------------

# start_exe_grabber: a container whose init is `escape-probe grab-exe`
# (tests/tools/escape-probe.c): it opens /proc/PID/exe of every other
# process in its pid namespace with O_PATH and keeps trying to reopen what
# it holds for writing. Sets GRABBER (the id) and GRABBER_OUT.
start_exe_grabber() {
  require_escape_probe
  GRABBER=$ID-grabber
  make_bundle "$TEST_DIR/grabber" /bin/escape-probe grab-exe /dev/shm/probe.out /dev/shm/stop
  add_escape_probe "$TEST_DIR/grabber"
  run_detached run -d --bundle "$TEST_DIR/grabber" "$GRABBER"
  [ "$status" -eq 0 ] || { echo "$output" >&2; return 1; }
  GRABBER_PID=$(runtime state "$GRABBER" | jq .pid)
  GRABBER_OUT=/proc/$GRABBER_PID/root/dev/shm/probe.out
  wait_grabber_line '^started '
}

# wait_grabber_line ERE: until the probe has written a matching line.
wait_grabber_line() {
  local i
  for i in $(seq 200); do
    grep -Eq -- "$1" "$GRABBER_OUT" 2>/dev/null && return 0
    sleep 0.05
  done
  echo "the probe wrote no line matching /$1/; it wrote:" >&2
  cat "$GRABBER_OUT" >&2
  return 1
}

# runtime_comm_seen: the probe saw a process of the runtime's own binary
# (hull's comm is its file name; runc names its init "runc:[2:INIT]").
runtime_comm_seen() {
  grep -Eq "^seen [0-9]+ (${RUNTIME_NAME:-$(basename "$RUNTIME_BIN")}|runc:.*)\$" "$GRABBER_OUT"
}

# stop_grabber: a last round of write attempts, then the verdict: nothing
# written, and the runtime's binary on the host byte for byte and mtime as before.
stop_grabber() {
  touch "/proc/$GRABBER_PID/root/dev/shm/stop"
  wait_grabber_line '^done$'
  cat "$GRABBER_OUT"
  # (not `! grep`: bats' set -e ignores a negated command)
  if grep -q '^WROTE ' "$GRABBER_OUT"; then
    echo "the probe wrote to the runtime's binary" >&2
    return 1
  fi
  [ "$(sha256sum "$RUNTIME_BIN" | cut -d' ' -f1)" = "$RUNTIME_SUM" ]
  [ "$(stat -c %y "$RUNTIME_BIN")" = "$RUNTIME_MTIME" ]
}

@test "CVE-2019-5736: the runtime binary cannot be reopened for writing from /proc/PID/exe of a created container's init" {
  start_exe_grabber
  # The init of a second container joins the grabber's pid namespace and
  # waits for `start` inside the runtime's binary, in the grabber's sight.
  make_bundle "$BUNDLE" sleep 100
  update_config "$BUNDLE" --arg ns "/proc/$GRABBER_PID/ns/pid" \
    '.linux.namespaces |= map(if .type == "pid" then .path = $ns else . end)'
  run_detached create --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 0 ]
  for i in $(seq 100); do runtime_comm_seen && break; sleep 0.05; done
  runtime_comm_seen || { cat "$GRABBER_OUT"; echo "the probe never saw the runtime's init: the test would prove nothing" >&2; false; }
  # After start the binary is no longer executing (no ETXTBSY): an fd held
  # from before could now be reopened for writing, as the exploit does.
  runtime start "$ID"
  sleep 0.3
  stop_grabber
}

@test "CVE-2019-5736: the runtime binary cannot be reopened for writing from /proc/PID/exe of an exec'd process" {
  start_exe_grabber
  # Each exec's runtime process joins the grabber's pid namespace for a
  # moment: several execs, in several of runc's forms, until the probe has
  # caught one.
  for i in $(seq 40); do
    case $((i % 4)) in
      0) runtime exec "$GRABBER" true ;;
      1) runtime exec --cwd /tmp "$GRABBER" true ;;
      2) runtime exec --env FOO=bar --user 1000:1000 "$GRABBER" true ;;
      3) runtime exec -d "$GRABBER" true </dev/null >/dev/null 2>&1 ;;
    esac
    runtime_comm_seen && [ "$i" -ge 4 ] && break
  done
  runtime_comm_seen || { cat "$GRABBER_OUT"; skip "the probe never caught the runtime's exec process in 40 execs: nothing was checked"; }
  sleep 0.3
  stop_grabber
}

# --- CVE-2024-21626 ---------------------------------------------------------

# A directory of the host with a marker, opened as fd 7..9 of the runtime
# when the tests call it: what a leaked fd would show.
make_host_dir() {
  mkdir -p "$TEST_DIR/hostdir"
  touch "$TEST_DIR/hostdir/host-marker"
}

# The process prints "inside" when its cwd is a directory of the container:
# /proc/self/cwd names a path that, resolved from the container's root, is
# the same directory. A cwd outside the root (CVE-2024-21626) reads as
# "(unreachable)/..." or names another directory.
CWD_CHECK='if [ -e host-marker ]; then echo ESCAPED; fi
  c=$(readlink /proc/self/cwd)
  case $c in /*) [ . -ef "$c" ] && echo inside || echo "ESCAPED $c";; *) echo "ESCAPED $c";; esac'

@test "CVE-2024-21626: process.cwd through /proc/self/fd/N is refused or stays inside, for every N" {
  make_host_dir
  make_bundle "$BUNDLE" sh -c "$CWD_CHECK"
  for n in $(seq 3 12); do
    update_config "$BUNDLE" --arg cwd "/proc/self/fd/$n" '.process.cwd = $cwd'
    run sh -c 'exec 7<"$1" 8<"$1" 9<"$1/host-marker"; shift; exec "$@"' sh "$TEST_DIR/hostdir" \
      "$RUNTIME_BIN" --root "$TEST_ROOT" run --bundle "$BUNDLE" "$ID-$n"
    echo "cwd /proc/self/fd/$n: status $status: $output"
    [[ "$output" != *ESCAPED* ]]
    [ "$status" -ne 0 ] || [ "$output" = inside ]
  done
}

@test "CVE-2024-21626: a cwd through a leaked fd is refused" {
  make_bundle "$BUNDLE" pwd
  update_config "$BUNDLE" '.process.cwd = "/proc/self/fd/7"'
  run sh -c 'exec 7</; exec "$@"' sh "$RUNTIME_BIN" --root "$TEST_ROOT" run --bundle "$BUNDLE" "$ID"
  [ "$status" -ne 0 ]
  [ -z "$(ls "$TEST_ROOT")" ]
}

@test "CVE-2024-21626: exec --cwd through /proc/self/fd/N is refused or stays inside, for every N" {
  make_host_dir
  make_bundle "$BUNDLE" sleep 100
  run_detached run -d --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 0 ]
  for n in $(seq 3 12); do
    run sh -c 'exec 7<"$1" 8<"$1" 9<"$1/host-marker"; shift; exec "$@"' sh "$TEST_DIR/hostdir" \
      "$RUNTIME_BIN" --root "$TEST_ROOT" exec --cwd "/proc/self/fd/$n" "$ID" sh -c "$CWD_CHECK"
    echo "exec --cwd /proc/self/fd/$n: status $status: $output"
    [[ "$output" != *ESCAPED* ]]
    [ "$status" -ne 0 ] || [ "$output" = inside ]
  done
  # and the check itself sees a cwd that is inside
  run runtime exec --cwd /tmp "$ID" sh -c "$CWD_CHECK"
  [ "$status" -eq 0 ]
  [ "$output" = inside ]
}

# The shell lists its own open fds and their targets: 0-2 as the caller gave
# them and nothing else; anything more is a host fd that leaked in. (The
# shell parks its stdout on fd 10 while ls writes the listing to a file, so
# only fds still open afterwards count.)
FD_LIST='ls /proc/$$/fd > /dev/shm/fds.$$
  for f in $(cat /dev/shm/fds.$$); do t=$(readlink /proc/$$/fd/$f) && echo "$f $t"; done'

# with_host_fds CMD...: CMD with fds 3-9 open on host files, a directory and
# a pipe, stdin /dev/null, stdout and stderr files in TEST_DIR.
with_host_fds() {
  make_host_dir
  (
    exec 3<"$TEST_DIR/hostdir" 4<"$TEST_DIR/hostdir/host-marker" 5>"$TEST_DIR/hostdir/w" 6</ 7</proc 8< <(true) 9<"$TEST_DIR"
    exec "$@" </dev/null >"$TEST_DIR/fds.out" 2>"$TEST_DIR/fds.err"
  ) && status=0 || status=$?
  output=$(cat "$TEST_DIR/fds.out")
  cat "$TEST_DIR/fds.err" >&2
}

# assert_only_stdio_fds: what FD_LIST printed is fds 0-2 only.
assert_only_stdio_fds() {
  echo "$output"
  [ "$(cut -d' ' -f1 <<<"$output" | tr '\n' ' ')" = "0 1 2 " ]
}

@test "CVE-2024-21626: no host fd is open in the container's process (run)" {
  make_bundle "$BUNDLE" sh -c "$FD_LIST"
  with_host_fds "$RUNTIME_BIN" --root "$TEST_ROOT" run --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 0 ]
  assert_only_stdio_fds
}

@test "CVE-2024-21626: no host fd is open in an exec'd process" {
  make_bundle "$BUNDLE" sleep 100
  run_detached run -d --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 0 ]
  with_host_fds "$RUNTIME_BIN" --root "$TEST_ROOT" exec "$ID" sh -c "$FD_LIST"
  [ "$status" -eq 0 ]
  assert_only_stdio_fds
}

# runc's tests/integration/create.bats allow list: what a runtime's init may
# legitimately hold while created (sockets and pipes to the runtime, the
# exec FIFO, procfs handles, runc's sealed copy of itself). A host file or
# directory (the cgroup directory of CVE-2024-21626, the bundle, the state
# directory) is not on it.
allowed_fd_target() {
  grep -Eqx '/dev/pts/[0-9]+|anon_inode:\[.+\]|/(proc)?|socket:\[[0-9]+\]|pipe:\[[0-9]+\]|.*/exec\.fifo|(/proc)?/1/task/1/fd|/runc|/memfd:runc_cloned:/proc/self/exe \(deleted\)' <<<"$1"
}

@test "CVE-2024-21626: a created container's init holds no host file or directory" {
  make_bundle "$BUNDLE" sleep 100
  with_host_fds "$RUNTIME_BIN" --root "$TEST_ROOT" create --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 0 ]
  pid=$(runtime state "$ID" | jq .pid)
  violations=0
  for link in /proc/"$pid"/fd/*; do
    fd=${link##*/}
    target=$(readlink "$link") || continue
    echo "fd $fd -> $target"
    # 0-2 are the caller's stdio, passed on as the spec says.
    [ "$fd" -le 2 ] && continue
    allowed_fd_target "$target" || { echo "  not allowed"; violations=$((violations + 1)); }
  done
  [ "$violations" -eq 0 ]
}

# --- fds passed on purpose --------------------------------------------------

@test "LISTEN_FDS fds and variables pass through to the container" {
  make_bundle "$BUNDLE" sh -c 'echo "$LISTEN_FDS $LISTEN_PID"; ls /proc/self/fd | sort -n | tr "\n" " "'
  # LISTEN_PID names the process the fds are for (sd_listen_fds(3)): the
  # runtime, which the exec makes of this shell.
  run sh -c 'exec 3</dev/null 4</dev/null; LISTEN_FDS=1 LISTEN_PID=$$ exec "$@"' sh "$RUNTIME_BIN" --root "$TEST_ROOT" run --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = "1 1" ]
  [[ "${lines[1]}" == "0 1 2 3 4 "* ]]
  [[ "${lines[1]}" != *" 5 "* ]]
}

@test "LISTEN_FDS meant for another process (LISTEN_PID) is not passed through" {
  make_bundle "$BUNDLE" sh -c 'echo "fds=$LISTEN_FDS"; ls /proc/self/fd | sort -n | tr "\n" " "'
  run sh -c 'exec 3</dev/null; LISTEN_FDS=1 LISTEN_PID=1 exec "$@"' sh "$RUNTIME_BIN" --root "$TEST_ROOT" run --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = "fds=" ]
  # 3 is ls's own directory fd; the caller's fd 3 would make a 4th
  [[ "${lines[1]}" != *" 4 "* ]]
}

# --- the session keyring --------------------------------------------------------

# keyring_line FILE: the `escape-probe keyring` line a container's init
# wrote to FILE (its stdout), once it is there.
keyring_line() {
  local i
  for i in $(seq 100); do
    grep -m1 '^keyring ' "$1" 2>/dev/null && return 0
    sleep 0.05
  done
  echo "the init wrote no keyring line; its output: $(cat "$1")" >&2
  return 1
}

# keyring_bundle: an init that reports its session keyring, then sleeps.
keyring_bundle() {
  require_escape_probe
  "$ESCAPE_PROBE" keyring >/dev/null || skip "this kernel has no keyrings (keyctl: ENOSYS)"
  make_bundle "$BUNDLE" sh -c 'escape-probe keyring; exec sleep 1000'
  add_escape_probe "$BUNDLE"
}

# check_own_keyring: the init's keyring is _ses.ID, not the caller's, and an
# exec'd process is in the same one.
check_own_keyring() {
  local host init
  host=$("$ESCAPE_PROBE" keyring)
  run_detached run -d --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 0 ] || fail "$output"
  init=$(keyring_line "$TEST_DIR/detached.out")
  [[ "$init" == *";_ses.$ID" ]] || fail "init's keyring: $init"
  [ "$(cut -d' ' -f2 <<<"$init")" != "$(cut -d' ' -f2 <<<"$host")" ] || fail "the init shares the caller's keyring: $init"
  run runtime exec "$ID" escape-probe keyring
  [ "$status" -eq 0 ] || fail "$output"
  [ "$output" = "$init" ] || fail "exec's keyring: $output; the init's: $init"
}

@test "the container has a session keyring of its own, _ses.ID, and an exec'd process joins it" {
  keyring_bundle
  check_own_keyring
}

@test "in a user namespace too, an exec'd process joins the container's keyring" {
  # runc 1.1 gives its init's keyring the search bit for "other" (0x8) in a
  # user namespace, but the exec'd process is the keyring's owner, checked
  # against the owner's bits: it finds nothing and makes a second _ses.ID.
  hull_only "runc's exec in a user namespace gets a new keyring of the same name"
  keyring_bundle
  use_user_namespace "$BUNDLE"
  check_own_keyring
}

@test "--no-new-keyring: the container and its exec'd processes keep the caller's keyring" {
  keyring_bundle
  host=$("$ESCAPE_PROBE" keyring)
  run_detached run -d --no-new-keyring --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 0 ] || fail "$output"
  init=$(keyring_line "$TEST_DIR/detached.out")
  [ "$init" = "$host" ] || fail "init's keyring: $init; the caller's: $host"
  run runtime exec "$ID" escape-probe keyring
  [ "$status" -eq 0 ] || fail "$output"
  [ "$output" = "$host" ] || fail "exec's keyring: $output; the caller's: $host"
}
