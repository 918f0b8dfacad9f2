// `update` merges the changes into the container's resources as runc does
// (update.go): a field that is absent, or zero, leaves the old value.
#pragma once

#include "oci/runtime/spec.hpp"

namespace hull::core {

void merge_resources(oci::Resources& base, const oci::Resources& changes);

}  // namespace hull::core
