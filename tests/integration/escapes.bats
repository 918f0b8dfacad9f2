#!/usr/bin/env bats
# Paths an image controls must never aim a runtime's mount or write at the
# host: symlinks in the rootfs (CVE-2025-31133 /dev/null, CVE-2025-52565
# /dev/console and /dev/ptmx, CVE-2025-52881 writes to procfs files a mount
# has replaced), and ".." in the config's paths. Each test fails on a
# runtime with the hole.
#
# The "host file" the symlinks aim at is a victim the test owns: a root-only
# file of the host, bind-mounted into the container at /victim as a volume
# is, with the container's process running as uid 1000 so that it cannot
# touch it itself. Never a real host file such as
# /proc/sys/kernel/core_pattern: a vulnerable runtime really writes there
# (runc 1.1.5 wrote a container's stdout into this host's core_pattern while
# this suite was written).

load lifecycle_setup
load probe

setup() { lifecycle_setup; }

teardown() {
  # A runtime that followed /hostetc-link on the host side made this.
  [ -n "${ID:-}" ] && rmdir "/etc/$ID" 2>/dev/null
  lifecycle_teardown
}

# victim_bundle ARGS...: a bundle running ARGS as uid 1000, with the victim
# at /victim.
victim_bundle() {
  make_bundle "$BUNDLE" "$@"
  VICTIM=$TEST_DIR/victim
  printf 'victim %s\n' "$ID" > "$VICTIM"
  chmod 600 "$VICTIM"
  touch -d 2001-01-01 "$VICTIM"
  update_config "$BUNDLE" --arg src "$VICTIM" '.process.user = {"uid": 1000, "gid": 1000}
    | .mounts += [{"destination": "/victim", "type": "bind", "source": $src, "options": ["bind"]}]'
}

# assert_victim_untouched: the victim's content and mtime as made, and no
# mount of the test's files left in the host's mount namespace.
assert_victim_untouched() {
  [ "$(cat "$VICTIM")" = "victim $ID" ] || { echo "the victim now holds: $(cat "$VICTIM")" >&2; return 1; }
  [ "$(stat -c %Y "$VICTIM")" = "$(date -d 2001-01-01 +%s)" ] || { echo "the victim was written" >&2; return 1; }
  if grep -F "$TEST_DIR" /proc/self/mountinfo >&2; then
    echo "mounts of the test's files reached the host (above)" >&2
    return 1
  fi
}

# without_dev_tmpfs: the image's own /dev is used, as with a config that
# mounts nothing on /dev: what the image put there is what the runtime finds.
without_dev_tmpfs() {
  update_config "$BUNDLE" '.mounts |= map(select(.destination != "/dev"))'
}

# The container reports on stderr (stdout may be the victim on a runtime
# that reopens its stdio through /dev/null): file types of the device and
# the masked paths, and how many mounts name the victim (1: /victim itself).
DEV_REPORT='stat -c "%n %F %t:%T" /dev/null /proc/timer_list /proc/keys >&2
  echo "victim mounts $(grep -c victim /proc/self/mountinfo)" >&2
  echo "LEAKED through stdout" ; echo "LEAKED through /dev/null" > /dev/null'

assert_dev_report() {
  echo "$output"
  grep -qx '/dev/null character special file 1:3' <<<"$output"
  grep -qx '/proc/timer_list character special file 1:3' <<<"$output"
  grep -qx '/proc/keys character special file 1:3' <<<"$output"
  grep -qx 'victim mounts 1' <<<"$output"
}

# run_quiet ARGS...: the runtime with stdin and stdout on the host's
# /dev/null (runc reopens such stdio through the container's /dev/null),
# stderr captured.
run_quiet() {
  status=0
  "$RUNTIME_BIN" --root "$TEST_ROOT" "$@" </dev/null >/dev/null 2>"$TEST_DIR/stderr" || status=$?
  output=$(cat "$TEST_DIR/stderr")
}

@test "CVE-2025-31133: an image's /dev/null symlink to a host file neither masks paths with it nor writes to it" {
  known_vulnerable_runc 1.2.8 CVE-2025-31133
  victim_bundle sh -c "$DEV_REPORT"
  without_dev_tmpfs
  ln -s /victim "$BUNDLE/rootfs/dev/null"
  run_quiet run --bundle "$BUNDLE" "$ID"
  echo "status $status"
  assert_victim_untouched
  [ "$status" -eq 0 ]
  assert_dev_report
  assert_victim_untouched
}

