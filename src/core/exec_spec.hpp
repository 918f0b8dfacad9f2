// The process `exec` starts, from --process FILE or from the container's
// own process (config.json) with the command line's overrides, as runc's
// exec builds it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "oci/runtime/spec.hpp"

namespace hull::core {

// What the command line asks for; empty strings and nullopt leave the
// container's value.
struct ExecRequest {
    std::string process_file;               // --process: the whole process, nothing else applies
    std::vector<std::string> args;          // COMMAND ARGS...
    std::string cwd;                        // --cwd
    std::vector<std::string> env;           // --env, appended to the container's
    std::string user;                       // --user UID[:GID]
    std::vector<std::string> additional_gids;  // --additional-gids, appended
    std::vector<std::string> caps;          // --cap, added to the process's sets
    std::string apparmor;                   // --apparmor
    std::string process_label;              // --process-label
    std::optional<bool> tty;                // --tty; runc's default is no terminal
    std::optional<bool> no_new_privs;       // --no-new-privs
};

// The validated process. Throws naming the flag or field that is wrong.
oci::Process exec_process_spec(const oci::Spec& container, const ExecRequest& request);

// exec_process_spec's --process half, once the file is parsed
// (oci::load_process): --tty applied on top and the result validated, errors
// prefixed with name (the file) instead of "config.json".
oci::Process process_file_spec(oci::Process process, const std::string& name, std::optional<bool> tty);

}  // namespace hull::core
