#!/usr/bin/env bats
# process.capabilities and noNewPrivileges as the container's process
# meets them: a dropped capability is really gone, ambient capabilities
# reach a non-root user, and a setuid binary gains no root with
# noNewPrivileges and nothing beyond the bounding set without it. Each test
# checks both sides, so a runtime that ignored the setting fails it.

load lifecycle_setup
load probe

setup_file() { build_escape_probe; }

setup() {
  lifecycle_setup
  require_escape_probe
}

teardown() { lifecycle_teardown; }

# with_caps CAP...: every set but ambient holds exactly CAPs (inheritable
# too, so that ambient may be set on top), ambient is empty.
with_caps() {
  local caps
  caps=$(printf '%s\n' "$@" | jq -R . | jq -cs .)
  update_config "$BUNDLE" --argjson c "$caps" \
    '.process.capabilities = {"bounding": $c, "effective": $c, "permitted": $c, "inheritable": $c, "ambient": []}'
}

# cap_line NAME: the hex mask of /proc/self/status's NAME line in $output.
cap_line() {
  sed -n "s/^$1:[[:space:]]*//p" <<<"$output"
}

# Ping only through a raw socket: the net namespace is the container's own,
# and ping_group_range "1 0" (no group) shuts the ICMP datagram sockets that
# would let ping work without CAP_NET_RAW. Traffic goes to 127.0.0.1 only.
PING='ip link set lo up && escape-probe raw-socket; ping -c 1 -W 2 127.0.0.1 >/dev/null 2>&1 && echo ping ok || echo ping failed'

ping_bundle() {
  make_bundle "$BUNDLE" sh -c "$PING"
  add_escape_probe "$BUNDLE"
  update_config "$BUNDLE" '.linux.sysctl = {"net.ipv4.ping_group_range": "1 0"}'
}

@test "without CAP_NET_RAW ping fails inside; with it, it works" {
  ping_bundle
  with_caps CAP_NET_ADMIN
  run runtime run --bundle "$BUNDLE" "$ID"
  echo "without: $output"
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = "raw-socket: Operation not permitted" ]
  [ "${lines[1]}" = "ping failed" ]

  with_caps CAP_NET_ADMIN CAP_NET_RAW
  run runtime run --bundle "$BUNDLE" "$ID-raw"
  echo "with: $output"
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = "raw-socket ok" ]
  [ "${lines[1]}" = "ping ok" ]
}

@test "ambient capabilities reach a non-root process; without them it has none" {
  make_bundle "$BUNDLE" sh -c 'id -u; grep ^Cap /proc/self/status; escape-probe raw-socket || true'
  add_escape_probe "$BUNDLE"
  with_caps CAP_NET_RAW
  update_config "$BUNDLE" '.process.user = {"uid": 1000, "gid": 1000}'
  run runtime run --bundle "$BUNDLE" "$ID"
  echo "without ambient: $output"
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = 1000 ]
  [ "$(cap_line CapEff)" = 0000000000000000 ]
  [ "$(cap_line CapAmb)" = 0000000000000000 ]
  [ "${lines[-1]}" = "raw-socket: Operation not permitted" ]

  # CAP_NET_RAW is bit 13
  update_config "$BUNDLE" '.process.capabilities.ambient = ["CAP_NET_RAW"]'
  run runtime run --bundle "$BUNDLE" "$ID-ambient"
  echo "with ambient: $output"
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = 1000 ]
  [ "$(cap_line CapAmb)" = 0000000000002000 ]
  [ "$(cap_line CapEff)" = 0000000000002000 ]
  [ "$(cap_line CapBnd)" = 0000000000002000 ]
  [ "${lines[-1]}" = "raw-socket ok" ]
}

# suid_bundle SCRIPT: uid 1000 runs sh -c SCRIPT, with a setuid-root copy of
# the probe as /bin/suid-probe.
suid_bundle() {
  make_bundle "$BUNDLE" sh -c "$1"
  add_escape_probe "$BUNDLE" suid-probe
  chown 0:0 "$BUNDLE/rootfs/bin/suid-probe"
  chmod 4755 "$BUNDLE/rootfs/bin/suid-probe"
  update_config "$BUNDLE" '.process.user = {"uid": 1000, "gid": 1000}'
}

@test "noNewPrivileges keeps a setuid-root binary at the caller's uid; without it the binary runs as root" {
  suid_bundle 'id -u; suid-probe ids'
  update_config "$BUNDLE" '.process.noNewPrivileges = true'
  run runtime run --bundle "$BUNDLE" "$ID"
  echo "noNewPrivileges: $output"
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = 1000 ]
  [ "${lines[1]}" = "uid=1000 euid=1000 gid=1000 egid=1000" ]

  update_config "$BUNDLE" '.process.noNewPrivileges = false'
  run runtime run --bundle "$BUNDLE" "$ID-suid"
  echo "without: $output"
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = 1000 ]
  [ "${lines[1]}" = "uid=1000 euid=0 gid=1000 egid=1000" ]
}

@test "a setuid-root binary gains no capability outside the bounding set" {
  # CAP_KILL (5) and CAP_NET_BIND_SERVICE (10): 0x420. A runtime that left
  # the bounding set full would hand the setuid binary every capability.
  suid_bundle 'suid-probe ids; suid-probe caps'
  with_caps CAP_KILL CAP_NET_BIND_SERVICE
  update_config "$BUNDLE" '.process.noNewPrivileges = false'
  run runtime run --bundle "$BUNDLE" "$ID"
  echo "$output"
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = "uid=1000 euid=0 gid=1000 egid=1000" ]
  [ "$(cap_line CapEff)" = 0000000000000420 ]
  [ "$(cap_line CapPrm)" = 0000000000000420 ]
  [ "$(cap_line CapBnd)" = 0000000000000420 ]
}

@test "an exec'd process has the container's capabilities, not the runtime's" {
  make_bundle "$BUNDLE" sleep 100
  with_caps CAP_KILL CAP_NET_BIND_SERVICE
  run_detached run -d --bundle "$BUNDLE" "$ID"
  [ "$status" -eq 0 ]
  run runtime exec "$ID" grep ^Cap /proc/self/status
  echo "$output"
  [ "$status" -eq 0 ]
  [ "$(cap_line CapEff)" = 0000000000000420 ]
  [ "$(cap_line CapBnd)" = 0000000000000420 ]
  run runtime exec --user 1000:1000 "$ID" grep ^Cap /proc/self/status
  echo "$output"
  [ "$status" -eq 0 ]
  [ "$(cap_line CapEff)" = 0000000000000000 ]
  [ "$(cap_line CapBnd)" = 0000000000000420 ]
}
