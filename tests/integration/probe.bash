# tests/tools/escape-probe.c for the escape and capability suites: built
# static once per file (setup_file: build_escape_probe), copied into a
# bundle's rootfs as /bin/escape-probe (add_escape_probe).

ESCAPE_PROBE=${BATS_FILE_TMPDIR:-/nonexistent}/escape-probe

build_escape_probe() {
  command -v gcc >/dev/null || return 0
  gcc -static -Os -o "$ESCAPE_PROBE" "$BATS_TEST_DIRNAME/../tools/escape-probe.c"
}

require_escape_probe() {
  [ -x "$ESCAPE_PROBE" ] || skip "gcc (with a static libc) is needed to build tests/tools/escape-probe.c"
}

# add_escape_probe BUNDLE [NAME]: the probe as /bin/NAME (default escape-probe).
add_escape_probe() {
  cp "$ESCAPE_PROBE" "$1/rootfs/bin/${2:-escape-probe}"
}

# runtime_version_below VERSION: the runtime under test is runc older than
# VERSION (hull has its own numbering and is never "below").
runc_version_below() {
  local have
  is_hull && return 1
  have=$("$RUNTIME_BIN" --version 2>/dev/null | sed -n 's/^runc version \([0-9.]*\).*/\1/p')
  [ -n "$have" ] || return 1
  [ "$(printf '%s\n%s\n' "$have" "$1" | sort -V | head -n 1)" != "$1" ]
}

# known_vulnerable_runc FIXED CVE: skips, loudly, on a runc older than FIXED
# (the release that fixed CVE), where the test fails as it should.
# HULL_TEST_VULNERABLE=1 runs it anyway, to watch it fail; only tests whose
# victim is a file the test owns may be run that way (never a host sysctl).
known_vulnerable_runc() {
  runc_version_below "$1" || return 0
  [ "${HULL_TEST_VULNERABLE:-0}" = 1 ] && return 0
  skip "$("$RUNTIME_BIN" --version | head -n 1) is vulnerable to $2 (fixed in runc $1): this test fails on it; HULL_TEST_VULNERABLE=1 runs it"
}
