// Where a container's cgroup goes in each hierarchy (config-linux.md
// "cgroupsPath"), with runc's rules for the cgroupfs driver: an absolute
// path is taken from the hierarchy's root, a relative one from the
// runtime's own cgroup in that hierarchy (on v2 from its parent, as runc's
// fs2: the own cgroup holds processes, so it cannot have controllers for
// children), and an empty one means the container id (relative). ".."
// never climbs above where the path starts.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "linux/cgroup/layout.hpp"

namespace hull::sys::cgroup {

// Lexically cleans path as rooted at "/": "a/../../b" → "/b", "//x/" → "/x".
std::string clean_rooted(std::string_view path);

// The path inside hierarchy h, starting with "/".
std::string path_in_hierarchy(std::string_view cgroups_path, std::string_view container_id, const Hierarchy& h);

// What making mount_point + inner creates: the directories from the first
// one that does not exist down to the leaf, parents first (empty when the
// leaf exists).
std::vector<std::string> missing_directories(const std::string& mount_point, std::string_view inner,
                                             const std::function<bool(const std::string&)>& exists);

}  // namespace hull::sys::cgroup
