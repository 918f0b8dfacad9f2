// libFuzzer target for the state.json hull keeps in each container's
// directory (core/state_store.cpp): bytes -> record_from_json, as every
// command after create reads it from disk, where a crash may have left it
// truncated and anyone who can write the state root may have changed it.
// Any input may be refused with hull::Error; anything else (a crash, a
// sanitizer report, another exception, a leak) is a bug. A record that loads
// must also:
// - round-trip: written (record_to_json) and read again, it writes the same;
// - give, in every status, a state document (what `hull state` prints and
//   hooks read on stdin) that the OCI state parser reads back unchanged.
// The same bytes are also tried as an OCI state document (oci/runtime/state.cpp).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/container.hpp"
#include "core/state_json.hpp"
#include "core/state_store.hpp"
#include "oci/json.hpp"
#include "oci/runtime/state.hpp"
#include "util/error.hpp"

namespace {

using namespace hull;

void check_record(const core::ContainerRecord& record) {
    std::string text = core::record_to_json(record);
    // Written records must load: no try here.
    if (core::record_to_json(core::record_from_json(text, "state.json")) != text) {
        __builtin_trap();  // record_to_json lost or changed a field
    }
    for (auto status : {core::Status::creating, core::Status::created, core::Status::running, core::Status::paused,
                        core::Status::stopped}) {
        oci::State expected = core::to_oci_state(record, status);
        for (bool pretty : {false, true}) {
            // A state document hull prints must be one: no try here either.
            if (!(oci::parse_state(oci::json::parse(core::state_json(record, status, pretty))) == expected)) {
                __builtin_trap();  // the printed state reads back as a different one
            }
        }
    }
}

void check_oci_state(const oci::json::Value& doc) {
    oci::State state;
    try {
        state = oci::parse_state(doc);
    } catch (const Error&) {
        return;
    }
    if (!(oci::parse_state(oci::json::parse(oci::state_to_json(state))) == state)) {
        __builtin_trap();  // state_to_json lost or changed a field
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    std::optional<core::ContainerRecord> record;
    try {
        record = core::record_from_json(text, "state.json");
    } catch (const Error&) {
    }
    if (record) check_record(*record);
    oci::json::Value doc;
    try {
        doc = oci::json::parse(text);
    } catch (const Error&) {
        return 0;
    }
    check_oci_state(doc);
    return 0;
}
