// OCI hooks (config.md "POSIX-platform Hooks"): each runs with exactly its
// args and env, the state JSON on stdin, and its timeout.
#pragma once

#include <string_view>
#include <vector>

#include "oci/runtime/spec.hpp"

namespace hull::core {

// Runs one hook; throws naming the kind, index, path, and the exit status
// or timeout, with what the hook wrote to stderr.
void run_hook(const oci::Hook& hook, std::string_view state_json, std::string_view kind, std::size_t index);
// Runs the hooks of one kind in order; the first failure stops the rest.
void run_hooks(const std::vector<oci::Hook>& hooks, std::string_view kind, std::string_view state_json);

}  // namespace hull::core
