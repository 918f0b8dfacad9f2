// Small readers and writers for optional fields, shared by the runtime-spec
// documents, so each struct's parse and write read as a list of its fields.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "oci/json.hpp"

namespace hull::oci::fields {

using json::ObjectReader;
using json::Reader;
using json::Writer;

inline std::optional<std::string> opt_string(ObjectReader& o, std::string_view key) {
    auto r = o.optional(key);
    return r ? std::optional<std::string>(r->string()) : std::nullopt;
}

inline std::optional<bool> opt_bool(ObjectReader& o, std::string_view key) {
    auto r = o.optional(key);
    return r ? std::optional<bool>(r->boolean()) : std::nullopt;
}

template <typename T>
std::optional<T> opt_int(ObjectReader& o, std::string_view key) {
    auto r = o.optional(key);
    return r ? std::optional<T>(r->integer<T>()) : std::nullopt;
}

inline std::optional<std::vector<std::string>> opt_strings(ObjectReader& o, std::string_view key) {
    auto r = o.optional(key);
    return r ? std::optional<std::vector<std::string>>(r->strings()) : std::nullopt;
}

inline std::vector<std::string> strings(ObjectReader& o, std::string_view key) {
    auto r = o.optional(key);
    return r ? r->strings() : std::vector<std::string>{};
}

template <typename T, typename Parse>
std::optional<T> opt_object(ObjectReader& o, std::string_view key, Parse parse) {
    auto r = o.optional(key);
    return r ? std::optional<T>(parse(*r)) : std::nullopt;
}

template <typename T, typename Parse>
std::vector<T> array(ObjectReader& o, std::string_view key, Parse parse) {
    std::vector<T> out;
    if (auto r = o.optional(key)) {
        for (const Reader& item : r->items()) out.push_back(parse(item));
    }
    return out;
}

// An object used as a map from names to values of one type.
template <typename T, typename Parse>
std::vector<std::pair<std::string, T>> map(ObjectReader& o, std::string_view key, Parse parse) {
    std::vector<std::pair<std::string, T>> out;
    if (auto r = o.optional(key)) {
        ObjectReader is_object(*r);  // refuses a non-object
        for (const auto& m : r->value().members()) {
            // A name that is cut short at a NUL would name something else (a sysctl, a device).
            if (m.key.find('\0') != std::string::npos) r->fail("a name with a NUL byte (\\u0000) in it");
            out.emplace_back(m.key, parse(r->child(m.value, m.key)));
        }
    }
    return out;
}

inline std::vector<std::pair<std::string, std::string>> string_map(ObjectReader& o, std::string_view key) {
    return map<std::string>(o, key, [](const Reader& r) { return r.string(); });
}

// An object whose values must all be strings (annotations), kept as members.
inline json::Object string_members(const Reader& r) {
    ObjectReader o(r);  // refuses a non-object
    for (const auto& m : r.value().members()) r.child(m.value, m.key).string();
    return r.value().members();
}

// ---- writing ----

inline void put(Writer& w, std::string_view key, const std::optional<std::string>& v) {
    if (v) w.key(key).string(*v);
}
inline void put(Writer& w, std::string_view key, const std::optional<bool>& v) {
    if (v) w.key(key).boolean(*v);
}
template <typename T>
void put_int(Writer& w, std::string_view key, const std::optional<T>& v) {
    if (!v) return;
    if constexpr (std::is_signed_v<T>) {
        w.key(key).integer(static_cast<std::int64_t>(*v));
    } else {
        w.key(key).unsigned_integer(static_cast<std::uint64_t>(*v));
    }
}
inline void put_strings(Writer& w, std::string_view key, const std::vector<std::string>& v) {
    w.key(key).begin_array();
    for (const auto& s : v) w.string(s);
    w.end_array();
}
inline void put(Writer& w, std::string_view key, const std::optional<std::vector<std::string>>& v) {
    if (v) put_strings(w, key, *v);
}
inline void put_nonempty(Writer& w, std::string_view key, const std::vector<std::string>& v) {
    if (!v.empty()) put_strings(w, key, v);
}
template <typename T, typename Write>
void put_array(Writer& w, std::string_view key, const std::vector<T>& items, Write write) {
    if (items.empty()) return;
    w.key(key).begin_array();
    for (const auto& item : items) write(w, item);
    w.end_array();
}
template <typename T, typename Write>
void put_object(Writer& w, std::string_view key, const std::optional<T>& v, Write write) {
    if (v) {
        w.key(key);
        write(w, *v);
    }
}
template <typename T, typename Write>
void put_map(Writer& w, std::string_view key, const std::vector<std::pair<std::string, T>>& items, Write write) {
    if (items.empty()) return;
    w.key(key).begin_object();
    for (const auto& [name, value] : items) {
        w.key(name);
        write(w, value);
    }
    w.end_object();
}
inline void put_string_map(Writer& w, std::string_view key, const std::vector<std::pair<std::string, std::string>>& m) {
    put_map(w, key, m, [](Writer& ww, const std::string& s) { ww.string(s); });
}

}  // namespace hull::oci::fields
