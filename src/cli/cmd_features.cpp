// features: the features document of this build.
#include <fmt/format.h>

#include "cli/commands.hpp"
#include "core/features.hpp"
#include "util/error.hpp"

namespace hull::cli {

int run_features(const Context&, const ParsedArgs& args) {
    if (!args.positionals().empty()) throw_error("features: expected no arguments");
    fmt::print("{}\n", oci::features_to_json(core::runtime_features()));
    return 0;
}

}  // namespace hull::cli
