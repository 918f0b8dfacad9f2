// Semantic checks of a parsed config.json that the runtime spec states
// (and the JSON schema's enums and patterns): each error names the JSON
// path and what was expected. Parse, then validate, then act: nothing is
// created before a config passes.
#pragma once

#include "oci/runtime/spec.hpp"

namespace hull::oci {

// Throws hull::Error "config.json: <path>: <what is wrong>".
void validate_spec(const Spec& spec);

// The capability names this build knows (CAP_CHOWN .. CAP_CHECKPOINT_RESTORE).
bool is_known_capability(std::string_view name);

}  // namespace hull::oci
