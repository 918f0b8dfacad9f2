#include "linux/mountinfo.hpp"

#include "util/error.hpp"
#include "util/files.hpp"
#include "util/strings.hpp"

namespace hull::sys {
namespace {

// The kernel escapes space, tab, newline and backslash as \ooo (seq_file's
// mangle): "/a\040b" is "/a b".
std::string unescape(std::string_view field) {
    std::string out;
    out.reserve(field.size());
    for (std::size_t i = 0; i < field.size(); ++i) {
        std::string_view digits = field.substr(i + 1, 3);
        bool octal = field[i] == '\\' && digits.size() == 3 &&
                     digits.find_first_not_of("01234567") == std::string_view::npos;
        if (!octal) {
            out.push_back(field[i]);
            continue;
        }
        out.push_back(static_cast<char>((digits[0] - '0') * 64 + (digits[1] - '0') * 8 + (digits[2] - '0')));
        i += 3;
    }
    return out;
}

std::optional<int> parse_int(std::string_view s) {
    auto v = util::parse_u64(s);
    if (!v || *v > 0x7fffffff) return std::nullopt;
    return static_cast<int>(*v);
}

}  // namespace

bool MountInfo::has_optional(std::string_view prefix) const {
    for (const auto& f : optional_fields) {
        if (f.starts_with(prefix)) return true;
    }
    return false;
}

std::optional<MountInfo> parse_mountinfo_line(std::string_view line) {
    auto fields = util::split(line, ' ');
    std::size_t dash = 6;
    while (dash < fields.size() && fields[dash] != "-") ++dash;
    if (fields.size() < 6 || dash + 3 > fields.size()) return std::nullopt;
    auto id = parse_int(fields[0]);
    auto parent = parse_int(fields[1]);
    if (!id || !parent) return std::nullopt;
    MountInfo m;
    m.id = *id;
    m.parent_id = *parent;
    m.root = unescape(fields[3]);
    m.mount_point = unescape(fields[4]);
    for (std::size_t i = 6; i < dash; ++i) m.optional_fields.push_back(fields[i]);
    m.fs_type = fields[dash + 1];
    m.source = unescape(fields[dash + 2]);
    m.super_options = fields[dash + 3];
    return m;
}

std::vector<MountInfo> parse_mountinfo(std::string_view text) {
    std::vector<MountInfo> out;
    for (const auto& line : util::split(text, '\n')) {
        if (auto m = parse_mountinfo_line(line)) out.push_back(std::move(*m));
    }
    return out;
}

std::vector<MountInfo> read_own_mountinfo() {
    return parse_mountinfo(util::read_file("/proc/self/mountinfo", 16 << 20));
}

bool path_is_within(std::string_view path, std::string_view dir) {
    if (dir == "/") return path.starts_with('/');
    if (!path.starts_with(dir)) return false;
    return path.size() == dir.size() || path[dir.size()] == '/';
}

std::optional<MountInfo> mount_containing(const std::vector<MountInfo>& mounts, std::string_view path) {
    const MountInfo* best = nullptr;
    for (const auto& m : mounts) {
        if (!path_is_within(path, m.mount_point)) continue;
        // The longest mount point wins; among equals the later one, which
        // is mounted over the earlier.
        if (best == nullptr || m.mount_point.size() >= best->mount_point.size()) best = &m;
    }
    if (best == nullptr) return std::nullopt;
    return *best;
}

}  // namespace hull::sys
