// linux.cgroupsPath under --systemd-cgroup: "slice:prefix:name" names a
// transient unit "prefix-name.scope" in the slice "slice" (runc's
// libcontainer/specconv and cgroups/systemd rules, which engines rely on:
// podman passes "machine.slice:libpod:ID", docker "system.slice:docker:ID").
#pragma once

#include <string>
#include <string_view>

namespace hull::sys::cgroup {

struct SystemdPath {
    std::string slice;  // the parent slice unit, "system.slice" when the path leaves it empty
    std::string name;   // the third part, or the container id for the default path
    // The unit hull creates: "prefix-name.scope", or name itself when it ends
    // in ".slice" (runc then makes a slice unit, as kubelet asks for pods).
    std::string unit;
    // Where systemd puts the unit below the root of every hierarchy:
    // "/system.slice/hull-ID.scope", "/a.slice/a-b.slice/prefix-ID.scope".
    std::string cgroup;

    bool is_slice() const;
    bool operator==(const SystemdPath&) const = default;
};

// An empty cgroups_path means "system.slice" and "hull-ID.scope" (runc:
// "runc-ID.scope"). Throws naming linux.cgroupsPath and the form expected.
SystemdPath parse_systemd_path(std::string_view cgroups_path, std::string_view container_id);

// systemd's slice hierarchy is spelled with dashes: "a-b-c.slice" lives at
// "/a.slice/a-b.slice/a-b-c.slice"; "-.slice" is the root "/".
std::string expand_slice(std::string_view slice);

}  // namespace hull::sys::cgroup
