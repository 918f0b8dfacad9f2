#!/usr/bin/env bats
# exec: a new process in a running container, with runc's flags and exit
# codes (255 when the process cannot start).

load lifecycle_setup

setup() {
  lifecycle_setup
  make_bundle "$BUNDLE" sleep 1000
  update_config "$BUNDLE" '.hostname = "exectest"'
}
teardown() {
  # A sub-cgroup a test made (with its process) must go before the
  # container's cgroups can be removed, also when the test failed midway.
  if [ -n "${SUB_CGROUP:-}" ] && [ -d "$SUB_CGROUP" ]; then
    local p
    for p in $(cat "$SUB_CGROUP/cgroup.procs" 2>/dev/null); do kill -9 "$p" 2>/dev/null || true; done
    for _ in $(seq 100); do rmdir "$SUB_CGROUP" 2>/dev/null && break; sleep 0.05; done
  fi
  lifecycle_teardown
}

start_container() {
  runtime run -d --bundle "$BUNDLE" "$ID"
  INIT_PID=$(runtime state "$ID" | jq .pid)
}

@test "exec runs a command in the container and returns its status and output" {
  start_container
  run runtime exec "$ID" sh -c 'hostname; echo out; exit 7'
  [ "$status" -eq 7 ]
  [ "${lines[0]}" = exectest ]
  [ "${lines[1]}" = out ]
}

@test "exec joins every namespace of the container" {
  start_container
  runtime exec -d --pid-file "$TEST_DIR/exec.pid" "$ID" sleep 100
  pid=$(cat "$TEST_DIR/exec.pid")
  for ns in pid net mnt ipc uts cgroup; do
    [ "$(readlink /proc/$pid/ns/$ns)" = "$(readlink /proc/$INIT_PID/ns/$ns)" ] || { echo "$ns differs"; false; }
  done
  [ "$(readlink /proc/$pid/root)" = / ]
  run runtime exec "$ID" cat /proc/1/cmdline
  [ "$output" = "$(printf 'sleep\0001000' | tr -d '\0')" ] || [[ "$output" == sleep* ]]
  # Seen from inside, the process has a small pid of the container's namespace.
  run grep NSpid "/proc/$pid/status"
  [ "$(echo "$output" | awk '{print NF}')" -eq 3 ]
}

@test "exec --detach writes the pid file without a newline and returns at once" {
  start_container
  SECONDS=0
  runtime exec -d --pid-file "$TEST_DIR/exec.pid" "$ID" sleep 100
  [ "$SECONDS" -lt 5 ]
  [ "$(tail -c1 "$TEST_DIR/exec.pid" | od -An -c | tr -d ' ')" != '\n' ]
  pid=$(cat "$TEST_DIR/exec.pid")
  [ "$(tr '\0' ' ' < /proc/$pid/cmdline)" = "sleep 100 " ]
}

@test "exec puts the process in the container's cgroups" {
  start_container
  runtime exec -d --pid-file "$TEST_DIR/exec.pid" "$ID" sleep 100
  pid=$(cat "$TEST_DIR/exec.pid")
  [ "$(cat /proc/$pid/cgroup)" = "$(cat /proc/$INIT_PID/cgroup)" ]
  run runtime ps --format json "$ID"
  [[ "$output" == *"$pid"* ]]
}

@test "exec --env, --cwd, --user and --additional-gids apply" {
  start_container
  run runtime exec --env FOO=bar --env BAZ=qux --cwd /tmp --user 1000:1001 -g 5 -g 7 "$ID" \
    sh -c 'echo "$FOO $BAZ"; pwd; id -u; id -g; id -G'
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = "bar qux" ]
  [ "${lines[1]}" = /tmp ]
  [ "${lines[2]}" = 1000 ]
  [ "${lines[3]}" = 1001 ]
  [ "${lines[4]}" = "1001 5 7" ]
}

@test "exec --cwd a directory only root can enter works for another user, as runc's" {
  chmod 700 "$BUNDLE/rootfs/root"
  start_container
  run runtime exec --cwd /root --user 42:42 "$ID" sh -c 'pwd; id -u; ls . >/dev/null 2>&1 && echo listed || echo "cannot list"'
  [ "$status" -eq 0 ] || { echo "$output" >&2; false; }
  [ "${lines[0]}" = /root ]
  [ "${lines[1]}" = 42 ]
  [ "${lines[2]}" = "cannot list" ]
}

