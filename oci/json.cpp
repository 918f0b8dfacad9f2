#include "oci/json.hpp"

#include <yajl/yajl_gen.h>
#include <yajl/yajl_parse.h>

#include <charconv>
#include <cmath>
#include <limits>
#include <memory>

#include "util/error.hpp"
#include "util/files.hpp"
#include "util/strings.hpp"

namespace hull::oci::json {

std::string_view kind_name(Kind kind) {
    switch (kind) {
        case Kind::null: return "null";
        case Kind::boolean: return "a boolean";
        case Kind::number: return "a number";
        case Kind::string: return "a string";
        case Kind::array: return "an array";
        case Kind::object: return "an object";
    }
    return "a value";
}

// ---- Value ------------------------------------------------------------

Value Value::boolean(bool b) {
    Value v;
    v.kind_ = Kind::boolean;
    v.bool_ = b;
    return v;
}

Value Value::number_text(std::string text) {
    Value v;
    v.kind_ = Kind::number;
    v.text_ = std::move(text);
    return v;
}

Value Value::string(std::string s) {
    Value v;
    v.kind_ = Kind::string;
    v.text_ = std::move(s);
    return v;
}

Value Value::array() {
    Value v;
    v.kind_ = Kind::array;
    return v;
}

Value Value::object() {
    Value v;
    v.kind_ = Kind::object;
    return v;
}

const Value* Value::find(std::string_view key) const noexcept {
    for (const auto& m : members_) {
        if (m.key == key) return &m.value;
    }
    return nullptr;
}

Value& Value::set(std::string key, Value value) {
    for (auto& m : members_) {
        if (m.key == key) {
            m.value = std::move(value);
            return m.value;
        }
    }
    members_.push_back(Member{std::move(key), std::move(value)});
    return members_.back().value;
}

bool Value::operator==(const Value& other) const {
    return kind_ == other.kind_ && bool_ == other.bool_ && text_ == other.text_ && items_ == other.items_ &&
           members_ == other.members_;
}

// ---- parse: yajl's event parser building our tree ---------------------
//
// The event API (rather than yajl_tree) lets us refuse nesting beyond
// max_depth while parsing: yajl_tree would build, and later free with
// recursion, a 100,000-deep document before we could look at it.

namespace {

struct ParseContext {
    std::size_t max_depth;
    std::vector<Value*> stack;  // open containers; the last is the innermost
    std::vector<std::string> pending_keys;
    Value root;
    bool have_root = false;
    bool too_deep = false;

    bool add(Value v) {
        if (stack.empty()) {
            root = std::move(v);
            have_root = true;
            return true;
        }
        Value* parent = stack.back();
        if (parent->kind() == Kind::array) {
            parent->items().push_back(std::move(v));
        } else {
            parent->members().push_back(Member{std::move(pending_keys.back()), std::move(v)});
        }
        return true;
    }

    bool open(Value v) {
        if (stack.size() >= max_depth) {
            too_deep = true;
            return false;
        }
        add(std::move(v));
        Value* opened = &root;
        if (stack.size() > 0) {
            Value* parent = stack.back();
            opened = parent->kind() == Kind::array ? &parent->items().back() : &parent->members().back().value;
        }
        stack.push_back(opened);
        pending_keys.emplace_back();
        return true;
    }

