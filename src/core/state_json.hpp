// The state document (runtime.md "State") as runc prints it and as hooks
// receive it on stdin.
#pragma once

#include <string>

#include "core/container.hpp"

namespace hull::core {

std::string state_json(const ContainerRecord& record, Status status, bool pretty);

}  // namespace hull::core
