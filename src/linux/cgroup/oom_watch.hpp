// Notices the OOM killer acting in a container's memory cgroup, for
// `events`: a file descriptor to poll (POLLIN) beside the --interval timer,
// and consume() to ask, once it is readable, whether an OOM happened.
//   v1: an eventfd registered on memory.oom_control through
//       cgroup.event_control (cgroup-v1/memory.rst "Memory thresholds").
//   v2: inotify on memory.events; an OOM is a rise of its oom_kill count.
//       cgroup.events is watched too, to notice the cgroup emptying.
// Either way gone() turns true once the cgroup is removed or (v2) has no
// process left, which is when runc's events stops listening.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "util/unique_fd.hpp"

namespace hull::sys::cgroup {

class OomWatch {
public:
    // The watcher for a container's cgroups (SavedCgroups::paths): the v1
    // memory hierarchy if there is one, else the v2 directory if it has
    // memory.events; nullopt when neither has a memory controller.
    static std::optional<OomWatch> for_cgroups(const std::map<std::string, std::string>& paths);
    static OomWatch v1(const std::string& memory_dir);
    static OomWatch v2(const std::string& dir);

    OomWatch(OomWatch&&) noexcept = default;
    OomWatch& operator=(OomWatch&&) noexcept = default;

    // Readable when there is something for consume() to look at.
    int fd() const noexcept { return fd_.get(); }
    // Drains what the kernel signalled; true when an OOM happened since the
    // last call (several OOMs between calls count as one). Never blocks.
    bool consume();
    bool gone() const noexcept { return gone_; }

private:
    OomWatch(UniqueFd fd, std::string dir, bool v2);
    bool consume_v1();
    bool consume_v2();

    UniqueFd fd_;  // eventfd (v1) or inotify (v2)
    std::string dir_;
    bool v2_ = false;
    bool gone_ = false;
    std::uint64_t oom_kills_ = 0;  // v2: memory.events oom_kill at the last look
};

}  // namespace hull::sys::cgroup
