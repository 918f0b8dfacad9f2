// Internal to oci/runtime/validate*.cpp: the shared checks, each throwing
// "config.json: <path>: <what is wrong and what was expected>".
#pragma once

#include <algorithm>
#include <array>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "oci/runtime/spec.hpp"
#include "util/error.hpp"
#include "util/strings.hpp"

namespace hull::oci::check {

[[noreturn]] inline void fail(std::string_view path, std::string_view message) {
    throw_error("config.json: {}: {}", path, message);
}

template <std::size_t N>
bool one_of(std::string_view value, const std::array<std::string_view, N>& allowed) {
    return std::find(allowed.begin(), allowed.end(), value) != allowed.end();
}

template <std::size_t N>
void expect_one_of(std::string_view path, std::string_view value, const std::array<std::string_view, N>& allowed) {
    if (one_of(value, allowed)) return;
    std::string list;
    for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
    fail(path, fmt::format("unknown value {}: expected one of {}", util::quote(value), list));
}

inline void expect_absolute(std::string_view path, std::string_view value) {
    if (value.empty() || value[0] != '/') fail(path, fmt::format("{} is not an absolute path", util::quote(value)));
}

// Whether a namespace of `type` is listed in linux.namespaces, and whether
// it is a new one (no path) rather than one joined by path.
struct NamespaceUse {
    bool listed = false;
    bool created = false;
};

inline NamespaceUse namespace_use(const Spec& spec, std::string_view type) {
    if (!spec.linux) return {};
    for (const auto& ns : spec.linux->namespaces) {
        if (ns.type == type) return {true, !ns.path || ns.path->empty()};
    }
    return {};
}

}  // namespace hull::oci::check

namespace hull::oci::detail {

void validate_linux(const Spec& spec);
void validate_resources(const Resources& resources);
void validate_seccomp(const Seccomp& seccomp);

}  // namespace hull::oci::detail
