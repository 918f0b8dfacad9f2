#include "cli/commands.hpp"
#include "util/error.hpp"

namespace hull::cli {

int run_features(const Context&, const ParsedArgs&) { throw_error("features: not implemented yet"); }

}  // namespace hull::cli
