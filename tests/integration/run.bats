#!/usr/bin/env bats
# run: create + start + wait; exit status; signals; --detach and --keep.

bats_require_minimum_version 1.5.0
load lifecycle_setup

setup() { lifecycle_setup; }
teardown() { lifecycle_teardown; }

@test "run prints from inside the container and deletes it" {
  make_bundle "$BUNDLE" echo hello from the container
  run runtime run --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 0 ]
  [ "$output" = "hello from the container" ]
  run runtime state "$ID"
  [[ "$output" == *"does not exist"* ]]
}

@test "run exits with the container's status" {
  make_bundle "$BUNDLE" sh -c 'exit 42'
  run runtime run --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 42 ]
}

@test "run exits 128+N when signal N kills the container" {
  # pid 1 cannot be killed from inside its own namespace: kill it from here
  make_bundle "$BUNDLE" sleep 100
  "$RUNTIME_BIN" --root "$TEST_ROOT" run --bundle "$BUNDLE" "$ID" </dev/null >"$TEST_DIR/out" 2>&1 &
  runner=$!
  wait_status "$ID" running
  runtime kill "$ID" KILL
  code=0
  wait "$runner" || code=$?
  [ "$code" -eq 137 ]
}

@test "run forwards SIGTERM to the container" {
  make_bundle "$BUNDLE" sh -c 'trap "exit 7" TERM; while :; do sleep 0.1; done'
  "$RUNTIME_BIN" --root "$TEST_ROOT" run --bundle "$BUNDLE" "$ID" </dev/null >"$TEST_DIR/out" 2>&1 &
  runner=$!
  wait_status "$ID" running
  sleep 0.3
  kill -TERM "$runner"
  wait "$runner" || code=$?
  [ "${code:-0}" -eq 7 ]
}

@test "run with a missing executable exits 127" {
  hull_only "runc exits 1; hull exits 127 as a shell does (and podman maps the message to 127)"
  make_bundle "$BUNDLE" /bin/no-such-program
  run -127 runtime run --bundle "$BUNDLE" "$ID"
  [[ "$output" == *"no such file or directory"* ]]
}

@test "run with a non-executable file exits 126" {
  hull_only "runc exits 1; hull exits 126 as a shell does"
  make_bundle "$BUNDLE" /etc/passwd
  run runtime run --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 126 ]
}

@test "run --detach returns at once and leaves the container running" {
  make_bundle "$BUNDLE" sleep 100
  run_detached run --detach --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 0 ]
  [ "$(container_status "$ID")" = running ]
}

@test "run --keep keeps the stopped container" {
  make_bundle "$BUNDLE" true
  runtime run --keep --bundle "$BUNDLE" "$ID"
  [ "$(container_status "$ID")" = stopped ]
}

@test "the container sees its hostname, its own pid namespace and a read-only root" {
  make_bundle "$BUNDLE" sh -c 'hostname; echo $$; touch /x 2>/dev/null && echo rw || echo ro'
  update_config "$BUNDLE" '.hostname = "hulltest"'
  run runtime run --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = hulltest ]
  [ "${lines[1]}" = 1 ]
  [ "${lines[2]}" = ro ]
}

@test "the process runs with the configured user, groups, cwd and env" {
  make_bundle "$BUNDLE" sh -c 'id -u; id -g; id -G; pwd; echo $FOO'
  update_config "$BUNDLE" '.process.user = {"uid": 1000, "gid": 1001, "additionalGids": [1002, 1003]}
    | .process.cwd = "/tmp" | .process.env += ["FOO=bar"]'
  run runtime run --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = 1000 ]
  [ "${lines[1]}" = 1001 ]
  [[ "${lines[2]}" == *1002*1003* ]]
  [ "${lines[3]}" = /tmp ]
  [ "${lines[4]}" = bar ]
}

@test "a process.cwd only root can enter works for another user: it is entered before the user switch, as runc's" {
  make_bundle "$BUNDLE" sh -c 'pwd; id -u; ls . >/dev/null 2>&1 && echo listed || echo "cannot list"'
  chmod 700 "$BUNDLE/rootfs/root"
  update_config "$BUNDLE" '.process.user = {"uid": 42, "gid": 42} | .process.cwd = "/root"'
  run runtime run --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 0 ] || { echo "$output" >&2; false; }
  [ "${lines[0]}" = /root ]
  [ "${lines[1]}" = 42 ]
  # It is the user's process, with the user's rights there.
  [ "${lines[2]}" = "cannot list" ]
}

@test "a process.cwd only the process's user can enter is entered after the user switch, as runc's" {
  # In a user namespace its root has no rights over a directory whose owner
  # is unmapped (host root here): only the group, the user's, may enter.
  make_bundle "$BUNDLE" sh -c 'pwd; id -u'
  use_user_namespace "$BUNDLE"
  mkdir "$BUNDLE/rootfs/data"
  chown 0:100042 "$BUNDLE/rootfs/data"
  chmod 710 "$BUNDLE/rootfs/data"
  update_config "$BUNDLE" '.process.user = {"uid": 42, "gid": 42} | .process.cwd = "/data"'
  run runtime run --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 0 ] || { echo "$output" >&2; false; }
  [ "${lines[0]}" = /data ]
  [ "${lines[1]}" = 42 ]
  # The container's root is refused there indeed.
  update_config "$BUNDLE" '.process.user = {"uid": 0, "gid": 0}'
  run runtime run --bundle "$BUNDLE" "$ID-root"
  [ "$status" -ne 0 ]
  [[ "${output,,}" == *"permission denied"* ]]
}

