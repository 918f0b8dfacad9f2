// OCI hooks (config.md "POSIX-platform Hooks"): each runs with exactly its
// args and env, the container state JSON on stdin, and its timeout.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hull::oci {
struct Hook;
}
namespace hull::util {
class Logger;
}

namespace hull::core {

// One hook, independent of the config.json types.
struct HookSpec {
    std::string path;               // absolute; execve'd directly, no PATH search
    std::vector<std::string> args;  // argv, args[0] included; empty means {path}
    std::vector<std::string> env;   // the whole environment: nothing is inherited
    std::optional<std::chrono::milliseconds> timeout;
};

// Runs one hook and waits for it. Throws naming the kind, index and path:
//   prestart hook #0 "/usr/bin/x": exit status 2, stderr: <what it wrote>
//   prestart hook #0 "/usr/bin/x": timed out after 5s
//   prestart hook #0 "/usr/bin/x": exec: no such file or directory
// stdout and stderr are captured (64 KiB each) for the message only.
void run_hook(const HookSpec& hook, std::string_view state_json, std::string_view kind, std::size_t index = 0);
// Runs the hooks of one kind in order; the first failure stops the rest.
void run_hooks(const std::vector<HookSpec>& hooks, std::string_view kind, std::string_view state_json);

// The runtime's own environment (environ), as a hook's env.
std::vector<std::string> runtime_environment();
// config.json's hook: timeout in seconds; an absent env means the runtime's
// own environment, as in runc (an empty one stays empty).
HookSpec hook_spec(const oci::Hook& hook);
void run_hooks(const std::vector<oci::Hook>& hooks, std::string_view kind, std::string_view state_json);
// For the kinds whose failure is a warning (poststart, poststop): every hook
// runs, each failure is logged as a warning naming the hook, and the caller
// goes on (runtime.md "Warnings": the operation continues as if none had
// been logged).
void run_hooks_warning_on_failure(const std::vector<oci::Hook>& hooks, std::string_view kind,
                                  std::string_view state_json, const util::Logger& log);

}  // namespace hull::core
