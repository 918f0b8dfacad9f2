// Internal: the pieces of config.json parsing and writing shared between
// the files of oci/runtime (not for use outside oci/).
#pragma once

#include "oci/runtime/spec.hpp"

namespace hull::oci::detail {

IdMapping parse_id_mapping(const json::Reader& r);
void write_id_mapping(json::Writer& w, const IdMapping& m);
Linux parse_linux(const json::Reader& r);
void write_linux(json::Writer& w, const Linux& l);

}  // namespace hull::oci::detail
