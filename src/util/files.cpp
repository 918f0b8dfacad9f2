#include "util/files.hpp"

#include <fcntl.h>
#include <linux/close_range.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>

#include "util/error.hpp"

namespace hull::util {

UniqueFd open_fd(const std::string& path, int flags, unsigned mode) {
    int fd = ::open(path.c_str(), flags | O_CLOEXEC, mode);
    if (fd < 0) throw_errno(errno, "open {}", path);
    return UniqueFd(fd);
}

void make_directories(const std::string& path, unsigned mode) {
    if (::mkdir(path.c_str(), mode) == 0 || errno == EEXIST) return;
    // A relative path stays relative: "rel/dir" must not become "/rel/dir".
    std::string partial = path.starts_with('/') ? "" : ".";
    std::size_t start = 0;
    while (start < path.size()) {
        std::size_t end = path.find('/', start);
        if (end == std::string::npos) end = path.size();
        if (end > start) {
            partial += "/" + path.substr(start, end - start);
            if (::mkdir(partial.c_str(), mode) < 0 && errno != EEXIST) throw_errno(errno, "create directory {}", partial);
        }
        start = end + 1;
    }
}

std::string read_fd(int fd, std::size_t max_bytes, std::string_view name) {
    struct stat st {};
    if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && static_cast<std::size_t>(st.st_size) > max_bytes) {
        throw_error("{}: file is {} bytes, more than the limit of {} bytes", name, st.st_size, max_bytes);
    }
    std::string out;
    char buf[65536];
    while (true) {
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0) {
            if (errno == EINTR) continue;
            throw_errno(errno, "read {}", name);
        }
        if (n == 0) break;
        if (out.size() + static_cast<std::size_t>(n) > max_bytes) {
            throw_error("{}: more than the limit of {} bytes", name, max_bytes);
        }
        out.append(buf, static_cast<std::size_t>(n));
    }
    return out;
}

std::string read_file(const std::string& path, std::size_t max_bytes) {
    UniqueFd fd = open_fd(path, O_RDONLY);
    return read_fd(fd.get(), max_bytes, path);
}

void write_all(int fd, std::string_view data, std::string_view name) {
    while (!data.empty()) {
        ssize_t n = ::write(fd, data.data(), data.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            throw_errno(errno, "write {}", name);
        }
        data.remove_prefix(static_cast<std::size_t>(n));
    }
}

void write_file_atomic(const std::string& path, std::string_view data, unsigned mode) {
    std::string tmp = path + ".tmp";
    UniqueFd fd = open_fd(tmp, O_WRONLY | O_CREAT | O_TRUNC, mode);
    try {
        write_all(fd.get(), data, tmp);
        check(::fsync(fd.get()), "fsync {}", tmp);
        check(::rename(tmp.c_str(), path.c_str()), "rename {} to {}", tmp, path);
    } catch (...) {
        ::unlink(tmp.c_str());
        throw;
    }
}

}  // namespace hull::util

namespace hull::util {

void close_fd_range(unsigned first, unsigned last, bool cloexec) {
    if (first > last) return;
    if (::syscall(SYS_close_range, first, last, cloexec ? CLOSE_RANGE_CLOEXEC : 0U) == 0) return;
    if (errno != ENOSYS && errno != EINVAL) throw_errno(errno, "close_range {}..{}", first, last);
    // No fd can be above the hard limit, nor above fs.nr_open (2^20 unless raised).
    rlimit limit{};
    rlim_t bound = 1U << 20;
    if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_max != RLIM_INFINITY) bound = limit.rlim_max;
    unsigned end = static_cast<rlim_t>(last) < bound ? last : static_cast<unsigned>(bound - 1);
    for (unsigned fd = first; fd <= end && fd >= first; ++fd) {
        if (cloexec) {
            ::fcntl(static_cast<int>(fd), F_SETFD, FD_CLOEXEC);
        } else {
            ::close(static_cast<int>(fd));
        }
    }
}

}  // namespace hull::util