@test "exec keeps the container's environment and process user by default" {
  update_config "$BUNDLE" '.process.env += ["FROMCONFIG=yes"] | .process.user = {"uid": 1234, "gid": 1234}'
  start_container
  run runtime exec "$ID" sh -c 'echo $FROMCONFIG; id -u'
  [ "${lines[0]}" = yes ]
  [ "${lines[1]}" = 1234 ]
}

@test "exec --process takes the whole process from a file" {
  start_container
  jq -n '{args: ["sh", "-c", "echo $P; pwd; id -u"], env: ["P=fromfile", "PATH=/bin:/usr/bin"], cwd: "/etc",
          user: {uid: 42, gid: 42}}' > "$TEST_DIR/process.json"
  run runtime exec --process "$TEST_DIR/process.json" "$ID"
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = fromfile ]
  [ "${lines[1]}" = /etc ]
  [ "${lines[2]}" = 42 ]
}

@test "exec --process without a user runs the process as 0:0 (the spec does not require one; runc's default)" {
  update_config "$BUNDLE" '.process.user = {"uid": 1234, "gid": 1234}'
  start_container
  jq -n '{args: ["sh", "-c", "id -u; id -g"], env: ["PATH=/bin:/usr/bin"], cwd: "/"}' > "$TEST_DIR/process.json"
  run runtime exec --process "$TEST_DIR/process.json" "$ID"
  [ "$status" -eq 0 ] || fail "exit $status: $output"
  [ "${lines[0]}" = 0 ]
  [ "${lines[1]}" = 0 ]
}

@test "exec --process with a bad file names the file and the field" {
  start_container
  echo '{"args": ["true"], "user": {"uid": 0, "gid": 0}, "cwd": "relative"}' > "$TEST_DIR/process.json"
  run runtime exec --process "$TEST_DIR/process.json" "$ID"
  [ "$status" -ne 0 ]
  [[ "${output,,}" == *cwd* ]]
  hull_only "hull's message names the file and exits 255"
  [ "$status" -eq 255 ]
  [[ "$output" == *process.json* ]]
}

@test "exec --no-new-privs and --cap change the process's security settings" {
  update_config "$BUNDLE" '.process.noNewPrivileges = false'
  start_container
  run runtime exec "$ID" grep NoNewPrivs /proc/self/status
  [[ "$output" == *"0" ]]
  run runtime exec --no-new-privs "$ID" grep NoNewPrivs /proc/self/status
  [[ "$output" == *"1" ]]
  before=$(runtime exec "$ID" grep CapEff /proc/self/status | awk '{print $2}')
  after=$(runtime exec --cap CAP_SYS_ADMIN "$ID" grep CapEff /proc/self/status | awk '{print $2}')
  [ "$before" != "$after" ]
  # CAP_SYS_ADMIN is bit 21.
  [ $(( (0x$after >> 21) & 1 )) -eq 1 ]
  [ $(( (0x$before >> 21) & 1 )) -eq 0 ]
}

@test "exec --preserve-fds passes fds 3 .. 3+N-1 and no others" {
  start_container
  echo secret > "$TEST_DIR/file"
  # test(1) is a shell builtin: it opens no fd of its own.
  run runtime exec --preserve-fds 1 "$ID" sh -c 'cat /proc/self/fd/3; test -e /proc/$$/fd/4 && echo leaked || echo none' \
    3<"$TEST_DIR/file" 4<"$TEST_DIR/file"
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = secret ]
  [ "${lines[1]}" = none ]
}

@test "exec into a created (not started) container works, as runc" {
  runtime create --bundle "$BUNDLE" "$ID"
  run runtime exec "$ID" echo hello
  [ "$status" -eq 0 ]
  [ "$output" = hello ]
  [ "$(container_status "$ID")" = created ]
}

@test "exec into a stopped container fails with 255 and a clear message" {
  make_bundle "$BUNDLE" true
  runtime run -d --bundle "$BUNDLE" "$ID"
  wait_status "$ID" stopped
  run runtime exec "$ID" true
  [ "$status" -eq 255 ]
  [[ "$output" == *stopped* ]]
}

