#include "cli/commands.hpp"
#include "util/error.hpp"

namespace hull::cli {

int run_spec(const Context&, const ParsedArgs&) { throw_error("spec: not implemented yet"); }

}  // namespace hull::cli
