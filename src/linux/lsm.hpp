// Linux security modules: process.apparmorProfile and process.selinuxLabel
// (config.md "Linux Process") and linux.mountLabel (config-linux.md "Mount
// Label"), applied as runc does (libcontainer/apparmor, go-selinux):
//  - AppArmor: "exec PROFILE" written to attr/apparmor/exec (attr/exec on
//    kernels without the per-LSM directory): the profile starts at execve.
//  - SELinux: the label written to attr/exec, taking effect at execve; the
//    same label to attr/keycreate before the session keyring is joined, so
//    the keyring is the container's; linux.mountLabel as the context="LABEL"
//    option of the mounts runc labels.
// Every function takes the procfs or sysfs root as a directory fd (the
// host's /proc and /sys; a fake tree in the unit tests).
#pragma once

#include <string>
#include <string_view>

#include "oci/runtime/spec.hpp"

namespace hull::sys {

// Which LSMs the host runs.
struct LsmHost {
    bool apparmor = false;
    bool selinux = false;
};

// sys_fd and proc_fd: directory fds (O_PATH is enough) of a sysfs and a
// procfs root.
bool apparmor_enabled(int sys_fd);
bool selinux_enabled(int sys_fd, int proc_fd);
LsmHost detect_lsm(int sys_fd, int proc_fd);
// detect_lsm on the host's /sys and /proc.
LsmHost host_lsm();

// Throws, naming the field, for a profile or label the host cannot apply.
// Called before any side effect (create, exec), so the user never gets a
// half-made container for a config this host cannot honour.
void check_process_labels(const oci::Process& process, const LsmHost& host);
// check_process_labels on spec.process, and linux.mountLabel.
void check_spec_labels(const oci::Spec& spec, const LsmHost& host);
// The same against host_lsm(), which is read only when a profile or label
// is asked for: a container without one pays nothing on its start path.
void check_process_labels(const oci::Process& process);
void check_spec_labels(const oci::Spec& spec);

// The process's AppArmor profile and SELinux label, for the calling
// thread's next execve. Nothing is written for an empty or absent value.
void apply_exec_labels(const oci::Process& process, int proc_fd);
// The SELinux label the calling thread gives the next keyring it creates:
// call just before joining a new session keyring.
void set_keyring_label(const oci::Process& process, int proc_fd);

// go-selinux's FormatMountLabel: data with context="LABEL" appended (the
// quotes keep the commas of an MCS range inside the option); data
// unchanged for an empty label.
std::string format_mount_label(std::string_view data, std::string_view label);
// Whether a filesystem of this type takes the context= option, as runc
// passes it: not proc and sysfs (SELinux cannot label them), not mqueue
// (labelled after mounting, label_mount_root), not cgroup mounts, not binds
// (mount(2) ignores the data of a bind).
bool mount_type_takes_label(std::string_view type);
// Labels the root of a mount made without context= (mqueue): the
// security.selinux attribute of the directory fd refers to.
void label_mount_root(int fd, std::string_view label);

}  // namespace hull::sys
