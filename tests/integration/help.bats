#!/usr/bin/env bats
# --help: every runc command and global flag is listed; each command has its
# own --help; commands whose issue has not landed say so and fail.

load helpers

setup() { hull_setup; }
teardown() { hull_teardown; }

COMMANDS="create start state kill delete run exec ps list pause resume update events checkpoint restore spec features"
GLOBAL_FLAGS="--root --log --log-format --debug --systemd-cgroup --rootless"
# Commands still answering "not implemented yet". Each issue that lands a
# command removes it here (and the README's command table says the same).
UNIMPLEMENTED="checkpoint restore"

@test "--help lists every runc command" {
  run rt_bare --help
  assert_status 0
  local cmd missing=""
  for cmd in $COMMANDS; do
    grep -Eq "^[[:space:]]+$cmd([[:space:],]|$)" <<<"$output" || missing="$missing $cmd"
  done
  [ -z "$missing" ] || fail "--help does not list:$missing"$'\n'"$output"
}

@test "--help lists the global flags" {
  run rt_bare --help
  assert_status 0
  local flag missing=""
  for flag in $GLOBAL_FLAGS --help --version; do
    grep -Eq -- "(^|[[:space:],])$flag([[:space:],=]|$)" <<<"$output" || missing="$missing $flag"
  done
  [ -z "$missing" ] || fail "--help does not list:$missing"$'\n'"$output"
}

@test "-h is --help" {
  run rt_bare --help
  local long=$output
  run rt_bare -h
  assert_status 0
  [ "$output" = "$long" ] || fail "-h and --help differ"
}

@test "no command prints the help and fails like runc" {
  hull_only "runc prints its help and exits 0"
  run --separate-stderr rt_bare
  assert_status 1
  [[ "$output$stderr" == *create* ]] || fail "no usage text"
}

@test "CMD --help works for every command and names it" {
  local cmd
  for cmd in $COMMANDS; do
    run rt "$cmd" --help
    [ "$status" -eq 0 ] || { show_run; fail "$cmd --help exited $status"; }
    [[ "$output" == *"$cmd"* ]] || { show_run; fail "$cmd --help does not name $cmd"; }
  done
}

@test "CMD --help does not run the command" {
  cd "$TEST_DIR"
  run rt spec --help
  assert_status 0
  [ ! -e "$TEST_DIR/config.json" ] || fail "spec --help wrote config.json"
}

@test "unimplemented commands exit 1 with 'not implemented yet'" {
  hull_only "runc implements every command"
  local cmd
  for cmd in $UNIMPLEMENTED; do
    run --separate-stderr rt "$cmd" "$PREFIX"
    [ "$status" -eq 1 ] || { show_run; fail "$cmd exited $status"; }
    [[ "$stderr" == "hull: "*"not implemented yet"* ]] || { show_run; fail "$cmd: stderr"; }
    [ -z "$output" ] || { show_run; fail "$cmd printed to stdout"; }
  done
}

@test "implemented commands do not answer 'not implemented yet'" {
  local cmd
  for cmd in $COMMANDS; do
    [[ " $UNIMPLEMENTED " == *" $cmd "* ]] && continue
    # Failing on the missing container or config.json is fine: only the stub text is not.
    mkdir "$TEST_DIR/$cmd" && cd "$TEST_DIR/$cmd"
    run --separate-stderr rt "$cmd" "$PREFIX-missing"
    [[ "$output$stderr" != *"not implemented yet"* ]] || { show_run; fail "$cmd is a stub"; }
  done
}

@test "update --help lists every flag of runc 1.1's update, by runc's names" {
  # runc 1.1.5's update.go, less the flags it hides (--kernel-memory, --kernel-memory-tcp).
  local flag missing=""
  run rt update --help
  assert_status 0
  for flag in --resources -r --blkio-weight --cpu-period --cpu-quota --cpu-share --cpu-rt-period --cpu-rt-runtime \
    --cpuset-cpus --cpuset-mems --memory --memory-reservation --memory-swap --pids-limit --l3-cache-schema \
    --mem-bw-schema; do
    grep -Eq -- "(^|[[:space:],])$flag([[:space:],=]|$)" <<<"$output" || missing="$missing $flag"
  done
  [ -z "$missing" ] || fail "update --help does not list:$missing"$'\n'"$output"
}