@test "CVE-2025-31133: the same in a user namespace, where device nodes are bind mounts" {
  known_vulnerable_runc 1.2.8 CVE-2025-31133
  victim_bundle sh -c "$DEV_REPORT"
  without_dev_tmpfs
  use_user_namespace "$BUNDLE"
  ln -s /victim "$BUNDLE/rootfs/dev/null"
  run_quiet run --bundle "$BUNDLE" "$ID"
  echo "status $status"
  assert_victim_untouched
  [ "$status" -eq 0 ]
  assert_dev_report
  assert_victim_untouched
}

@test "a masked or read-only path that is a symlink to a host file mounts nothing over it" {
  hull_only "runc follows the symlink (inside the container) and mounts over its target; hull mounts nothing through a symlink the image controls"
  victim_bundle sh -c 'grep -c victim /proc/self/mountinfo; cat /proc/sys/kernel/core_pattern'
  ln -s /victim "$BUNDLE/rootfs/etc/masked"
  ln -s /victim "$BUNDLE/rootfs/etc/readonly"
  ln -s /proc/sys/kernel/core_pattern "$BUNDLE/rootfs/etc/masked-proc"
  update_config "$BUNDLE" '.linux.maskedPaths += ["/etc/masked", "/etc/masked-proc"] | .linux.readonlyPaths += ["/etc/readonly"]'
  run runtime run --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 0 ]
  # One mount names the victim (/victim), and core_pattern still reads as the host's.
  [ "${lines[0]}" = 1 ]
  [ "${lines[1]}" = "$(cat /proc/sys/kernel/core_pattern)" ]
  assert_victim_untouched
}

# start_console_receiver [INPUT]: tests/tools/console-receiver on
# TEST_DIR/console.sock, writing INPUT to the master it gets.
start_console_receiver() {
  /usr/bin/python3 "$REPO/tests/tools/console-receiver" "$TEST_DIR/console.sock" "$TEST_DIR/console.out" "$@" &
  echo $! > "$TEST_DIR/receiver.pid"
  for i in $(seq 100); do [ -e "$TEST_DIR/console.out.ready" ] && return 0; sleep 0.05; done
  false
}

@test "CVE-2025-52565: an image's /dev/console and /dev/ptmx symlinks to a host file are not mounted on or opened" {
  known_vulnerable_runc 1.2.8 CVE-2025-52565
  victim_bundle sh -c 'echo "victim mounts $(grep -c victim /proc/self/mountinfo)"; tty; echo done'
  without_dev_tmpfs
  update_config "$BUNDLE" '.process.terminal = true'
  ln -s /victim "$BUNDLE/rootfs/dev/console"
  ln -s /victim "$BUNDLE/rootfs/dev/ptmx"
  start_console_receiver
  run_detached run -d --console-socket "$TEST_DIR/console.sock" --bundle "$BUNDLE" "$ID"
  echo "$output"
  [ "$status" -eq 0 ]
  wait_status "$ID" stopped
  for i in $(seq 100); do grep -q done "$TEST_DIR/console.out" 2>/dev/null && break; sleep 0.05; done
  cat "$TEST_DIR/console.out"
  grep -q 'victim mounts 1' "$TEST_DIR/console.out"
  grep -q '^/dev/pts/' "$TEST_DIR/console.out"
  assert_victim_untouched
}

@test "CVE-2025-52565: without a devpts mount, an image's /dev/pts/ptmx symlink to a host file is not the console" {
  # The engine writes what the user types to the master it was given: the
  # victim, if the runtime opened the symlink as the pty multiplexer.
  victim_bundle sh -c 'echo done'
  without_dev_tmpfs
  update_config "$BUNDLE" '.process.terminal = true | .mounts |= map(select(.destination != "/dev/pts"))'
  mkdir -p "$BUNDLE/rootfs/dev/pts"
  ln -s /victim "$BUNDLE/rootfs/dev/pts/ptmx"
  start_console_receiver $'LEAKED\n'
  run_detached run -d --console-socket "$TEST_DIR/console.sock" --bundle "$BUNDLE" "$ID"
  echo "status $status: $output"
  [ "$status" -ne 0 ] || wait_status "$ID" stopped
  sleep 0.2
  assert_victim_untouched
}

@test "CVE-2025-52881: a mount destination through a symlink into /proc/sys cannot redirect a sysctl write" {
  # The bind lands on ping_group_range if the runtime lets it: the sysctl
  # the runtime writes next would go into the host file.
  victim_bundle cat /proc/sys/net/ipv4/ping_group_range
  ln -s /proc/sys/net/ipv4 "$BUNDLE/rootfs/sysnet"
  update_config "$BUNDLE" --arg src "$VICTIM" '.mounts += [{"destination": "/sysnet/ping_group_range", "type": "bind", "source": $src, "options": ["bind"]}]
    | .linux.sysctl = {"net.ipv4.ping_group_range": "0 0"}'
  run runtime run --bundle "$BUNDLE" "$ID"
  echo "status $status: $output"
  assert_victim_untouched
  # Refused, or the sysctl reached the kernel.
  [ "$status" -ne 0 ] || [ "$output" = "0	0" ]
}

