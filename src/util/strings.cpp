#include "util/strings.hpp"

#include <charconv>
#include <cstdlib>
#include <ctime>

#include <fmt/format.h>

namespace hull::util {

std::vector<std::string> split(std::string_view s, char sep) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (true) {
        auto pos = s.find(sep, start);
        out.emplace_back(s.substr(start, pos - start));
        if (pos == std::string_view::npos) break;
        start = pos + 1;
    }
    return out;
}

bool starts_with(std::string_view s, std::string_view prefix) {
    return s.substr(0, prefix.size()) == prefix;
}

std::optional<std::uint64_t> parse_u64(std::string_view s) {
    int base = 10;
    if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        s.remove_prefix(2);
        base = 16;
    }
    if (s.empty()) return std::nullopt;
    std::uint64_t value = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value, base);
    if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
    return value;
}

std::optional<std::chrono::nanoseconds> parse_duration(std::string_view s) {
    if (s == "0") return std::chrono::nanoseconds(0);
    if (s.empty()) return std::nullopt;
    static constexpr std::pair<std::string_view, double> kUnits[] = {
        {"ns", 1}, {"us", 1e3}, {"\u00b5s", 1e3}, {"\u03bcs", 1e3}, {"ms", 1e6}, {"s", 1e9}, {"m", 60e9}, {"h", 3600e9}};
    double total = 0;
    while (!s.empty()) {
        std::size_t digits = 0;
        while (digits < s.size() && ((s[digits] >= '0' && s[digits] <= '9') || s[digits] == '.')) ++digits;
        if (digits == 0) return std::nullopt;
        std::string number(s.substr(0, digits));
        char* end = nullptr;
        double value = std::strtod(number.c_str(), &end);
        if (end != number.c_str() + number.size()) return std::nullopt;
        s.remove_prefix(digits);
        double scale = 0;
        std::size_t unit_length = 0;
        for (const auto& [unit, factor] : kUnits) {
            // The longest matching unit: "ms" before "m".
            if (s.substr(0, unit.size()) == unit && unit.size() > unit_length) {
                scale = factor;
                unit_length = unit.size();
            }
        }
        if (unit_length == 0) return std::nullopt;
        s.remove_prefix(unit_length);
        total += value * scale;
    }
    if (total > 9.2e18) return std::nullopt;
    return std::chrono::nanoseconds(static_cast<std::int64_t>(total));
}

std::optional<std::int64_t> parse_i64(std::string_view s) {
    if (s.empty()) return std::nullopt;
    std::int64_t value = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
    return value;
}

std::string quote(std::string_view s) {
    std::string out = "\"";
    for (char c : s) {
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\t': out += "\\t"; break;
            default:
                if (static_cast<unsigned char>(c) < 0x20) {
                    out += fmt::format("\\x{:02x}", static_cast<unsigned char>(c));
                } else {
                    out += c;
                }
        }
    }
    out += '"';
    return out;
}

std::string rfc3339(std::int64_t seconds, long nanoseconds, bool with_nanoseconds) {
    std::time_t t = static_cast<std::time_t>(seconds);
    std::tm tm{};
    ::gmtime_r(&t, &tm);
    std::string out = fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", tm.tm_year + 1900, tm.tm_mon + 1,
                                  tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    if (with_nanoseconds) out += fmt::format(".{:09}", nanoseconds);
    out += 'Z';
    return out;
}

std::string rfc3339_now(bool nanoseconds) {
    timespec ts{};
    ::clock_gettime(CLOCK_REALTIME, &ts);
    return rfc3339(ts.tv_sec, ts.tv_nsec, nanoseconds);
}

}  // namespace hull::util