    bool close() {
        stack.pop_back();
        pending_keys.pop_back();
        return true;
    }
};

ParseContext& ctx_of(void* ctx) { return *static_cast<ParseContext*>(ctx); }

int on_null(void* ctx) { return ctx_of(ctx).add(Value()); }
int on_boolean(void* ctx, int b) { return ctx_of(ctx).add(Value::boolean(b != 0)); }
int on_number(void* ctx, const char* s, size_t len) {
    return ctx_of(ctx).add(Value::number_text(std::string(s, len)));
}
int on_string(void* ctx, const unsigned char* s, size_t len) {
    return ctx_of(ctx).add(Value::string(std::string(reinterpret_cast<const char*>(s), len)));
}
int on_start_map(void* ctx) { return ctx_of(ctx).open(Value::object()); }
int on_map_key(void* ctx, const unsigned char* s, size_t len) {
    ctx_of(ctx).pending_keys.back().assign(reinterpret_cast<const char*>(s), len);
    return 1;
}
int on_end(void* ctx) { return ctx_of(ctx).close(); }
int on_start_array(void* ctx) { return ctx_of(ctx).open(Value::array()); }

constexpr yajl_callbacks kCallbacks = {
    on_null, on_boolean, nullptr, nullptr, on_number, on_string,
    on_start_map, on_map_key, on_end, on_start_array, on_end,
};

struct YajlHandleDeleter {
    void operator()(yajl_handle h) const { yajl_free(h); }
};
using YajlHandle = std::unique_ptr<yajl_handle_t, YajlHandleDeleter>;

[[noreturn]] void throw_parse_error(yajl_handle h, const ParseContext& ctx, std::string_view text) {
    if (ctx.too_deep) throw_error("invalid JSON: nesting deeper than {} levels", ctx.max_depth);
    std::size_t offset = yajl_get_bytes_consumed(h);
    unsigned char* raw = yajl_get_error(h, 0, reinterpret_cast<const unsigned char*>(text.data()), text.size());
    std::string reason = raw != nullptr ? reinterpret_cast<char*>(raw) : "parse error";
    yajl_free_error(h, raw);
    while (!reason.empty() && (reason.back() == '\n' || reason.back() == ' ')) reason.pop_back();
    throw_error("invalid JSON at byte {}: {}", offset, reason);
}

}  // namespace

Value parse(std::string_view text, const ParseLimits& limits) {
    if (text.size() > limits.max_bytes) {
        throw_error("document is {} bytes, more than the limit of {} bytes", text.size(), limits.max_bytes);
    }
    ParseContext ctx{limits.max_depth, {}, {}, Value(), false, false};
    YajlHandle h(yajl_alloc(&kCallbacks, nullptr, &ctx));
    if (!h) throw_error("out of memory allocating the JSON parser");
    auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
    if (yajl_parse(h.get(), bytes, text.size()) != yajl_status_ok ||
        yajl_complete_parse(h.get()) != yajl_status_ok) {
        throw_parse_error(h.get(), ctx, text);
    }
    if (!ctx.have_root) throw_error("invalid JSON: the document is empty");
    return std::move(ctx.root);
}

Value parse_file(const std::string& path, const ParseLimits& limits) {
    return with_context(path, [&] { return parse(util::read_file(path, limits.max_bytes), limits); });
}

// ---- Reader -------------------------------------------------------------

namespace {

std::string describe(const Value& v) {
    switch (v.kind()) {
        case Kind::null: return "null";
        case Kind::boolean: return v.bool_value() ? "boolean true" : "boolean false";
        case Kind::number: return "number " + v.text();
        case Kind::string: {
            std::string s = v.text().size() > 64 ? v.text().substr(0, 64) + "…" : v.text();
            return "string " + util::quote(s);
        }
        case Kind::array: return "an array";
        case Kind::object: return "an object";
    }
    return "a value";
}

bool is_integer_literal(const std::string& text) {
    return text.find_first_of(".eE") == std::string::npos;
}

}  // namespace

void Reader::fail_expected(std::string_view what) const {
    fail(fmt::format("expected {}, got {}", what, describe(*value_)));
}

void Reader::fail(std::string_view message) const {
    if (path_.empty()) throw_error("{}", message);
    throw_error("{}: {}", path_, message);
}

Reader Reader::child(const Value& value, std::string_view key) const {
    return Reader(value, path_.empty() ? std::string(key) : fmt::format("{}.{}", path_, key));
}

Reader Reader::child(const Value& value, std::size_t index) const {
    return Reader(value, fmt::format("{}[{}]", path_, index));
}

std::string Reader::string() const {
    if (kind() != Kind::string) fail_expected("a string");
    // Every string of these documents ends up as a C string (a path, an
    // argument, a variable): a NUL would silently cut it short there.
    if (value_->text().find('\0') != std::string::npos) fail("a string with a NUL byte (\\u0000) in it");
    return value_->text();
}

bool Reader::boolean() const {
    if (kind() != Kind::boolean) fail_expected("a boolean");
    return value_->bool_value();
}

std::int64_t Reader::i64() const {
    if (kind() != Kind::number || !is_integer_literal(value_->text())) fail_expected("an integer");
    auto v = util::parse_i64(value_->text());
    if (!v) fail_expected("an integer in the int64 range");
    return *v;
}

std::uint64_t Reader::u64() const {
    if (kind() != Kind::number || !is_integer_literal(value_->text())) fail_expected("an integer");
    if (!value_->text().empty() && value_->text()[0] == '-') fail_expected("a non-negative integer");
    auto v = util::parse_u64(value_->text());
    if (!v) fail_expected("an integer in the uint64 range");
    return *v;
}

double Reader::number() const {
    if (kind() != Kind::number) fail_expected("a number");
    double d = 0;
    const std::string& t = value_->text();
    auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), d);
    if (ec != std::errc() || end != t.data() + t.size() || !std::isfinite(d)) fail_expected("a finite number");
    return d;
}

