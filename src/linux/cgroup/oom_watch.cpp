#include "linux/cgroup/oom_watch.hpp"

#include <fcntl.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "linux/cgroup/saved_paths.hpp"
#include "linux/cgroup/stat_files.hpp"
#include "util/error.hpp"
#include "util/files.hpp"

namespace hull::sys::cgroup {
namespace {

bool exists(const std::string& path) { return ::access(path.c_str(), F_OK) == 0; }

// Reads everything queued on a non-blocking fd into buf; the number of bytes
// of the last read (0 when there was nothing).
ssize_t read_nonblocking(int fd, void* buf, std::size_t size, std::string_view what) {
    while (true) {
        ssize_t n = ::read(fd, buf, size);
        if (n >= 0) return n;
        if (errno == EAGAIN) return 0;
        if (errno != EINTR) throw_errno(errno, "read {}", what);
    }
}

}  // namespace

OomWatch::OomWatch(UniqueFd fd, std::string dir, bool v2) : fd_(std::move(fd)), dir_(std::move(dir)), v2_(v2) {}

std::optional<OomWatch> OomWatch::for_cgroups(const std::map<std::string, std::string>& paths) {
    if (const std::string* dir = v1_dir(paths, "memory")) return v1(*dir);
    if (const std::string* dir = v2_dir(paths); dir && exists(*dir + "/memory.events")) return v2(*dir);
    return std::nullopt;
}

OomWatch OomWatch::v1(const std::string& memory_dir) {
    return with_context(fmt::format("watch {} for OOM", memory_dir), [&] {
        // "<eventfd> <fd of memory.oom_control>" written to cgroup.event_control
        // makes the kernel signal the eventfd on each OOM in the cgroup, and
        // once more when the cgroup is removed.
        UniqueFd oom_control = util::open_fd(memory_dir + "/memory.oom_control", O_RDONLY);
        UniqueFd efd(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
        if (!efd) throw_errno(errno, "eventfd");
        const std::string control = memory_dir + "/cgroup.event_control";
        UniqueFd control_fd = util::open_fd(control, O_WRONLY);
        util::write_all(control_fd.get(), fmt::format("{} {}", efd.get(), oom_control.get()), control);
        return OomWatch(std::move(efd), memory_dir, false);
    });
}

OomWatch OomWatch::v2(const std::string& dir) {
    return with_context(fmt::format("watch {} for OOM", dir), [&] {
        UniqueFd ifd(::inotify_init1(IN_CLOEXEC | IN_NONBLOCK));
        if (!ifd) throw_errno(errno, "inotify_init1");
        const std::string events = dir + "/memory.events";
        const std::string cgroup_events = dir + "/cgroup.events";
        // Which of the two changed does not matter: consume() reads both.
        check(::inotify_add_watch(ifd.get(), events.c_str(), IN_MODIFY), "inotify_add_watch {}", events);
        check(::inotify_add_watch(ifd.get(), cgroup_events.c_str(), IN_MODIFY), "inotify_add_watch {}",
              cgroup_events);
        OomWatch w(std::move(ifd), dir, true);
        // Only kills after this point are news.
        w.oom_kills_ = stat_files::read_key(events, "oom_kill").value_or(0);
        return w;
    });
}

bool OomWatch::consume() {
    if (gone_) return false;
    return v2_ ? consume_v2() : consume_v1();
}

bool OomWatch::consume_v1() {
    std::uint64_t count = 0;
    if (read_nonblocking(fd_.get(), &count, sizeof count, "OOM eventfd") == 0) return false;
    // The removal of the cgroup signals the eventfd too (runc tells the two
    // apart the same way).
    if (!exists(dir_ + "/cgroup.event_control")) {
        gone_ = true;
        return false;
    }
    return true;
}

bool OomWatch::consume_v2() {
    alignas(inotify_event) char buf[4096];
    bool removed = false;
    while (ssize_t n = read_nonblocking(fd_.get(), buf, sizeof buf, "OOM inotify")) {
        for (ssize_t off = 0; off < n;) {
            inotify_event ev{};
            std::memcpy(&ev, buf + off, sizeof ev);
            // IN_IGNORED: the watched file went away with its cgroup.
            if (ev.mask & IN_IGNORED) removed = true;
            off += static_cast<ssize_t>(sizeof ev + ev.len);
        }
    }
    auto kills = stat_files::read_key(dir_ + "/memory.events", "oom_kill");
    auto populated = stat_files::read_key(dir_ + "/cgroup.events", "populated");
    if (removed || !kills || populated == 0u) gone_ = true;
    if (!kills || *kills <= oom_kills_) return false;
    oom_kills_ = *kills;
    return true;
}

}  // namespace hull::sys::cgroup