@test "exec into an unknown container fails with 255 and does not exist" {
  run runtime exec "$ID-nope" true
  [ "$status" -eq 255 ]
  [[ "$output" == *"does not exist"* ]]
}

@test "exec of a missing program fails with 255 and executable file not found" {
  start_container
  run runtime --log "$TEST_DIR/log.json" --log-format json exec "$ID" no-such-program
  [ "$status" -eq 255 ]
  [[ "$output" == *"executable file not found"* ]]
  # One JSON line, as the engines parse it.
  [ "$(wc -l < "$TEST_DIR/log.json")" -eq 1 ]
  [ "$(jq -r .level "$TEST_DIR/log.json")" = error ]
  [[ "$(jq -r .msg "$TEST_DIR/log.json")" == *"executable file not found"* ]]
}

@test "exec into a paused container needs --ignore-paused" {
  start_container
  runtime pause "$ID"
  run runtime exec "$ID" true
  [ "$status" -eq 255 ]
  [[ "$output" == *paused* ]]
  runtime exec -d --ignore-paused --pid-file "$TEST_DIR/exec.pid" "$ID" sh -c 'echo ran > /dev/shm/ran' &
  echo $! > "$TEST_DIR/exec-client.pid"
  sleep 0.5
  runtime resume "$ID"
  for i in $(seq 100); do runtime exec "$ID" cat /dev/shm/ran 2>/dev/null | grep -q ran && break; sleep 0.05; done
  run runtime exec "$ID" cat /dev/shm/ran
  [ "$output" = ran ]
}

# exec_in_background MARKER SCRIPT: a foreground exec of `sh -c SCRIPT`
# (which must create /dev/shm/MARKER once ready) started in the background;
# CLIENT is hull's own pid, so a signal goes to the runtime, not a subshell.
exec_in_background() {
  "$RUNTIME_BIN" --root "$TEST_ROOT" exec "$ID" sh -c "$2" &
  CLIENT=$!
  echo "$CLIENT" > "$TEST_DIR/exec-client.pid"
  for _ in $(seq 100); do runtime exec "$ID" cat "/dev/shm/$1" >/dev/null 2>&1 && break; sleep 0.05; done
}

@test "exec forwards signals to the process and exits 128+N" {
  start_container
  exec_in_background ready 'trap "exit 42" USR1; echo ready > /dev/shm/ready; while :; do sleep 0.1; done'
  kill -USR1 $CLIENT
  rc=0; wait $CLIENT || rc=$?
  [ "$rc" -eq 42 ]
  exec_in_background ready2 'echo ready2 > /dev/shm/ready2; exec sleep 100'
  kill -TERM $CLIENT
  rc=0; wait $CLIENT || rc=$?
  [ "$rc" -eq 143 ]
}

