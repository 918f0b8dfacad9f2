#include "linux/cgroup/systemd_path.hpp"

#include <vector>

#include "util/error.hpp"
#include "util/strings.hpp"

namespace hull::sys::cgroup {
namespace {

constexpr std::string_view kSliceSuffix = ".slice";
constexpr std::string_view kDefaultSlice = "system.slice";
constexpr std::string_view kDefaultPrefix = "hull";

bool ends_with(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

[[noreturn]] void bad_slice(std::string_view slice) {
    throw_error("invalid slice name {}: expected NAME.slice, its dash-separated parts not empty", util::quote(slice));
}

// systemd's unit_name_is_valid() alphabet (src/basic/unit-name.c), '@'
// aside: hull names plain units, never template instances. It keeps "/"
// out, so the unit's cgroup path cannot climb out of its slice.
bool valid_unit_name(std::string_view name) {
    constexpr std::size_t kUnitNameMax = 255;
    if (name.empty() || name.size() > kUnitNameMax) return false;
    for (char c : name) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ':' || c == '-' ||
                  c == '_' || c == '.' || c == '\\';
        if (!ok) return false;
    }
    return true;
}

}  // namespace

bool SystemdPath::is_slice() const { return ends_with(unit, kSliceSuffix); }

std::string expand_slice(std::string_view slice) {
    if (!ends_with(slice, kSliceSuffix) || slice.size() == kSliceSuffix.size() || !valid_unit_name(slice)) {
        bad_slice(slice);
    }
    std::string_view base = slice.substr(0, slice.size() - kSliceSuffix.size());
    if (base == "-") return "/";
    std::string path, prefix;
    for (const auto& part : util::split(base, '-')) {
        if (part.empty()) bad_slice(slice);  // "a--b.slice", "-a.slice", "a-.slice"
        path += "/" + prefix + part + std::string(kSliceSuffix);
        prefix += part + "-";
    }
    return path;
}

SystemdPath parse_systemd_path(std::string_view cgroups_path, std::string_view container_id) {
    std::string slice, prefix, name;
    if (cgroups_path.empty()) {
        prefix = kDefaultPrefix;
        name = container_id;
    } else {
        auto parts = util::split(cgroups_path, ':');
        if (parts.size() != 3) {
            throw_error("linux.cgroupsPath {}: expected \"slice:prefix:name\" with the systemd cgroup driver",
                        util::quote(cgroups_path));
        }
        slice = parts[0];
        prefix = parts[1];
        name = parts[2];
    }
    if (name.empty()) {
        throw_error("linux.cgroupsPath {}: the name in \"slice:prefix:name\" is empty", util::quote(cgroups_path));
    }
    SystemdPath p;
    p.slice = slice.empty() ? std::string(kDefaultSlice) : slice;
    p.name = name;
    p.unit = ends_with(name, kSliceSuffix) ? name : prefix + "-" + name + ".scope";
    if (!valid_unit_name(p.unit)) {
        throw_error(
            "linux.cgroupsPath {}: unit name {} may hold only letters, digits and \":-_.\\\" (at most 255 characters)",
            util::quote(cgroups_path), util::quote(p.unit));
    }
    std::string parent = with_context(fmt::format("linux.cgroupsPath {}", util::quote(cgroups_path)),
                                      [&] { return expand_slice(p.slice); });
    p.cgroup = (parent == "/" ? "" : parent) + "/" + p.unit;
    return p;
}

}  // namespace hull::sys::cgroup
