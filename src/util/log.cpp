#include "util/log.hpp"

#include <fcntl.h>
#include <unistd.h>

#include "util/error.hpp"
#include "util/strings.hpp"

namespace hull::util {
namespace {

std::string_view level_name(LogLevel level) {
    switch (level) {
        case LogLevel::debug: return "debug";
        case LogLevel::info: return "info";
        case LogLevel::warning: return "warning";
        case LogLevel::error: return "error";
    }
    return "error";
}

std::string json_escape(std::string_view s) {
    std::string out;
    out.reserve(s.size() + 8);
    for (char c : s) {
        auto u = static_cast<unsigned char>(c);
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                if (u < 0x20) {
                    out += fmt::format("\\u{:04x}", u);
                } else {
                    out += c;
                }
        }
    }
    return out;
}

}  // namespace

Logger Logger::open(const std::string& path, LogFormat format, bool debug) {
    if (path.empty()) return Logger(UniqueFd(), format, debug);
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0) throw_errno(errno, "open log file {}", path);
    return Logger(UniqueFd(fd), format, debug);
}

std::string Logger::format_line(LogLevel level, std::string_view msg) const {
    std::string time = rfc3339_now(true);
    if (format_ == LogFormat::json) {
        return fmt::format("{{\"level\":\"{}\",\"msg\":\"{}\",\"time\":\"{}\"}}\n", level_name(level),
                           json_escape(msg), time);
    }
    return fmt::format("time=\"{}\" level={} msg={}\n", time, level_name(level), quote(msg));
}

void Logger::log(LogLevel level, std::string_view msg) const {
    if (level == LogLevel::debug && !debug_) return;
    std::string line = format_line(level, msg);
    // One write per line so concurrent writers (hull and its child) do not interleave.
    [[maybe_unused]] ssize_t n = ::write(fd(), line.data(), line.size());
}

}  // namespace hull::util
