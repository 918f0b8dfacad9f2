#include "linux/cgroup/cgroup_files.hpp"

#include <fcntl.h>
#include <unistd.h>

#include "util/error.hpp"
#include "util/files.hpp"
#include "util/strings.hpp"

namespace hull::sys::cgroup {
namespace {

std::string join(const std::string& dir, std::string_view file) { return dir + "/" + std::string(file); }

}  // namespace

void write_cgroup_file(const std::string& dir, std::string_view file, std::string_view value) {
    std::string path = join(dir, file);
    UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CLOEXEC));
    if (!fd) throw_errno(errno, "open {}", path);
    // One write(2): the kernel parses each write as one value.
    ssize_t n = ::write(fd.get(), value.data(), value.size());
    if (n < 0) throw_errno(errno, "write {} to {}", util::quote(value), path);
}

std::string read_cgroup_file(const std::string& dir, std::string_view file) {
    return util::read_file(join(dir, file), 16 << 20);
}

std::string read_cgroup_line(const std::string& dir, std::string_view file) {
    std::string text = read_cgroup_file(dir, file);
    auto nl = text.find('\n');
    return nl == std::string::npos ? text : text.substr(0, nl);
}

std::optional<std::string> try_read_cgroup_line(const std::string& dir, std::string_view file) {
    if (!cgroup_file_exists(dir, file)) return std::nullopt;
    return read_cgroup_line(dir, file);
}

bool cgroup_file_exists(const std::string& dir, std::string_view file) {
    return ::access(join(dir, file).c_str(), F_OK) == 0;
}

}  // namespace hull::sys::cgroup
