#include "linux/cgroup/stat_files.hpp"

#include <dirent.h>
#include <fcntl.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <limits>
#include <memory>

#include "util/directory.hpp"
#include "util/error.hpp"
#include "util/files.hpp"
#include "util/strings.hpp"
#include "util/unique_fd.hpp"

namespace hull::sys::cgroup::stat_files {
namespace {

// io.stat and memory.stat of a big host are a few KiB; this is far above.
constexpr std::size_t kMaxStatFile = 1 << 20;

std::optional<std::string> read_unless(const std::string& path, int absent_errno) {
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) {
        if (errno == ENOENT || errno == absent_errno) return std::nullopt;
        throw_errno(errno, "open {}", path);
    }
    try {
        return util::read_fd(fd.get(), kMaxStatFile, path);
    } catch (const Error& e) {
        if (e.error_number() == absent_errno) return std::nullopt;
        throw;
    }
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n'; }

std::string_view trim(std::string_view s) {
    while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
    return s;
}

double parse_avg(std::string_view text, const std::string& path) {
    double value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size()) {
        fail(path, fmt::format("expected a decimal number, got \"{}\"", text));
    }
    return value;
}

PsiData parse_psi_line(const std::vector<std::string_view>& f, const std::string& path) {
    PsiData data;
    for (std::size_t i = 1; i < f.size(); ++i) {
        auto eq = f[i].find('=');
        if (eq == std::string_view::npos) fail(path, fmt::format("expected key=value, got \"{}\"", f[i]));
        std::string_view key = f[i].substr(0, eq);
        std::string_view value = f[i].substr(eq + 1);
        if (key == "avg10") data.avg10 = parse_avg(value, path);
        if (key == "avg60") data.avg60 = parse_avg(value, path);
        if (key == "avg300") data.avg300 = parse_avg(value, path);
        if (key == "total") data.total = parse_value(value, path);
    }
    return data;
}

std::uint16_t parse_id(std::string_view text, const std::string& path) {
    std::uint64_t v = parse_value(text, path);
    if (v > std::numeric_limits<std::uint16_t>::max()) fail(path, fmt::format("id {} is out of range", text));
    return static_cast<std::uint16_t>(v);
}

}  // namespace

void fail(const std::string& path, std::string_view message) { throw_error("{}: {}", path, message); }

std::optional<std::string> read_optional(const std::string& path) { return read_unless(path, ENOENT); }

std::optional<std::string> read_pressure(const std::string& path) { return read_unless(path, EOPNOTSUPP); }

std::vector<std::string_view> fields(std::string_view line) {
    std::vector<std::string_view> out;
    std::size_t pos = 0;
    while (pos < line.size()) {
        while (pos < line.size() && is_space(line[pos])) ++pos;
        std::size_t end = pos;
        while (end < line.size() && !is_space(line[end])) ++end;
        if (end > pos) out.push_back(line.substr(pos, end - pos));
        pos = end;
    }
    return out;
}

std::vector<std::string_view> lines(std::string_view text) {
    std::vector<std::string_view> out;
    while (!text.empty()) {
        auto nl = text.find('\n');
        std::string_view line = text.substr(0, nl);
        if (!trim(line).empty()) out.push_back(line);
        if (nl == std::string_view::npos) break;
        text.remove_prefix(nl + 1);
    }
    return out;
}

std::uint64_t parse_value(std::string_view text, const std::string& path) {
    text = trim(text);
    if (text == "max") return std::numeric_limits<std::uint64_t>::max();
    if (!text.empty() && text[0] == '-' && util::parse_i64(text)) return 0;
    std::uint64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
        fail(path, fmt::format("expected a non-negative integer or \"max\", got \"{}\"", text));
    }
    return value;
}

std::optional<std::uint64_t> read_value(const std::string& path) {
    auto text = read_optional(path);
    if (!text) return std::nullopt;
    return parse_value(*text, path);
}

std::vector<std::pair<std::string, std::uint64_t>> parse_flat_keyed(std::string_view text, const std::string& path) {
    std::vector<std::pair<std::string, std::uint64_t>> out;
    for (std::string_view line : lines(text)) {
        auto f = fields(line);
        if (f.size() != 2) fail(path, fmt::format("expected \"key value\", got \"{}\"", line));
        out.emplace_back(std::string(f[0]), parse_value(f[1], path));
    }
    return out;
}

std::optional<std::uint64_t> read_key(const std::string& path, std::string_view key) {
    auto text = read_optional(path);
    if (!text) return std::nullopt;
    for (const auto& [k, v] : parse_flat_keyed(*text, path)) {
        if (k == key) return v;
    }
    return std::nullopt;
}

Psi parse_psi(std::string_view text, const std::string& path) {
    Psi psi;
    for (std::string_view line : lines(text)) {
        auto f = fields(line);
        if (f[0] == "some") psi.some = parse_psi_line(f, path);
        if (f[0] == "full") psi.full = parse_psi_line(f, path);
    }
    return psi;
}

std::vector<std::uint16_t> parse_id_list(std::string_view text, const std::string& path) {
    std::vector<std::uint16_t> ids;
    text = trim(text);
    if (text.empty()) return ids;
    for (const std::string& range : util::split(text, ',')) {
        auto dash = range.find('-');
        if (dash == std::string::npos) {
            ids.push_back(parse_id(range, path));
            continue;
        }
        std::uint16_t first = parse_id(std::string_view(range).substr(0, dash), path);
        std::uint16_t last = parse_id(std::string_view(range).substr(dash + 1), path);
        if (first > last) fail(path, fmt::format("range \"{}\" runs backwards", range));
        for (unsigned id = first; id <= last; ++id) ids.push_back(static_cast<std::uint16_t>(id));
    }
    return ids;
}

std::vector<std::string> hugetlb_page_sizes(const std::string& dir, std::string_view suffix) {
    std::vector<std::string> sizes;
    auto entries = util::read_directory(dir);
    if (!entries) return sizes;
    constexpr std::string_view prefix = "hugetlb.";
    for (const auto& e : *entries) {
        std::string_view name = e.name;
        if (name.size() <= prefix.size() + suffix.size() || !util::starts_with(name, prefix) ||
            name.substr(name.size() - suffix.size()) != suffix) {
            continue;
        }
        std::string_view size = name.substr(prefix.size(), name.size() - prefix.size() - suffix.size());
        // hugetlb.2MB.rsvd.usage_in_bytes counts reservations, not usage.
        if (size.find('.') == std::string_view::npos) sizes.emplace_back(size);
    }
    std::sort(sizes.begin(), sizes.end());
    return sizes;
}

}  // namespace hull::sys::cgroup::stat_files
