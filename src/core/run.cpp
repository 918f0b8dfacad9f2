#include "core/run.hpp"

#include "core/foreground.hpp"

namespace hull::core {

int run_container(const StateRoot& root, RunOptions options, const util::Logger& log) {
    UniqueFd master;
    bool foreground_tty = !options.detach && options.create.console_socket.empty();
    if (foreground_tty) options.create.console_handler = [&](UniqueFd fd) { master = std::move(fd); };
    // Queued from before the clone so none is lost.
    std::optional<ForwardedSignals> signals;
    if (!options.detach) signals.emplace();

    CreatedContainer created = create_container(root, options.create, log);
    auto remove = [&] {
        if (!options.keep) delete_container(root, options.create.id, true, log);
    };
    std::optional<NotifyRelay> notify;
    try {
        if (options.detach) {
            start_container(root, options.create.id, log, options.create.notify_socket);
            return 0;
        }
        notify = release_container(root, options.create.id, log, options.create.notify_socket);
    } catch (...) {
        remove();
        throw;
    }
    int code = wait_in_foreground({created.pid, created.pidfd.get(), std::move(master), std::move(notify)}, log);
    remove();
    return code;
}

}  // namespace hull::core