template <typename T>
T Reader::integer() const {
    using Limits = std::numeric_limits<T>;
    // Formatted only on failure: configs are read on every command.
    auto range = [] { return fmt::format("an integer in [{}, {}]", Limits::min(), Limits::max()); };
    if (kind() != Kind::number || !is_integer_literal(value_->text())) fail_expected("an integer");
    if constexpr (Limits::is_signed) {
        auto v = util::parse_i64(value_->text());
        if (!v || *v < static_cast<std::int64_t>(Limits::min()) || *v > static_cast<std::int64_t>(Limits::max())) {
            fail_expected(range());
        }
        return static_cast<T>(*v);
    } else {
        const std::string& t = value_->text();
        auto v = t.empty() || t[0] == '-' ? std::nullopt : util::parse_u64(t);
        if (!v || *v > static_cast<std::uint64_t>(Limits::max())) fail_expected(range());
        return static_cast<T>(*v);
    }
}

template std::int8_t Reader::integer<std::int8_t>() const;
template std::int16_t Reader::integer<std::int16_t>() const;
template std::int32_t Reader::integer<std::int32_t>() const;
template std::int64_t Reader::integer<std::int64_t>() const;
template std::uint8_t Reader::integer<std::uint8_t>() const;
template std::uint16_t Reader::integer<std::uint16_t>() const;
template std::uint32_t Reader::integer<std::uint32_t>() const;
template std::uint64_t Reader::integer<std::uint64_t>() const;

std::vector<Reader> Reader::items() const {
    if (kind() != Kind::array) fail_expected("an array");
    std::vector<Reader> out;
    out.reserve(value_->items().size());
    for (std::size_t i = 0; i < value_->items().size(); ++i) out.push_back(child(value_->items()[i], i));
    return out;
}

std::vector<std::string> Reader::strings() const {
    if (kind() != Kind::array) fail_expected("an array");
    const auto& items = value_->items();
    std::vector<std::string> out;
    out.reserve(items.size());
    // An element's path is built only when it is not a string: a seccomp
    // profile has hundreds of names, and a path each cost more than the rest.
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (items[i].kind() != Kind::string) child(items[i], i).fail_expected("a string");
        out.push_back(items[i].text());
        if (out.back().find('\0') != std::string::npos) child(items[i], i).string();  // names the NUL
    }
    return out;
}

// ---- ObjectReader -----------------------------------------------------

ObjectReader::ObjectReader(const Reader& reader) : reader_(reader) {
    if (reader.kind() != Kind::object) reader.fail_expected("an object");
    taken_.assign(reader.value().members().size(), false);
}

