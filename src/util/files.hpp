// File helpers: whole-file reads with a size cap, atomic writes.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "util/unique_fd.hpp"

namespace hull::util {

// Reads the whole file; refuses files larger than max_bytes before reading.
std::string read_file(const std::string& path, std::size_t max_bytes);
std::string read_fd(int fd, std::size_t max_bytes, std::string_view name);
// Writes all of data to fd, retrying on EINTR and short writes.
void write_all(int fd, std::string_view data, std::string_view name);
// Writes to a temporary file beside path, fsyncs it and renames it into place.
void write_file_atomic(const std::string& path, std::string_view data, unsigned mode);
UniqueFd open_fd(const std::string& path, int flags, unsigned mode = 0);
// mkdir -p: creates path and its missing parents with mode; existing
// directories are fine. Errors name the directory that could not be made.
void make_directories(const std::string& path, unsigned mode);

}  // namespace hull::util

namespace hull::util {

// close_range(2) over [first, last], or with cloexec only marks them
// close-on-exec. A kernel without it (before 5.9; 5.11 for the cloexec
// form) gets the same by one fcntl/close per possible fd up to the fd
// limit: an fd left open here would reach the container (CVE-2024-21626).
void close_fd_range(unsigned first, unsigned last, bool cloexec);

}  // namespace hull::util
