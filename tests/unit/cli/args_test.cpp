// runc-compatible flag parsing.
#include <doctest/doctest.h>

#include <array>
#include <string>
#include <vector>

#include "cli/args.hpp"
#include "util/error.hpp"

using namespace hull::cli;

namespace {

constexpr std::array kFlags = {
    FlagSpec{"bundle", "b", "DIR", "bundle"},
    FlagSpec{"detach", "d", "", "detach"},
    FlagSpec{"env", "e", "VAR", "env", true},
};

ParsedArgs parse(std::vector<std::string> args, Interspersed mode = Interspersed::allowed) {
    return parse_args(kFlags, args, mode, "create");
}

std::string error_of(std::vector<std::string> args) {
    try {
        parse(std::move(args));
    } catch (const hull::Error& e) {
        return e.what();
    }
    return "no error";
}

}  // namespace

TEST_CASE("args: single and double dash, = and separate values, short aliases") {
    for (auto form : std::vector<std::vector<std::string>>{
             {"--bundle", "/b", "id"}, {"-bundle", "/b", "id"}, {"--bundle=/b", "id"}, {"-b", "/b", "id"}, {"-b=/b", "id"}}) {
        auto args = parse(form);
        CHECK(args.get("bundle") == "/b");
        REQUIRE(args.positionals().size() == 1);
        CHECK(args.positionals()[0] == "id");
    }
}

TEST_CASE("args: booleans take Go's words") {
    CHECK(parse({"--detach"}).flag("detach"));
    CHECK_FALSE(parse({"--detach=false"}).flag("detach"));
    CHECK(parse({"-d=1"}).flag("detach"));
    CHECK_FALSE(parse({}).flag("detach"));
    CHECK(error_of({"--detach=maybe"}) == R"(create: invalid boolean value "maybe" for flag -detach)");
}

TEST_CASE("args: flags after positionals are taken unless the command stops there") {
    auto mixed = parse({"id", "--detach"});
    CHECK(mixed.flag("detach"));
    auto stopped = parse({"id", "sh", "-d"}, Interspersed::stop_at_first_positional);
    CHECK_FALSE(stopped.flag("detach"));
    CHECK(stopped.positionals() == std::vector<std::string>{"id", "sh", "-d"});
}

TEST_CASE("args: -- ends the flags and repeatable flags keep every value") {
    auto args = parse({"-e", "A=1", "--env=B=2", "--", "--bundle"});
    CHECK(args.all("env") == std::vector<std::string>{"A=1", "B=2"});
    CHECK(args.positionals() == std::vector<std::string>{"--bundle"});
}

TEST_CASE("args: unknown flags and missing values are named") {
    CHECK(error_of({"--bogus"}) == "create: flag provided but not defined: --bogus");
    CHECK(error_of({"--bundle"}) == "create: flag needs an argument: -bundle");
}
