// Logger: where hull's diagnostics go. Passed down explicitly (no global).
//
// Without --log, lines go to stderr as text. With --log FILE they are appended
// to FILE; with --log-format json each is one line
//   {"level":"error","msg":"…","time":"2026-11-23T05:51:44Z"}
// which is what conmon and the containerd shims parse (docs/engines.md "Errors").
#pragma once

#include <string_view>

#include <fmt/format.h>

#include "util/unique_fd.hpp"

namespace hull::util {

enum class LogFormat { text, json };
enum class LogLevel { debug, info, warning, error };

class Logger {
public:
    Logger() = default;  // text to stderr, no debug
    Logger(UniqueFd file, LogFormat format, bool debug)
        : file_(std::move(file)), format_(format), debug_(debug) {}

    // Opens (creating) the --log file; an empty path means stderr.
    static Logger open(const std::string& path, LogFormat format, bool debug);

    bool debug_enabled() const noexcept { return debug_; }
    bool to_file() const noexcept { return file_.valid(); }
    int fd() const noexcept { return file_.valid() ? file_.get() : 2; }
    LogFormat format() const noexcept { return format_; }

    void log(LogLevel level, std::string_view msg) const;
    void error(std::string_view msg) const { log(LogLevel::error, msg); }
    void warning(std::string_view msg) const { log(LogLevel::warning, msg); }

    template <typename... Args>
    void debug(fmt::format_string<Args...> f, Args&&... args) const {
        if (debug_) log(LogLevel::debug, fmt::format(f, std::forward<Args>(args)...));
    }

    // One formatted line, as it would be written (exposed for tests).
    std::string format_line(LogLevel level, std::string_view msg) const;

private:
    UniqueFd file_;
    LogFormat format_ = LogFormat::text;
    bool debug_ = false;
};

}  // namespace hull::util