std::optional<Reader> ObjectReader::optional(std::string_view key) {
    const auto& members = reader_.value().members();
    std::optional<Reader> found;
    // The last duplicate wins, as in Go's encoding/json.
    for (std::size_t i = 0; i < members.size(); ++i) {
        if (members[i].key == key) {
            taken_[i] = true;
            found = reader_.child(members[i].value, key);
        }
    }
    return found;
}

Reader ObjectReader::required(std::string_view key) {
    auto r = optional(key);
    if (!r) reader_.fail(fmt::format("missing required field {}", util::quote(key)));
    return *r;
}

Object ObjectReader::rest() const {
    Object out;
    const auto& members = reader_.value().members();
    for (std::size_t i = 0; i < members.size(); ++i) {
        if (!taken_[i]) out.push_back(members[i]);
    }
    return out;
}

// ---- Writer -------------------------------------------------------------

namespace {

void check_gen(yajl_gen_status status, std::string_view what) {
    if (status != yajl_gen_status_ok) throw_error("JSON writer: {} failed (yajl status {})", what, static_cast<int>(status));
}

}  // namespace

Writer::Writer(const WriteOptions& options) : gen_(yajl_gen_alloc(nullptr)) {
    if (gen_ == nullptr) throw_error("out of memory allocating the JSON writer");
    if (options.pretty) {
        yajl_gen_config(gen_, yajl_gen_beautify, 1);
        yajl_gen_config(gen_, yajl_gen_indent_string, "  ");
    }
}

Writer::~Writer() { yajl_gen_free(gen_); }

Writer& Writer::begin_object() { check_gen(yajl_gen_map_open(gen_), "open object"); return *this; }
Writer& Writer::end_object() { check_gen(yajl_gen_map_close(gen_), "close object"); return *this; }
Writer& Writer::begin_array() { check_gen(yajl_gen_array_open(gen_), "open array"); return *this; }
Writer& Writer::end_array() { check_gen(yajl_gen_array_close(gen_), "close array"); return *this; }
Writer& Writer::key(std::string_view k) { return string(k); }
Writer& Writer::null() { check_gen(yajl_gen_null(gen_), "null"); return *this; }
Writer& Writer::boolean(bool b) { check_gen(yajl_gen_bool(gen_, b ? 1 : 0), "boolean"); return *this; }

Writer& Writer::string(std::string_view s) {
    check_gen(yajl_gen_string(gen_, reinterpret_cast<const unsigned char*>(s.data()), s.size()), "string");
    return *this;
}

Writer& Writer::integer(std::int64_t n) {
    check_gen(yajl_gen_integer(gen_, static_cast<long long>(n)), "integer");
    return *this;
}

Writer& Writer::unsigned_integer(std::uint64_t n) { return number_text(std::to_string(n)); }

Writer& Writer::number(double d) {
    if (!std::isfinite(d)) throw_error("JSON writer: {} is not a finite number", d);
    return number_text(fmt::format("{}", d));
}

Writer& Writer::number_text(std::string_view literal) {
    check_gen(yajl_gen_number(gen_, literal.data(), literal.size()), "number");
    return *this;
}

Writer& Writer::value(const Value& v) {
    switch (v.kind()) {
        case Kind::null: return null();
        case Kind::boolean: return boolean(v.bool_value());
        case Kind::number: return number_text(v.text());
        case Kind::string: return string(v.text());
        case Kind::array:
            begin_array();
            for (const auto& item : v.items()) value(item);
            return end_array();
        case Kind::object:
            begin_object();
            members(v.members());
            return end_object();
    }
    return *this;
}

Writer& Writer::members(const Object& ms) {
    for (const auto& m : ms) {
        key(m.key);
        value(m.value);
    }
    return *this;
}

std::string Writer::str() const {
    const unsigned char* buf = nullptr;
    size_t len = 0;
    check_gen(yajl_gen_get_buf(gen_, &buf, &len), "get buffer");
    return std::string(reinterpret_cast<const char*>(buf), len);
}

std::string escape(std::string_view s) {
    Writer w;
    w.string(s);
    std::string quoted = w.str();
    return quoted.substr(1, quoted.size() - 2);
}

}  // namespace hull::oci::json
