# containers-common's seccomp.json (podman's default profile) → the OCI
# linux.seccomp object podman would put in config.json on an amd64 host for
# a container whose bounding set is $caps: as containers/common's seccomp
# package does, a rule applies when its includes (arches, caps) all hold and
# none of its excludes does; archMap gives x86_64 with its sub-architectures.
#   jq --argjson caps "$(jq .process.capabilities.bounding config.json)" -f podman-seccomp.jq seccomp.json
def listed($values; $x): ($values // []) | index($x) != null;
def includes_hold: (.arches // []) as $a | (.caps // []) as $c
  | (($a | length) == 0 or listed($a; "amd64")) and ($c | all(. as $x | listed($caps; $x)));
def excludes_hit: listed(.arches; "amd64") or ((.caps // []) | any(. as $x | listed($caps; $x)));
{
  defaultAction,
  defaultErrnoRet,
  architectures: [.archMap[] | select(.architecture == "SCMP_ARCH_X86_64") | .architecture, .subArchitectures[]],
  syscalls: [.syscalls[]
    | select((.includes // {} | includes_hold) and (.excludes // {} | excludes_hit | not))
    | {names, action}
      + (if .errnoRet != null then {errnoRet} else {} end)
      + (if (.args // []) != [] then {args: [.args[] | {index, value, op} + (if (.valueTwo // 0) != 0 then {valueTwo} else {} end)]} else {} end)]
}
