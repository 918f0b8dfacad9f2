// process.capabilities (config.md "Linux process") through libcap: names to
// bits, then the five sets applied in the order the kernel requires.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "oci/runtime/spec.hpp"

namespace hull::sys {

// Bit N set = capability N (capabilities(7) numbering).
struct CapabilitySets {
    std::uint64_t bounding = 0, effective = 0, permitted = 0, inheritable = 0, ambient = 0;
    bool operator==(const CapabilitySets&) const = default;
};

struct ParsedCapabilities {
    CapabilitySets sets;
    std::vector<std::string> unknown_to_kernel;  // skipped, as runc does; the caller warns
};

// "CAP_CHOWN" -> 0. nullopt for a name libcap does not know (exact upper
// case, as runc's capability map; cap_from_name alone would also take
// "chown", "0" and "CAP_CHOWN1").
std::optional<int> capability_value(std::string_view name);
// 0 -> "CAP_CHOWN"; a number with no name -> "CAP_<n>".
std::string capability_name(int value);
// The kernel's number of capabilities (cap_last_cap + 1).
int kernel_capability_count();

// One set: throws `process.capabilities.<set>: unknown capability "CAP_FOO"`
// for a name that is no capability; names this kernel lacks are skipped and
// appended to unknown_to_kernel.
std::uint64_t parse_capability_set(std::string_view set, const std::vector<std::string>& names,
                                   std::vector<std::string>& unknown_to_kernel);
// All five sets; an absent set is empty.
ParsedCapabilities parse_capabilities(const std::optional<oci::Capabilities>& caps);

// In the child, before the uid changes: drop every cap not in bounding
// (PR_CAPBSET_DROP; needs CAP_SETPCAP).
void drop_bounding_set(const CapabilitySets& sets);
// PR_SET_KEEPCAPS: keep permitted caps when setuid leaves uid 0.
void keep_capabilities_across_setuid(bool keep);
// After the uid change: effective/permitted/inheritable (capset v3), then
// ambient (cleared, then raised).
void apply_capabilities(const CapabilitySets& sets);

// Every capability libcap and the kernel both know, for `features`.
std::vector<std::string> all_capability_names();

}  // namespace hull::sys
