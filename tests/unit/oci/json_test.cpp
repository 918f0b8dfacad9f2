// The JSON adapter: exact numbers, paths in errors, limits on hostile input.
#include <doctest/doctest.h>

#include <string>

#include "oci/json.hpp"
#include "util/error.hpp"

using namespace hull::oci::json;

namespace {

std::string error_of(auto&& fn) {
    try {
        fn();
    } catch (const hull::Error& e) {
        return e.what();
    }
    return "no error";
}

std::string round_trip(std::string_view text) {
    Writer w;
    w.value(parse(text));
    return w.str();
}

}  // namespace

TEST_CASE("json: uint64 values above INT64_MAX are read and written exactly") {
    Value v = parse(R"({"value": 18446744073709551615, "neg": -9223372036854775808})");
    Reader r(v, "");
    ObjectReader obj(r);
    CHECK(obj.required("value").u64() == 18446744073709551615ULL);
    CHECK(obj.required("neg").i64() == INT64_MIN);
    CHECK(round_trip(R"({"value":18446744073709551615})") == R"({"value":18446744073709551615})");
}

TEST_CASE("json: a number out of range names the path and the range") {
    Value v = parse(R"({"linux":{"uid":5000000000, "big": 18446744073709551616}})");
    Reader root(v, "");
    ObjectReader linux_obj(ObjectReader(root).required("linux"));
    CHECK(error_of([&] { linux_obj.required("uid").integer<std::uint32_t>(); }) ==
          "linux.uid: expected an integer in [0, 4294967295], got number 5000000000");
    CHECK(error_of([&] { linux_obj.required("big").u64(); }) ==
          "linux.big: expected an integer in the uint64 range, got number 18446744073709551616");
}

TEST_CASE("json: type errors name the path and what was found") {
    Value v = parse(R"({"linux":{"resources":{"memory":{"limit":"1G"}}},"a":[1,true]})");
    Reader root(v, "");
    Reader limit = ObjectReader(ObjectReader(ObjectReader(ObjectReader(root).required("linux")).required("resources"))
                                    .required("memory"))
                       .required("limit");
    CHECK(error_of([&] { limit.i64(); }) ==
          R"(linux.resources.memory.limit: expected an integer, got string "1G")");
    auto items = ObjectReader(root).required("a").items();
    CHECK(error_of([&] { items[1].string(); }) == "a[1]: expected a string, got boolean true");
    CHECK(error_of([&] { items[0].boolean(); }) == "a[0]: expected a boolean, got number 1");
    CHECK(error_of([&] { Reader(parse("1.5"), "x").i64(); }) == "x: expected an integer, got number 1.5");
    CHECK(error_of([&] { Reader(parse("-1"), "x").u64(); }) == "x: expected a non-negative integer, got number -1");
}

TEST_CASE("json: missing required fields are named") {
    Value v = parse(R"({"process":{}})");
    ObjectReader process(ObjectReader(Reader(v, "")).required("process"));
    CHECK(error_of([&] { process.required("cwd"); }) == R"(process: missing required field "cwd")");
}

TEST_CASE("json: unknown members are kept in document order") {
    Value v = parse(R"({"known":1,"z":{"deep":[1,2]},"a":null})");
    ObjectReader obj{Reader(v, "")};
    obj.required("known");
    Object rest = obj.rest();
    REQUIRE(rest.size() == 2);
    CHECK(rest[0].key == "z");
    CHECK(rest[1].key == "a");
    Writer w;
    w.begin_object().members(rest).end_object();
    CHECK(w.str() == R"({"z":{"deep":[1,2]},"a":null})");
}

TEST_CASE("json: invalid UTF-8 in a string is refused") {
    std::string bad = "{\"a\":\"\xff\xfe\"}";
    CHECK(error_of([&] { parse(bad); }).find("invalid JSON at byte") != std::string::npos);
    CHECK(error_of([&] { parse("{\"a\":\"\xc3\"}"); }).find("UTF8") != std::string::npos);
    CHECK(parse("{\"a\":\"\xc3\xa9\"}").find("a")->text() == "\xc3\xa9");
}

TEST_CASE("json: deep nesting is refused without recursion") {
    std::string deep(100000, '[');
    deep += std::string(100000, ']');
    CHECK(error_of([&] { parse(deep); }) == "invalid JSON: nesting deeper than 512 levels");
    std::string ok(500, '[');
    ok += std::string(500, ']');
    CHECK_NOTHROW(parse(ok));
}

TEST_CASE("json: documents larger than the limit are refused before parsing") {
    ParseLimits limits;
    limits.max_bytes = 16;
    CHECK(error_of([&] { parse(R"({"aaaaaaaaaaaaaaaaaaaa":1})", limits); }) ==
          "document is 26 bytes, more than the limit of 16 bytes");
}

TEST_CASE("json: malformed documents say where") {
    CHECK(error_of([&] { parse("{\"a\":}"); }).find("invalid JSON at byte") == 0);
    CHECK(error_of([&] { parse(""); }).find("invalid JSON") == 0);
    CHECK(error_of([&] { parse("{} {}"); }).find("invalid JSON") == 0);
    CHECK(error_of([&] { parse("{\"a\":1,}"); }).find("invalid JSON") == 0);
}

TEST_CASE("json: strings are escaped when written") {
    Writer w;
    w.begin_object().key("m").string("a\"b\\c\n\x01").end_object();
    CHECK(w.str() == R"({"m":"a\"b\\c\n\u0001"})");
    CHECK(escape("x\"y") == R"(x\"y)");
}

TEST_CASE("json: pretty output indents with two spaces") {
    Writer w(WriteOptions{true});
    w.begin_object().key("a").integer(1).end_object();
    CHECK(w.str() == "{\n  \"a\": 1\n}\n");
}
