#include "util/directory.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <memory>

#include "util/error.hpp"
#include "util/unique_fd.hpp"

namespace hull::util {
namespace {

struct CloseDir {
    void operator()(DIR* d) const noexcept { ::closedir(d); }
};

std::vector<DirEntry> read_entries(DIR* dir, std::string_view what) {
    std::vector<DirEntry> out;
    errno = 0;
    while (const dirent* e = ::readdir(dir)) {
        std::string_view name = e->d_name;
        if (name != "." && name != "..") out.push_back(DirEntry{std::string(name), e->d_type});
        errno = 0;
    }
    if (errno != 0) throw_errno(errno, "read directory {}", what);
    return out;
}

}  // namespace

std::vector<DirEntry> read_directory(int dir_fd, std::string_view what) {
    // The stream takes the duplicate only when fdopendir succeeds; until
    // then the UniqueFd closes it.
    UniqueFd copy(::fcntl(dir_fd, F_DUPFD_CLOEXEC, 3));
    if (!copy) throw_errno(errno, "duplicate the fd of directory {}", what);
    std::unique_ptr<DIR, CloseDir> dir(::fdopendir(copy.get()));
    if (!dir) throw_errno(errno, "open directory {}", what);
    copy.release();
    // A duplicate shares the offset: start from the top whatever was read before.
    ::rewinddir(dir.get());
    return read_entries(dir.get(), what);
}

std::optional<std::vector<DirEntry>> read_directory(const std::string& path) {
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!fd) {
        if (errno == ENOENT) return std::nullopt;
        throw_errno(errno, "open directory {}", path);
    }
    return read_directory(fd.get(), path);
}

}  // namespace hull::util
