#!/usr/bin/env bats
# Escape and leak checks that fail on a vulnerable runtime.

load lifecycle_setup

setup() { lifecycle_setup; }
teardown() { lifecycle_teardown; }

@test "CVE-2019-5736: a process sharing the pid namespace cannot reach the init's /proc/PID/exe" {
  hull_only "checks hull's own init (runc re-execs from a sealed memfd instead)"
  make_bundle "$BUNDLE" sh -c '
    for i in $(seq 100); do
      for p in /proc/[0-9]*; do
        [ "$p" = /proc/1 ] || [ "$p" = /proc/$$ ] && continue
        if l=$(readlink "$p/exe" 2>/dev/null) && [ -n "$l" ] && [ "${l#*hull}" != "$l" ]; then
          echo "exposed $p $l" > /dev/shm/result
          (echo x >> "$p/exe") 2>/dev/null && echo wrote >> /dev/shm/result
        fi
      done
      [ -f /dev/shm/stop ] && break
      sleep 0.05
    done
    echo done >> /dev/shm/result; sleep 100'
  runtime run -d --bundle "$BUNDLE" "$ID-a"
  pid_a=$(runtime state "$ID-a" | jq .pid)
  sum=$(sha256sum "$RUNTIME_BIN" | cut -d' ' -f1)
  make_bundle "$TEST_DIR/b" sleep 100
  update_config "$TEST_DIR/b" --arg ns "/proc/$pid_a/ns/pid" '.linux.namespaces |= map(if .type == "pid" then .path = $ns else . end)'
  runtime create --bundle "$TEST_DIR/b" "$ID-b"
  sleep 1
  touch "/proc/$pid_a/root/dev/shm/stop"
  for i in $(seq 100); do grep -q done "/proc/$pid_a/root/dev/shm/result" 2>/dev/null && break; sleep 0.05; done
  run cat "/proc/$pid_a/root/dev/shm/result"
  [ "$output" = done ]
  [ "$(sha256sum "$RUNTIME_BIN" | cut -d' ' -f1)" = "$sum" ]
}

@test "CVE-2024-21626: a cwd through a leaked fd is refused" {
  make_bundle "$BUNDLE" pwd
  update_config "$BUNDLE" '.process.cwd = "/proc/self/fd/7"'
  run sh -c 'exec 7</; exec "$@"' sh "$RUNTIME_BIN" --root "$TEST_ROOT" run --bundle "$BUNDLE" "$ID"
  [ "$status" -ne 0 ]
  [ -z "$(ls "$TEST_ROOT")" ]
}

@test "CVE-2025-31133: a masked path that is a symlink to a host file is not followed" {
  make_bundle "$BUNDLE" sh -c 'cat /proc/sys/kernel/core_pattern > /dev/null; echo ok'
  # The rootfs's own /etc/hostname is a symlink to a host procfs file; masking it must not mount over the host's.
  ln -sf /proc/sys/kernel/core_pattern "$BUNDLE/rootfs/etc/masked"
  update_config "$BUNDLE" '.linux.maskedPaths += ["/etc/masked"] | .linux.readonlyPaths += ["/etc/masked"]'
  before=$(grep -c . /proc/self/mountinfo)
  run runtime run --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 0 ]
  [ "$(grep -c . /proc/self/mountinfo)" = "$before" ]
  ! grep -q core_pattern /proc/self/mountinfo
}

@test "a mount destination through a symlink to /etc lands inside the rootfs" {
  make_bundle "$BUNDLE" sh -c 'ls /hostetc/marker && echo inside'
  ln -s /etc "$BUNDLE/rootfs/hostetc-link"
  mkdir -p "$TEST_DIR/src" && touch "$TEST_DIR/src/marker"
  update_config "$BUNDLE" --arg src "$TEST_DIR/src" \
    '.mounts += [{"destination": "/hostetc-link/hulltest", "type": "bind", "source": $src, "options": ["rbind"]}]'
  run runtime run --bundle "$BUNDLE" "$ID"
  [ ! -e /etc/hulltest ]
  [ -d "$BUNDLE/rootfs/etc/hulltest" ]
}

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
