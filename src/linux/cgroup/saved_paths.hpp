// Looking up directories in SavedCgroups::paths: v1 hierarchy names as
// mounted ("cpu,cpuacct", "memory", "name=systemd") and "" for v2.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "util/strings.hpp"

namespace hull::sys::cgroup {

// The directory of the v1 hierarchy that has controller, or null.
inline const std::string* v1_dir(const std::map<std::string, std::string>& paths, std::string_view controller) {
    for (const auto& [key, dir] : paths) {
        if (key.empty()) continue;
        for (const std::string& name : util::split(key, ',')) {
            if (name == controller) return &dir;
        }
    }
    return nullptr;
}

// The v2 directory (unified or hybrid), or null.
inline const std::string* v2_dir(const std::map<std::string, std::string>& paths) {
    auto it = paths.find("");
    return it == paths.end() ? nullptr : &it->second;
}

}  // namespace hull::sys::cgroup
