// `events` (runc's events.go): one stats line with --stats, else stats
// every interval and an oom line whenever the OOM killer acts, until the
// container stops.
#include <poll.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "core/container.hpp"
#include "core/events_json.hpp"
#include "linux/cgroup/manager.hpp"
#include "linux/cgroup/oom_watch.hpp"
#include "util/error.hpp"
#include "util/strings.hpp"

namespace hull::core {
namespace {

// The record, read under the container's lock and released at once: the
// watch may run for hours and must not keep kill or delete out.
ContainerRecord running_container(const StateRoot& root, const std::string& id) {
    ContainerDir dir = root.open(id);
    ContainerRecord record = dir.load();
    if (container_status(dir, record) == Status::stopped) {
        throw_error("container with id {} is not running", util::quote(id));
    }
    if (record.cgroups.paths.empty()) throw_error("container {} has no cgroups to watch", util::quote(id));
    return record;
}

bool still_running(const StateRoot& root, const std::string& id) {
    auto dir = root.try_open(id);
    if (!dir) return false;
    auto record = dir->try_load();
    return record && container_status(*dir, *record) != Status::stopped;
}

UniqueFd interval_timer(std::chrono::milliseconds interval) {
    UniqueFd timer(::timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK));
    if (!timer) throw_errno(errno, "timerfd_create for --interval");
    itimerspec spec{};
    spec.it_interval.tv_sec = interval.count() / 1000;
    spec.it_interval.tv_nsec = (interval.count() % 1000) * 1'000'000;
    spec.it_value = spec.it_interval;
    check(::timerfd_settime(timer.get(), 0, &spec, nullptr), "arm the --interval timer");
    return timer;
}

}  // namespace

void watch_events(const StateRoot& root, const std::string& id, const EventsOptions& options,
                  const std::function<void(const std::string&)>& emit) {
    ContainerRecord record = running_container(root, id);
    auto cgroups = sys::cgroup::load_manager(record.cgroups);
    if (options.stats_only) {
        emit(stats_event_json(id, cgroups->stats()));
        return;
    }
    if (options.interval.count() <= 0) throw_error("events: --interval must be positive");
    auto oom = sys::cgroup::OomWatch::for_cgroups(record.cgroups.paths);
    UniqueFd timer = interval_timer(options.interval);
    while (true) {
        pollfd fds[2] = {{timer.get(), POLLIN, 0}, {oom ? oom->fd() : -1, POLLIN, 0}};
        if (::poll(fds, 2, -1) < 0) {
            if (errno == EINTR) continue;
            throw_errno(errno, "events: poll");
        }
        if (fds[1].revents != 0) {
            if (oom->consume()) emit(oom_event_json(id));
            if (oom->gone()) return;
        }
        if (fds[0].revents != 0) {
            std::uint64_t ticks = 0;
            [[maybe_unused]] auto n = ::read(timer.get(), &ticks, sizeof ticks);
            if (!still_running(root, id)) return;
            try {
                emit(stats_event_json(id, cgroups->stats()));
            } catch (const Error&) {
                // The cgroup went away between the check and the read: the container stopped.
                if (!still_running(root, id)) return;
                throw;
            }
        }
    }
}

}  // namespace hull::core
