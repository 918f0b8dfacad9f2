// process.capabilities (config.md "Linux process") through libcap: names to
// bits, then the five sets applied in the order the kernel requires.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "oci/runtime/spec.hpp"

namespace hull::sys {

struct CapabilitySets {
    std::uint64_t bounding = 0, effective = 0, permitted = 0, inheritable = 0, ambient = 0;
};

struct ParsedCapabilities {
    CapabilitySets sets;
    std::vector<std::string> unknown_to_kernel;  // skipped, as runc does, with a warning
};

// Names the running kernel does not have are skipped (and listed); names
// that are not capabilities at all were refused by validation.
ParsedCapabilities parse_capabilities(const std::optional<oci::Capabilities>& caps);

// In the child, before the uid changes: drop every cap not in bounding.
void drop_bounding_set(const CapabilitySets& sets);
void keep_capabilities_across_setuid(bool keep);
// After the uid change: effective/permitted/inheritable, then ambient.
void apply_capabilities(const CapabilitySets& sets);

// Every capability libcap and the kernel know, for `features`.
std::vector<std::string> all_capability_names();

}  // namespace hull::sys
