// /proc/PID/mountinfo (proc(5)) as records: what the rootfs code asks of
// the mount table (which mount holds a path, its propagation, the procfs
// and sysfs mounts a --no-pivot container must not keep).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hull::sys {

struct MountInfo {
    int id = 0;
    int parent_id = 0;
    std::string root;         // the path inside its filesystem that is mounted
    std::string mount_point;  // unescaped (\040 is a space)
    std::vector<std::string> optional_fields;  // "shared:N", "master:N", "propagate_from:N", "unbindable"
    std::string fs_type;
    std::string source;
    std::string super_options;  // the filesystem's own (a v1 cgroup's controllers)

    bool has_optional(std::string_view prefix) const;
};

// ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTS [OPTIONAL...] - TYPE SOURCE SUPEROPTS;
// nullopt for a line that is not one.
std::optional<MountInfo> parse_mountinfo_line(std::string_view line);
std::vector<MountInfo> parse_mountinfo(std::string_view text);
// The calling process's mount table.
std::vector<MountInfo> read_own_mountinfo();
// The mount path lies on: the last listed (topmost) mount whose mount
// point is path or one of its ancestors. path must be absolute and clean.
std::optional<MountInfo> mount_containing(const std::vector<MountInfo>& mounts, std::string_view path);
// path is at or below dir ("/a/b" is below "/a", "/ab" is not).
bool path_is_within(std::string_view path, std::string_view dir);

}  // namespace hull::sys
