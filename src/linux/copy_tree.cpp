#include "linux/copy_tree.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/sendfile.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <string>

#include <fmt/format.h>

#include "util/directory.hpp"
#include "util/error.hpp"
#include "util/strings.hpp"
#include "util/unique_fd.hpp"

namespace hull::sys {
namespace {

// Deep enough for any real /etc or /var; a deeper tree is refused rather
// than running out of fds (each level holds two).
constexpr int kMaxDepth = 128;

UniqueFd open_at(int dir, const char* name, int flags, mode_t mode = 0) {
    int fd = ::openat(dir, name, flags | O_NOFOLLOW | O_CLOEXEC, mode);
    if (fd < 0) throw_errno(errno, "open");
    return UniqueFd(fd);
}

void copy_bytes(int from, int to, off_t size) {
    while (size > 0) {
        ssize_t n = ::sendfile(to, from, nullptr, static_cast<std::size_t>(size));
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw_errno(errno, "copy the contents");
        if (n == 0) break;  // the file shrank meanwhile
        size -= n;
    }
}

// Symlinks and device nodes have no fd to hand: their attributes go by name.
void copy_attributes_at(int dir, const char* name, const struct stat& st) {
    check(::fchownat(dir, name, st.st_uid, st.st_gid, AT_SYMLINK_NOFOLLOW), "chown");
    if (!S_ISLNK(st.st_mode)) check(::fchmodat(dir, name, st.st_mode & 07777, 0), "chmod");
    timespec times[2] = {st.st_atim, st.st_mtim};
    check(::utimensat(dir, name, times, AT_SYMLINK_NOFOLLOW), "set times");
}

void copy_entries(int from_dir, int to_dir, const std::string& prefix, int depth);

void copy_entry(int from_dir, int to_dir, const char* name, const std::string& prefix, int depth) {
    struct stat st {};
    check(::fstatat(from_dir, name, &st, AT_SYMLINK_NOFOLLOW), "stat");
    if (S_ISDIR(st.st_mode)) {
        check(::mkdirat(to_dir, name, 0700), "mkdir");
        UniqueFd from = open_at(from_dir, name, O_RDONLY | O_DIRECTORY);
        UniqueFd to = open_at(to_dir, name, O_RDONLY | O_DIRECTORY);
        copy_entries(from.get(), to.get(), prefix + name + "/", depth + 1);
        copy_attributes(to.get(), st);  // last: copying in would move the times
    } else if (S_ISREG(st.st_mode)) {
        UniqueFd from = open_at(from_dir, name, O_RDONLY);
        UniqueFd to = open_at(to_dir, name, O_WRONLY | O_CREAT | O_EXCL, 0600);
        copy_bytes(from.get(), to.get(), st.st_size);
        copy_attributes(to.get(), st);
    } else if (S_ISLNK(st.st_mode)) {
        std::string target(static_cast<std::size_t>(st.st_size) + 1, '\0');
        ssize_t n = check(::readlinkat(from_dir, name, target.data(), target.size()), "readlink");
        target.resize(static_cast<std::size_t>(n));
        check(::symlinkat(target.c_str(), to_dir, name), "symlink");
        copy_attributes_at(to_dir, name, st);
    } else {
        check(::mknodat(to_dir, name, st.st_mode, st.st_rdev), "mknod");
        copy_attributes_at(to_dir, name, st);
    }
}

void copy_entries(int from_dir, int to_dir, const std::string& prefix, int depth) {
    if (depth > kMaxDepth) throw_error("copy {}: more than {} directories deep", util::quote(prefix), kMaxDepth);
    for (const auto& entry : util::read_directory(from_dir, prefix)) {
        with_context(fmt::format("copy {}", util::quote(prefix + entry.name)),
                     [&] { copy_entry(from_dir, to_dir, entry.name.c_str(), prefix, depth); });
    }
}

}  // namespace

void copy_attributes(int to, const struct stat& st) {
    check(::fchown(to, st.st_uid, st.st_gid), "chown");
    check(::fchmod(to, st.st_mode & 07777), "chmod");  // after chown, which clears set-id bits
    timespec times[2] = {st.st_atim, st.st_mtim};
    check(::futimens(to, times), "set times");
}

void copy_directory_contents(int from_dir, int to_dir) { copy_entries(from_dir, to_dir, "", 0); }

}  // namespace hull::sys
