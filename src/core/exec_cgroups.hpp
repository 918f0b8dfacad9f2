// Which cgroups an exec'd process joins: the container's, or sub-cgroups of
// them named by --cgroup, with runc's rules (exec.go getSubCgroupPaths,
// libcontainer's setnsProcess). Pure: exec checks that the directories exist.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace hull::core {

// container_dirs: SavedCgroups::paths (v1 hierarchy names such as
// "cpu,cpuacct", "" for v2). Each argument is [CONTROLLER[,CONTROLLER...]:]PATH;
// PATH is joined to the container's cgroup, so "/" and "" name that cgroup
// itself, and must stay at or below it. A PATH without controllers is for
// every hierarchy and must be the only argument. Throws naming the argument.
std::map<std::string, std::string> exec_cgroup_dirs(const std::map<std::string, std::string>& container_dirs,
                                                     const std::vector<std::string>& args);

}  // namespace hull::core
