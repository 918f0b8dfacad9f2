# Helpers for the cgroup suites (load after lifecycle_setup). They find a
# container's cgroups from /proc/PID/cgroup, as an outside observer would,
# so the same tests check runc (RUNTIME=runc) too.

# cg_dir PID CONTROLLER: the host directory of PID's cgroup that carries
# CONTROLLER: the v1 hierarchy with it, else the v2 hierarchy. "unified"
# as CONTROLLER names the v2 directory itself.
cg_dir() {
  local pid=$1 ctrl=$2 path
  if [ "$ctrl" != unified ]; then
    path=$(awk -F: -v c="$ctrl" '$1 != "0" { n = split($2, a, ","); for (i = 1; i <= n; i++) if (a[i] == c) print $3 }' "/proc/$pid/cgroup")
    if [ -n "$path" ]; then
      echo "$(v1_mount "$ctrl")$path"
      return 0
    fi
  fi
  path=$(awk -F: '$1 == "0" { print $3 }' "/proc/$pid/cgroup")
  v2_mount >/dev/null || return 1
  echo "$(v2_mount)$path"
}

# cg_dirs PID: PID's cgroup directory in every hierarchy, one a line.
cg_dirs() {
  local id ctrls path
  while IFS=: read -r id ctrls path; do
    if [ "$id" = 0 ]; then echo "$(v2_mount)$path"; else echo "$(v1_mount "${ctrls%%,*}")$path"; fi
  done < "/proc/$1/cgroup"
}

# v1_mount CONTROLLER: where the v1 hierarchy carrying it ("name=systemd" too) is mounted.
v1_mount() {
  findmnt -rn -t cgroup -o TARGET,OPTIONS | awk -v c="$1" '{ n = split($2, a, ","); for (i = 1; i <= n; i++) if (a[i] == c) { print $1; exit } }'
}

# v2_mount: where the v2 hierarchy is mounted; fails without one.
v2_mount() {
  local mnt
  mnt=$(findmnt -rn -t cgroup2 -o TARGET | head -n 1)
  [ -n "$mnt" ] && echo "$mnt"
}

# cg_mount CONTROLLER: the mount that drives CONTROLLER: its v1 hierarchy, else the v2 one.
cg_mount() {
  if is_v1 "$1"; then v1_mount "$1"; else v2_mount; fi
}

# host_has_controller CONTROLLER: a v1 hierarchy or the v2 root offers it.
host_has_controller() {
  local v2
  findmnt -rn -t cgroup -o OPTIONS | tr ',' '\n' | grep -qx "$1" && return 0
  v2=$(findmnt -rn -t cgroup2 -o TARGET | head -n 1)
  [ -n "$v2" ] && tr ' ' '\n' < "$v2/cgroup.controllers" | grep -qx "$1"
}

require_controller() {
  host_has_controller "$1" || skip "this host has no $1 cgroup controller"
}

# is_v1 CONTROLLER: the controller is driven through a v1 hierarchy here.
is_v1() {
  findmnt -rn -t cgroup -o OPTIONS | tr ',' '\n' | grep -qx "$1"
}


# init_pid ID
init_pid() {
  runtime state "$1" | jq -r .pid
}

# start_sleeper ID: a detached container that sleeps, with the test's bundle.
start_sleeper() {
  run_detached run -d --bundle "$BUNDLE" "$1"
  [ "$status" -eq 0 ] || { echo "$output"; return 1; }
}