@test "exec --tty with --console-socket hands over the pty master" {
  start_container
  /usr/bin/python3 "$REPO/tests/tools/console-receiver" "$TEST_DIR/console.sock" "$TEST_DIR/console.out" &
  echo $! > "$TEST_DIR/receiver.pid"
  for i in $(seq 100); do [ -e "$TEST_DIR/console.out.ready" ] && break; sleep 0.05; done
  runtime exec -d -t --console-socket "$TEST_DIR/console.sock" "$ID" sh -c 'tty; echo done'
  for i in $(seq 100); do grep -q done "$TEST_DIR/console.out" 2>/dev/null && break; sleep 0.05; done
  [[ "$(cat "$TEST_DIR/console.out")" == */dev/pts/* ]]
}

@test "exec --tty without --console-socket uses the caller's terminal" {
  command -v script >/dev/null || skip "script(1) (Debian's bsdutils) is not installed"
  start_container
  cmd="$RUNTIME_BIN --root $TEST_ROOT exec -t $ID sh -c 'tty; read -r l; echo got:\$l; exit 5'; echo rc=\$?"
  run bash -c 'printf "hi\n" | timeout 30 script -qec "$1" /dev/null' sh "$cmd"
  [[ "$output" == *"/dev/pts/"* ]]
  [[ "$output" == *"got:hi"* ]]
  [[ "$output" == *"rc=5"* ]]
}

@test "exec -d -t without --console-socket is refused" {
  start_container
  run runtime exec -d -t "$ID" true
  [ "$status" -ne 0 ]
  [[ "$output" == *console* ]]
}

@test "exec into a container with a user namespace runs as its root" {
  use_user_namespace "$BUNDLE"
  start_container
  run runtime exec "$ID" sh -c 'id -u; cat /proc/self/uid_map'
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = 0 ]
  [[ "${lines[1]}" == *100000* ]]
  runtime exec -d --pid-file "$TEST_DIR/exec.pid" "$ID" sleep 100
  [ "$(readlink /proc/$(cat "$TEST_DIR/exec.pid")/ns/user)" = "$(readlink /proc/$INIT_PID/ns/user)" ]
  [ "$(awk '/^Uid/ {print $2}' /proc/$(cat "$TEST_DIR/exec.pid")/status)" = 100000 ]
}

@test "exec --cgroup runs the process in a sub-cgroup of the container's" {
  load cgroups
  start_container
  dir=$(cg_dir "$INIT_PID" pids)
  [ -n "$dir" ] || skip "no pids cgroup for the container"
  SUB_CGROUP=$dir/sub
  mkdir "$SUB_CGROUP"
  prefix=
  is_v1 pids && prefix=pids:
  runtime exec -d --cgroup ${prefix}sub --pid-file "$TEST_DIR/exec.pid" "$ID" sleep 100
  pid=$(cat "$TEST_DIR/exec.pid")
  grep -qx "$pid" "$dir/sub/cgroup.procs"
  kill -9 "$pid"
  for i in $(seq 100); do [ -z "$(cat "$dir/sub/cgroup.procs")" ] && break; sleep 0.05; done
  rmdir "$dir/sub"
  run runtime exec --cgroup ${prefix}nosuch "$ID" true
  [ "$status" -ne 0 ]
  [[ "$output" == *nosuch* ]]
}

@test "exec --cgroup / is the container's own cgroup; a path out of it is refused" {
  load cgroups
  start_container
  dir=$(cg_dir "$INIT_PID" pids)
  [ -n "$dir" ] || skip "no pids cgroup for the container"
  prefix=
  is_v1 pids && prefix=pids:
  # runc: the path is joined to the container's cgroup, so / (and .) is that cgroup.
  for arg in / "${prefix}/" "${prefix}."; do
    runtime exec -d --cgroup "$arg" --pid-file "$TEST_DIR/exec.pid" "$ID" sleep 100
    pid=$(cat "$TEST_DIR/exec.pid")
    grep -qx "$pid" "$dir/cgroup.procs" || fail "--cgroup $arg: $pid is not in $dir"
    kill -9 "$pid"
  done
  run runtime exec --cgroup "${prefix}.." "$ID" true
  [ "$status" -ne 0 ] || fail "--cgroup ${prefix}.. was taken"
  # A path without controllers names every hierarchy: it cannot come twice.
  run runtime exec --cgroup / --cgroup / "$ID" true
  [ "$status" -ne 0 ] || fail "two --cgroup without a controller were taken"
}

@test "a process without HOME gets its user's home from the image, or /" {
  update_config "$BUNDLE" '.process.env = ["PATH=/bin:/usr/bin"]'
  start_container
  run runtime exec "$ID" sh -c 'echo $HOME'
  [ "$output" = /root ]
  run runtime exec --user 4242 "$ID" sh -c 'echo $HOME'
  [ "$output" = / ]
  run runtime exec --env HOME=/custom "$ID" sh -c 'echo $HOME'
  [ "$output" = /custom ]
}

@test "exec --apparmor and --process-label on a host without those LSMs fail before the process starts" {
  [ -e /sys/module/apparmor/parameters/enabled ] && grep -q Y /sys/module/apparmor/parameters/enabled &&
    skip "this host has AppArmor"
  [ -e /sys/fs/selinux/enforce ] && skip "this host has SELinux"
  start_container
  run runtime exec --apparmor some-profile "$ID" sh -c 'echo started > /dev/shm/lsm-started'
  [ "$status" -eq 255 ]
  run runtime exec --process-label system_u:system_r:container_t:s0 "$ID" sh -c 'echo started > /dev/shm/lsm-started'
  [ "$status" -eq 255 ]
  run runtime exec "$ID" cat /dev/shm/lsm-started
  [ "$status" -ne 0 ]
  hull_only "runc's messages differ (a write error from its init, a validation error)"
  run runtime exec --apparmor some-profile "$ID" true
  [[ "$output" == *AppArmor* ]]
}
