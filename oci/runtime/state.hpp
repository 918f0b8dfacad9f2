// The state document (runtime.md "State") with the fields runc adds
// (rootfs, created, owner), as `state` prints it and hooks read it on stdin.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "oci/json.hpp"

namespace hull::oci {

struct State {
    std::string oci_version;
    std::string id;
    // runtime.md allows values beyond creating/created/running/stopped
    // ("Additional values MAY be defined"); runc adds "paused".
    std::string status;
    // REQUIRED on Linux when created or running; runc always writes it (0 once stopped).
    std::optional<std::int32_t> pid;
    std::string bundle;
    std::optional<std::string> rootfs;
    std::optional<std::string> created;  // RFC 3339 with nanoseconds, as runc writes it
    json::Object annotations;            // string values, document order
    std::optional<std::string> owner;
    json::Object extra;
    bool operator==(const State&) const = default;
};

// Errors name the JSON path ("pid: expected an integer in [0, 2147483647], got -1").
State parse_state(const json::Value& doc);
void write_state(json::Writer& w, const State& state);
// Pretty (two-space indent, no trailing newline) as runc's json.MarshalIndent(s, "", "  ").
std::string state_to_json(const State& state);

}  // namespace hull::oci
