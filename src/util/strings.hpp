// Small string helpers with no container knowledge.
#pragma once

#include <chrono>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hull::util {

std::vector<std::string> split(std::string_view s, char sep);
bool starts_with(std::string_view s, std::string_view prefix);
// Parses a whole decimal (or 0x hex) number; nullopt on any junk or overflow.
std::optional<std::uint64_t> parse_u64(std::string_view s);
std::optional<std::int64_t> parse_i64(std::string_view s);
// A Go duration as runc's flags take it: "5s", "1m30s", "250ms", "1.5h"
// (units ns, us, µs, ms, s, m, h; "0" alone). nullopt on junk or overflow.
std::optional<std::chrono::nanoseconds> parse_duration(std::string_view s);
// Quotes s as Go's %q would for messages: "a\"b".
std::string quote(std::string_view s);
// RFC 3339 timestamps, UTC, as runc writes them.
std::string rfc3339_now(bool nanoseconds);
std::string rfc3339(std::int64_t seconds, long nanoseconds, bool with_nanoseconds);

}  // namespace hull::util
