// `update`'s flags → LinuxResources changes, as runc's update.go reads them.
#pragma once

#include <cstdint>
#include <string_view>

#include "cli/args.hpp"
#include "oci/runtime/spec.hpp"

namespace hull::cli {

// Sizes as docker/go-units RAMInBytes: "512", "64k", "1.5g", "2MiB"
// (binary multiples, case-insensitive); "-1" is unlimited.
std::int64_t parse_memory_size(std::string_view text, std::string_view flag);

// The flags over base (which --resources gave, or empty).
void apply_update_flags(const ParsedArgs& args, oci::Resources& r);

}  // namespace hull::cli
