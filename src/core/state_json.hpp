// The state document (runtime.md "State") as runc prints it and as hooks
// receive it on stdin.
#pragma once

#include <string>

#include "core/container.hpp"
#include "oci/runtime/state.hpp"

namespace hull::core {

// The state document of a container; `owner` is the user name runc prints
// (empty in `state`, as runc's).
oci::State to_oci_state(const ContainerRecord& record, Status status, std::string owner = "");
// Pretty as runc's `state`, or compact for a hook's stdin.
std::string state_json(const ContainerRecord& record, Status status, bool pretty);

}  // namespace hull::core
