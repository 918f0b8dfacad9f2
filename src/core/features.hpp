// What this build of hull supports, as the features document says it
// (features.md). Every entry must stay true as features land: a capability
// is listed only once hull applies it.
#pragma once

#include "oci/runtime/features.hpp"

namespace hull::core {

oci::Features runtime_features();

}  // namespace hull::core