@test "a relative args[0] is found from process.cwd" {
  make_bundle "$BUNDLE" ./hello
  mkdir -p "$BUNDLE/rootfs/opt"
  printf '#!/bin/sh\necho hello from opt\n' > "$BUNDLE/rootfs/opt/hello"
  chmod 755 "$BUNDLE/rootfs/opt/hello"
  update_config "$BUNDLE" '.process.user = {"uid": 42, "gid": 42} | .process.cwd = "/opt"'
  run runtime run --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 0 ]
  [ "$output" = "hello from opt" ]
}

@test "a process without a user runs as 0:0 (config.md does not require process.user; runc's default)" {
  make_bundle "$BUNDLE" sh -c 'id -u; id -g'
  update_config "$BUNDLE" 'del(.process.user)'
  run runtime run --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 0 ] || fail "exit $status: $output"
  [ "${lines[0]}" = 0 ]
  [ "${lines[1]}" = 0 ]
}

@test "masked paths are hidden and read-only paths are read-only" {
  make_bundle "$BUNDLE" sh -c 'cat /proc/keys | wc -c; ls /sys/firmware | wc -l; (echo 1 > /proc/sys/kernel/domainname) 2>/dev/null && echo writable || echo refused'
  run runtime run --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = 0 ]
  [ "${lines[1]}" = 0 ]
  [ "${lines[2]}" = refused ]
}

@test "rlimits and noNewPrivileges reach the process" {
  make_bundle "$BUNDLE" sh -c 'ulimit -n; grep NoNewPrivs /proc/self/status'
  update_config "$BUNDLE" '.process.rlimits = [{"type": "RLIMIT_NOFILE", "soft": 321, "hard": 654}]'
  run runtime run --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = 321 ]
  [[ "${lines[1]}" == *1 ]]
}

@test "capabilities: only the configured set is effective" {
  make_bundle "$BUNDLE" sh -c 'grep CapEff /proc/self/status'
  run runtime run --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 0 ]
  # CAP_AUDIT_WRITE(29) CAP_KILL(5) CAP_NET_BIND_SERVICE(10)
  [[ "$output" == *"00000000200000420" ]] || [[ "$output" == *"0000000020000420" ]]
}

@test "a rootfs symlink to a host path never makes a mount land on the host" {
  make_bundle "$BUNDLE" true
  mkdir -p "$TEST_DIR/hostdir"
  ln -s "$TEST_DIR/hostdir" "$BUNDLE/rootfs/escape"
  update_config "$BUNDLE" '.mounts += [{"destination": "/escape/sub", "type": "tmpfs", "source": "tmpfs"}]'
  runtime run --bundle "$BUNDLE" "$ID" || true
  [ ! -e "$TEST_DIR/hostdir/sub" ]
  ! grep -q "$TEST_DIR/hostdir" /proc/self/mountinfo || false  # bats' set -e ignores a bare '! cmd'
}

@test "hooks run at their points with the state on stdin" {
  make_bundle "$BUNDLE" true
  log=$TEST_DIR/hooks.log
  hook() { printf '{"path": "/bin/sh", "args": ["sh", "-c", "read -r s; echo %s $(echo \\"$s\\" | grep -o \\"\\\\\\"status\\\\\\":\\\\\\"[a-z]*\\") >> %s"]}' "$1" "$log"; }
  update_config "$BUNDLE" --argjson cr "$(hook createRuntime)" --argjson ps "$(hook poststart)" --argjson pst "$(hook poststop)" \
    '.hooks = {"createRuntime": [$cr], "poststart": [$ps], "poststop": [$pst]}'
  runtime run --bundle "$BUNDLE" "$ID"
  run cat "$log"
  [ "${lines[0]%% *}" = createRuntime ]
  [ "${lines[1]%% *}" = poststart ]
  [ "${lines[2]%% *}" = poststop ]
}

@test "a failing createRuntime hook fails create and leaves nothing behind" {
  make_bundle "$BUNDLE" true
  update_config "$BUNDLE" '.hooks.createRuntime = [{"path": "/bin/false"}]'
  run runtime run --bundle "$BUNDLE" "$ID"
  [ "$status" -ne 0 ]
  [ -z "$(ls "$TEST_ROOT")" ]
}

@test "uid and gid mappings make a user namespace" {
  make_bundle "$BUNDLE" sh -c 'cat /proc/self/uid_map; id -u'
  use_user_namespace "$BUNDLE"
  run runtime run --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 0 ]
  [[ "${lines[0]}" == *"0"*"100000"*"65536"* ]]
  [ "${lines[1]}" = 0 ]
}

@test "a hook without env gets the runtime's environment, one with env exactly its own" {
  make_bundle "$BUNDLE" true
  hook() { jq -n --arg out "$TEST_DIR/$1.env" '{"path": "/bin/sh", "args": ["sh", "-c", "env > \($out)"]}'; }
  update_config "$BUNDLE" --argjson a "$(hook inherit)" --argjson b "$(hook empty)" --argjson c "$(hook own)" \
    '.hooks.createRuntime = [$a, $b + {"env": []}, $c + {"env": ["OWN=1"]}]'
  HULLTEST_FROM_CALLER=yes runtime run --bundle "$BUNDLE" "$ID"
  grep -qx HULLTEST_FROM_CALLER=yes "$TEST_DIR/inherit.env"
  ! grep -q HULLTEST_FROM_CALLER "$TEST_DIR/empty.env" || false  # bats' set -e ignores a bare '! cmd'
  ! grep -q HULLTEST_FROM_CALLER "$TEST_DIR/own.env" || false  # bats' set -e ignores a bare '! cmd'
  grep -qx OWN=1 "$TEST_DIR/own.env"
}
