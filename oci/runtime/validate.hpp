// Semantic checks of a parsed config.json that the runtime spec states
// (and the JSON schema's enums and patterns): each error names the JSON
// path and what was expected. Parse, then validate, then act: nothing is
// created before a config passes.
#pragma once

#include <string>
#include <string_view>

#include "oci/runtime/spec.hpp"

namespace hull::oci {

// Throws hull::Error "config.json: <path>: <what is wrong>".
void validate_spec(const Spec& spec);

// The process part alone, as `exec` gets it (paths still read "process.").
void validate_process(const Process& process);

// linux.resources alone, as `update` gets them (its merged set, before any write).
void validate_resources(const Resources& resources);

// load_spec then validate_spec.
Spec load_and_validate_spec(const std::string& path);

// The capability names this build knows (CAP_CHOWN .. CAP_CHECKPOINT_RESTORE, 0..40).
bool is_known_capability(std::string_view name);
// Whether name has the form of a capability name (^CAP_[A-Z_]+$), known or not.
bool is_capability_name(std::string_view name);

}  // namespace hull::oci
