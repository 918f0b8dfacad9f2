// The JSON adapter: every other part of hull reads and writes JSON through
// this file, so the backend (yajl today) could be swapped in one place.
//
// Reading: parse() builds a Value tree; Reader walks it and every error names
// the JSON path ("linux.resources.memory.limit: expected an integer, got
// string \"1G\""). Numbers keep their source text, so uint64 values above
// INT64_MAX are read exactly and written back unchanged.
// Writing: Writer wraps yajl_gen.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

struct yajl_gen_t;

namespace hull::oci::json {

enum class Kind { null, boolean, number, string, array, object };
std::string_view kind_name(Kind kind);  // "null", "a boolean", "a number", ...

struct Member;

class Value {
public:
    Value() = default;  // null
    static Value boolean(bool b);
    static Value number_text(std::string text);  // the literal as written, e.g. "18446744073709551615"
    static Value string(std::string s);
    static Value array();
    static Value object();

    Kind kind() const noexcept { return kind_; }
    bool is_null() const noexcept { return kind_ == Kind::null; }
    bool bool_value() const noexcept { return bool_; }
    const std::string& text() const noexcept { return text_; }  // string content or number literal
    const std::vector<Value>& items() const noexcept { return items_; }
    std::vector<Value>& items() noexcept { return items_; }
    const std::vector<Member>& members() const noexcept { return members_; }
    std::vector<Member>& members() noexcept { return members_; }

    const Value* find(std::string_view key) const noexcept;
    // Sets key (replacing an existing member) and returns the stored value.
    Value& set(std::string key, Value value);

    bool operator==(const Value& other) const;

private:
    Kind kind_ = Kind::null;
    bool bool_ = false;
    std::string text_;
    std::vector<Value> items_;
    std::vector<Member> members_;
};

struct Member {
    std::string key;
    Value value;
    bool operator==(const Member& other) const = default;
};

using Object = std::vector<Member>;  // document order is kept

struct ParseLimits {
    std::size_t max_depth = 512;              // nesting beyond this is refused (no deep recursion later)
    std::size_t max_bytes = 32 * 1024 * 1024;  // config.json of a real container is a few KiB
};

// Parses a whole document. Throws hull::Error naming the byte offset and what
// yajl expected; invalid UTF-8 in strings is refused.
Value parse(std::string_view text, const ParseLimits& limits = {});

// Reads a file (refusing one larger than limits.max_bytes before reading it
// all) and parses it; errors are prefixed with the file's name.
Value parse_file(const std::string& path, const ParseLimits& limits = {});

// A Value together with the path that reached it, for error messages.
class Reader {
public:
    Reader(const Value& value, std::string path) : value_(&value), path_(std::move(path)) {}

    const Value& value() const noexcept { return *value_; }
    const std::string& path() const noexcept { return path_; }
    Kind kind() const noexcept { return value_->kind(); }
    bool is_null() const noexcept { return value_->is_null(); }

    std::string string() const;
    bool boolean() const;
    std::int64_t i64() const;
    std::uint64_t u64() const;
    double number() const;
    // Integer checked against T's range: "…: expected an integer in [0, 4294967295], got 5000000000".
    template <typename T>
    T integer() const;

    std::vector<Reader> items() const;  // throws unless an array
    std::vector<std::string> strings() const;  // an array of strings

    // Throws "<path>: expected <what>, got <kind> <value>".
    [[noreturn]] void fail_expected(std::string_view what) const;
    // Throws "<path>: <message>".
    [[noreturn]] void fail(std::string_view message) const;

    Reader child(const Value& value, std::string_view key) const;
    Reader child(const Value& value, std::size_t index) const;

private:
    const Value* value_;
    std::string path_;
};

// Reads an object field by field and remembers which keys were taken, so the
// rest (fields this version of hull does not know) can be kept for writing back.
class ObjectReader {
public:
    explicit ObjectReader(const Reader& reader);  // throws unless an object

    std::optional<Reader> optional(std::string_view key);
    Reader required(std::string_view key);  // "<path>: missing required field \"key\""
    Object rest() const;                     // members never asked for
    const Reader& reader() const noexcept { return reader_; }

private:
    Reader reader_;
    std::vector<bool> taken_;
};

struct WriteOptions {
    bool pretty = false;  // 2-space indent as runc's MarshalIndent
};

class Writer {
public:
    explicit Writer(const WriteOptions& options = {});
    ~Writer();
    Writer(const Writer&) = delete;
    Writer& operator=(const Writer&) = delete;

    Writer& begin_object();
    Writer& end_object();
    Writer& begin_array();
    Writer& end_array();
    Writer& key(std::string_view key);
    Writer& string(std::string_view s);
    Writer& boolean(bool b);
    Writer& null();
    Writer& integer(std::int64_t n);
    Writer& unsigned_integer(std::uint64_t n);
    Writer& number(double d);
    Writer& number_text(std::string_view literal);
    Writer& value(const Value& v);
    // Writes the members of an object (for the unknown fields kept by ObjectReader).
    Writer& members(const Object& members);

    // The document written so far; the writer must be back at the top level.
    std::string str() const;

private:
    yajl_gen_t* gen_;
};

// Escapes s as the contents of a JSON string (without the quotes).
std::string escape(std::string_view s);

}  // namespace hull::oci::json
