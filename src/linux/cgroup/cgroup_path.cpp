#include "linux/cgroup/cgroup_path.hpp"

#include "util/strings.hpp"

namespace hull::sys::cgroup {

std::string clean_rooted(std::string_view path) {
    std::vector<std::string> parts;
    for (auto& part : util::split(path, '/')) {
        if (part.empty() || part == ".") continue;
        if (part == "..") {
            if (!parts.empty()) parts.pop_back();
            continue;
        }
        parts.push_back(std::move(part));
    }
    std::string out;
    for (const auto& p : parts) out += "/" + p;
    return out.empty() ? "/" : out;
}

std::string path_in_hierarchy(std::string_view cgroups_path, std::string_view container_id, const Hierarchy& h) {
    if (cgroups_path.starts_with('/')) return clean_rooted(cgroups_path);
    std::string_view relative = cgroups_path.empty() ? container_id : cgroups_path;
    std::string inner = clean_rooted(relative);  // cannot climb out of its base
    // On v2 the runtime's own cgroup most likely has processes (a service,
    // a session scope), so no controller can be enabled below it ("no
    // internal processes"): as runc's fs2, start from its parent.
    std::string base = h.own_path;
    if (h.v2) base = base.substr(0, base.rfind('/'));
    return clean_rooted(base + inner);
}

std::vector<std::string> missing_directories(const std::string& mount_point, std::string_view inner,
                                             const std::function<bool(const std::string&)>& exists) {
    std::vector<std::string> out;
    std::string dir = mount_point;
    for (auto& part : util::split(clean_rooted(inner), '/')) {
        if (part.empty()) continue;
        dir += "/" + part;
        if (!out.empty() || !exists(dir)) out.push_back(dir);
    }
    return out;
}

}  // namespace hull::sys::cgroup
