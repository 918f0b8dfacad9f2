#!/usr/bin/env bats
# The hull binary loads nothing beyond libc, libstdc++/libgcc, yajl,
# libseccomp and libcap: every shared library costs start-up time on every
# container (docs/architecture.md, "What `hull` links, and why").

load helpers

setup() { hull_setup; }
teardown() { hull_teardown; }

@test "hull links only libc, libstdc++, libgcc, yajl, libseccomp and libcap" {
  hull_only "hull's own link rule"
  run ldd "$RUNTIME_BIN"
  if [[ "$output" == *"not a dynamic executable"* ]]; then
    return 0  # -Dstatic=true
  fi
  assert_status 0
  local lib extra=""
  for lib in $(awk '{print $1}' <<<"$output"); do
    case "$(basename "$lib")" in
      linux-vdso.so.* | ld-linux*.so.* | libc.so.* | libm.so.* | libstdc++.so.* | libgcc_s.so.* | \
        libyajl.so.* | libseccomp.so.* | libcap.so.*) ;;
      *) extra="$extra $lib" ;;
    esac
  done
  [ -z "$extra" ] || fail "hull links more than it may:$extra"$'\n'"$output"
}
