// Helpers shared by the runtime-spec tests: error text of a call, fixture
// paths, and documents built as a base config plus a JSON merge patch.
#pragma once

#include <algorithm>
#include <string>
#include <string_view>

#include "oci/json.hpp"
#include "oci/runtime/spec.hpp"
#include "oci/runtime/validate.hpp"
#include "util/error.hpp"

namespace hull::test {

inline std::string error_of(auto&& fn) {
    try {
        fn();
    } catch (const hull::Error& e) {
        return e.what();
    }
    return "no error";
}

inline std::string data_path(std::string_view relative) { return std::string(HULL_TEST_DATA) + "/" + std::string(relative); }

// RFC 7386 merge: objects merge member by member, null removes, anything else replaces.
inline void merge_patch(oci::json::Value& target, const oci::json::Value& patch) {
    using oci::json::Kind;
    if (patch.kind() != Kind::object || target.kind() != Kind::object) {
        target = patch;
        return;
    }
    for (const auto& m : patch.members()) {
        auto& members = target.members();
        auto it = std::find_if(members.begin(), members.end(), [&](const auto& t) { return t.key == m.key; });
        if (m.value.is_null()) {
            if (it != members.end()) members.erase(it);
        } else if (it != members.end()) {
            merge_patch(it->value, m.value);
        } else {
            target.set(m.key, m.value);
        }
    }
}

// A config that passes validation: a process, a hostname and the usual namespaces.
inline constexpr std::string_view kBaseConfig = R"({
    "ociVersion": "1.3.0",
    "root": {"path": "rootfs"},
    "process": {"user": {"uid": 0, "gid": 0}, "args": ["sh"], "cwd": "/"},
    "hostname": "box",
    "linux": {"namespaces": [{"type": "pid"}, {"type": "network"}, {"type": "ipc"}, {"type": "uts"},
                             {"type": "mount"}]}
})";

inline oci::Spec spec_with(std::string_view patch) {
    oci::json::Value doc = oci::json::parse(kBaseConfig);
    merge_patch(doc, oci::json::parse(patch));
    return oci::parse_spec(doc);
}

// The message validate_spec gives for the base config with patch applied ("no error" when it passes).
inline std::string validation_error(std::string_view patch) {
    oci::Spec spec = spec_with(patch);
    return error_of([&] { oci::validate_spec(spec); });
}

}  // namespace hull::test
