// Helpers for the kernel-facing tests: a unique temporary directory that
// removes itself, and running a check in a forked child (whose exit status
// carries the verdict, so a privileged change never touches the test process).
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <functional>
#include <string>

#include "util/error.hpp"

namespace hull::test {

class TempDir {
public:
    explicit TempDir(const char* base = "/tmp") {
        std::string templ = std::string(base) + "/hull-test-XXXXXX";
        if (::mkdtemp(templ.data()) == nullptr) throw std::runtime_error("mkdtemp " + templ);
        path_ = templ;
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    ~TempDir() {
        std::error_code ignored;
        std::filesystem::remove_all(path_, ignored);  // does not follow symlinks
    }
    const std::string& path() const { return path_; }
    std::string operator/(const std::string& rel) const { return path_ + "/" + rel; }

private:
    std::string path_;
};

// Runs fn in a forked child; returns its exit status (fn's return value, 255
// if it threw, 128+N if killed by signal N).
inline int in_child(const std::function<int()>& fn) {
    pid_t pid = ::fork();
    if (pid == 0) {
        int status = 255;
        try {
            status = fn();
        } catch (...) {
        }
        ::_exit(status);
    }
    if (pid < 0) return -1;
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) return -1;
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// The message of the hull::Error fn throws; "" when it throws none.
inline std::string error_of(const std::function<void()>& fn) {
    try {
        fn();
    } catch (const hull::Error& e) {
        return e.what();
    }
    return "";
}

}  // namespace hull::test
