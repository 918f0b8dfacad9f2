// libFuzzer target for the process.json of `exec --process FILE`
// (core/exec_spec.cpp): bytes -> oci::parse_process_text ->
// core::process_file_spec (--tty on top, validate_process), the path exec
// runs before it touches the container. Any input may be refused with
// hull::Error, whose message names the file and not config.json; anything
// else (a crash, a sanitizer report, another exception, a leak) is a bug. A
// process that parses must round-trip through config.json's writer.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/exec_spec.hpp"
#include "oci/json.hpp"
#include "oci/runtime/spec.hpp"
#include "util/error.hpp"

namespace {

using namespace hull;

constexpr std::string_view kName = "process.json";

void check_message(const Error& e) {
    std::string_view message = e.message();
    if (!message.starts_with("process.json: ") || message.starts_with("process.json: config.json: ")) {
        __builtin_trap();  // the error does not name the file it came from
    }
}

void check_round_trip(const oci::Process& process) {
    oci::Spec spec;
    spec.oci_version = "1.3.0";
    spec.process = process;
    for (bool pretty : {false, true}) {
        // Writing a Process that parsed must not throw: no try here.
        oci::Spec again = oci::parse_spec(oci::json::parse(oci::spec_to_json(spec, pretty)));
        if (!(again == spec)) {
            __builtin_trap();  // spec_to_json lost or changed a field of the process
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    oci::Process process;
    try {
        process = oci::parse_process_text(text, std::string(kName));
    } catch (const Error& e) {
        check_message(e);
        return 0;
    }
    check_round_trip(process);
    for (std::optional<bool> tty : {std::optional<bool>(), std::optional<bool>(true)}) {
        try {
            oci::Process p = core::process_file_spec(process, std::string(kName), tty);
            if (tty && p.terminal != tty) __builtin_trap();  // --tty was not applied
        } catch (const Error& e) {
            check_message(e);
        }
    }
    return 0;
}
