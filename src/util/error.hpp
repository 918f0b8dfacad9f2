// hull::Error: the one error type. It carries an errno (0 when the failure is
// not a system call's) and a message that gains context as it travels up:
// "create container \"x\": mount \"proc\" on \"/proc\": permission denied".
#pragma once

#include <cerrno>
#include <exception>
#include <string>
#include <string_view>
#include <utility>

#include <fmt/format.h>

namespace hull {

class Error : public std::exception {
public:
    Error(int err, std::string message) : errno_(err), message_(std::move(message)) {}
    explicit Error(std::string message) : Error(0, std::move(message)) {}

    // The full text, with strerror appended when errno is set.
    const char* what() const noexcept override;
    int error_number() const noexcept { return errno_; }
    const std::string& message() const noexcept { return message_; }

    // Prefixes "context: " to the message; returns *this for rethrowing.
    Error& add_context(std::string_view context);

    // The status hull exits with for this error (1 unless the error says
    // otherwise: 127 for a missing executable, 126 for one that cannot run).
    int exit_status() const noexcept { return exit_status_; }
    Error& set_exit_status(int status) noexcept {
        exit_status_ = status;
        return *this;
    }

private:
    int exit_status_ = 1;
    int errno_;
    std::string message_;
    mutable std::string what_;
};

// Throws Error(errno, formatted message) for a failed system call.
template <typename... Args>
[[noreturn]] void throw_errno(int err, fmt::format_string<Args...> f, Args&&... args) {
    throw Error(err, fmt::format(f, std::forward<Args>(args)...));
}

template <typename... Args>
[[noreturn]] void throw_error(fmt::format_string<Args...> f, Args&&... args) {
    throw Error(0, fmt::format(f, std::forward<Args>(args)...));
}

// Syscall wrapper: check(::mount(...), "mount {} on {}", src, dst).
// Returns the result when it is not -1, throws with errno otherwise.
template <typename T, typename... Args>
T check(T result, fmt::format_string<Args...> f, Args&&... args) {
    if (result == static_cast<T>(-1)) {
        throw Error(errno, fmt::format(f, std::forward<Args>(args)...));
    }
    return result;
}

// Runs fn and prefixes the context to any Error it throws.
template <typename Fn>
auto with_context(std::string_view context, Fn&& fn) -> decltype(fn()) {
    try {
        return fn();
    } catch (Error& e) {
        e.add_context(context);
        throw;
    }
}

}  // namespace hull
