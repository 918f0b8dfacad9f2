// libFuzzer target for the config.json path that `hull create` runs before
// any side effect: bytes -> json::parse -> parse_spec -> validate_spec.
// Any input may be refused with hull::Error; anything else (a crash, a
// sanitizer report, another exception, a leak) is a bug. Documents that parse
// must also round-trip: written and read again, they give the same Spec (the
// foundation issue's promise that unknown fields are kept).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "oci/json.hpp"
#include "oci/runtime/spec.hpp"
#include "oci/runtime/validate.hpp"
#include "util/error.hpp"

namespace {

using namespace hull;

void check_json_round_trip(const oci::json::Value& doc) {
    oci::json::Writer w;
    w.value(doc);
    if (oci::json::parse(w.str()) != doc) {
        __builtin_trap();  // written JSON reads back as a different document
    }
}

void check_spec_round_trip(const oci::Spec& spec) {
    for (bool pretty : {false, true}) {
        oci::Spec again = oci::parse_spec(oci::json::parse(oci::spec_to_json(spec, pretty)));
        if (!(again == spec)) {
            __builtin_trap();  // spec_to_json lost or changed a field
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    oci::json::Value doc;
    try {
        doc = oci::json::parse(text);
    } catch (const Error&) {
        return 0;
    }
    check_json_round_trip(doc);
    oci::Spec spec;
    try {
        spec = oci::parse_spec(doc);
    } catch (const Error&) {
        return 0;
    }
    // Writing a Spec that parsed must not throw: no try here.
    check_spec_round_trip(spec);
    try {
        oci::validate_spec(spec);
    } catch (const Error&) {
    }
    return 0;
}
