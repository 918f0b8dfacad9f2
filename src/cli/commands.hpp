// Entry points and flag tables of the implemented commands, one file each.
#pragma once

#include <array>

#include "cli/command.hpp"

namespace hull::cli {

inline constexpr std::array kSpecFlags = {
    FlagSpec{"bundle", "b", "DIR", "path to the root of the bundle directory"},
    FlagSpec{"rootless", "", "", "generate a configuration for a rootless container"},
};
int run_spec(const Context& ctx, const ParsedArgs& args);

inline constexpr std::array<FlagSpec, 0> kFeaturesFlags = {};
int run_features(const Context& ctx, const ParsedArgs& args);

}  // namespace hull::cli