@test "CVE-2025-52881: a mount destination through a symlink to /proc/self cannot redirect the oom_score_adj write" {
  victim_bundle cat /proc/self/oom_score_adj
  ln -s /proc/self "$BUNDLE/rootfs/procself"
  update_config "$BUNDLE" --arg src "$VICTIM" '.mounts += [{"destination": "/procself/oom_score_adj", "type": "bind", "source": $src, "options": ["bind"]}]
    | .process.oomScoreAdj = 432'
  run runtime run --bundle "$BUNDLE" "$ID"
  echo "status $status: $output"
  assert_victim_untouched
  [ "$status" -ne 0 ] || [ "$output" = 432 ]
}

@test "a mount destination through a symlink to /etc lands inside the rootfs" {
  make_bundle "$BUNDLE" sh -c "ls /hostetc-link/$ID/marker && echo inside"
  ln -s /etc "$BUNDLE/rootfs/hostetc-link"
  mkdir -p "$TEST_DIR/src" && touch "$TEST_DIR/src/marker"
  update_config "$BUNDLE" --arg src "$TEST_DIR/src" --arg dst "/hostetc-link/$ID" \
    '.mounts += [{"destination": $dst, "type": "bind", "source": $src, "options": ["rbind"]}]'
  run runtime run --bundle "$BUNDLE" "$ID"
  echo "$output"
  [ ! -e "/etc/$ID" ]
  [ "$status" -eq 0 ]
  [ "${lines[1]}" = inside ]
  [ -d "$BUNDLE/rootfs/etc/$ID" ]
}

@test "a mount destination through a symlink to a host directory creates nothing there" {
  mkdir -p "$TEST_DIR/hostdir"
  # The container sees the tmpfs where the symlink leads inside its own
  # root (a path under its own /dev/shm mount here).
  make_bundle "$BUNDLE" grep -c " $TEST_DIR/hostdir/sub/dir " /proc/self/mountinfo
  ln -s "$TEST_DIR/hostdir" "$BUNDLE/rootfs/hostdir-link"
  update_config "$BUNDLE" '.mounts += [{"destination": "/hostdir-link/sub/dir", "type": "tmpfs", "source": "tmpfs"}]'
  run runtime run --bundle "$BUNDLE" "$ID"
  echo "status $status: $output"
  [ -z "$(ls -A "$TEST_DIR/hostdir")" ]
  [ "$status" -eq 0 ]
  [ "$output" = 1 ]
}

# run_climbing FILTER PREFIX NAME: a run whose config FILTER puts $path,
# which is PREFIX, then more ".." than the rootfs is deep, then
# TEST_DIR/hostdir/NAME: joined to the rootfs as a string, a host path. The
# runtime may refuse it; nothing may appear in the host directory.
run_climbing() {
  make_bundle "$BUNDLE" true
  mkdir -p "$TEST_DIR/hostdir"
  update_config "$BUNDLE" --arg path "$2$(printf '/..%.0s' $(seq 20))$TEST_DIR/hostdir/$3" "$1"
  run runtime run --bundle "$BUNDLE" "$ID"
  echo "status $status: $output"
  [ -z "$(ls -A "$TEST_DIR/hostdir")" ]
}

@test "\"..\" in a mount destination stays inside the rootfs" {
  run_climbing '.mounts += [{"destination": $path, "type": "tmpfs", "source": "tmpfs"}]' /tmp new
}

@test "\"..\" in a device path stays inside the rootfs" {
  run_climbing '.linux.devices += [{"path": $path, "type": "c", "major": 1, "minor": 3}]' /dev node
}

@test "\"..\" in masked and read-only paths stays inside the rootfs" {
  make_bundle "$BUNDLE" sh -c 'grep -c " /etc/passwd " /proc/self/mountinfo; cat /etc/passwd | wc -c
    grep -c " /root ro," /proc/self/mountinfo'
  update_config "$BUNDLE" '.linux.maskedPaths += ["/proc/../../../../../../etc/passwd"]
    | .linux.readonlyPaths += ["/tmp/../../../../../../../root"]'
  run runtime run --bundle "$BUNDLE" "$ID"
  echo "status $status: $output"
  [ "$status" -eq 0 ]
  # the container's own /etc/passwd is masked and its /root read-only:
  # joined to the rootfs as strings, the paths would have been the host's
  [ "${lines[0]}" = 1 ]
  [ "${lines[1]}" = 0 ]
  [ "${lines[2]}" = 1 ]
}
