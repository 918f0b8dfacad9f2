// kill's signal argument: names in any case, with or without SIG, numbers,
// and the real-time range.
#include <doctest/doctest.h>

#include <signal.h>

#include <string>

#include <fmt/format.h>

#include "util/signals.hpp"
#include "util/error.hpp"

using hull::util::parse_signal;
using hull::util::signal_name;

namespace {

std::string error_of(std::string_view text) {
    try {
        parse_signal(text);
    } catch (const hull::Error& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST_CASE("signals: names with or without SIG, in any case") {
    CHECK(parse_signal("KILL") == SIGKILL);
    CHECK(parse_signal("SIGKILL") == SIGKILL);
    CHECK(parse_signal("kill") == SIGKILL);
    CHECK(parse_signal("sigterm") == SIGTERM);
    CHECK(parse_signal("SigHup") == SIGHUP);
    CHECK(parse_signal("WINCH") == SIGWINCH);
    CHECK(parse_signal("PWR") == SIGPWR);
    CHECK(parse_signal("IOT") == SIGABRT);
    CHECK(parse_signal("CLD") == SIGCHLD);
    CHECK(parse_signal("POLL") == SIGIO);
}

TEST_CASE("signals: numbers from 0 (kill(2)'s existence check) to SIGRTMAX") {
    CHECK(parse_signal("9") == 9);
    CHECK(parse_signal("1") == 1);
    CHECK(parse_signal("0") == 0);
    CHECK(parse_signal(std::to_string(SIGRTMAX)) == SIGRTMAX);
    CHECK(error_of("65") == "invalid signal \"65\": expected a name or a number 0..64");
    CHECK(error_of(std::to_string(SIGRTMAX + 1)).starts_with("invalid signal"));
    CHECK(error_of("99999999999999999999").starts_with("invalid signal"));
}

TEST_CASE("signals: real-time signals RTMIN+n and RTMAX-n") {
    CHECK(parse_signal("RTMIN") == SIGRTMIN);
    CHECK(parse_signal("SIGRTMIN+3") == SIGRTMIN + 3);
    CHECK(parse_signal("rtmin+1") == SIGRTMIN + 1);
    CHECK(parse_signal("RTMAX") == SIGRTMAX);
    CHECK(parse_signal("SIGRTMAX-2") == SIGRTMAX - 2);
    CHECK(parse_signal(fmt::format("RTMIN+{}", SIGRTMAX - SIGRTMIN)) == SIGRTMAX);
    CHECK(error_of("RTMIN+100") == "invalid signal \"RTMIN+100\"");
    CHECK(error_of("RTMIN-1") == "invalid signal \"RTMIN-1\"");
    CHECK(error_of("RTMAX+1") == "invalid signal \"RTMAX+1\"");
    CHECK(error_of("RTMIN+") == "invalid signal \"RTMIN+\"");
    CHECK(error_of("RTMIN++1") == "invalid signal \"RTMIN++1\"");
}

TEST_CASE("signals: anything else is refused with the text quoted") {
    CHECK(error_of("FOO") == "invalid signal \"FOO\"");
    CHECK(error_of("") == "invalid signal \"\"");
    CHECK(error_of("SIG") == "invalid signal \"SIG\"");
    CHECK(error_of("-9") == "invalid signal \"-9\"");
    CHECK(error_of("KILL ") == "invalid signal \"KILL \"");
}

TEST_CASE("signals: signal_name gives the canonical name and round-trips") {
    CHECK(signal_name(SIGKILL) == "SIGKILL");
    CHECK(signal_name(SIGABRT) == "SIGABRT");
    CHECK(signal_name(SIGCHLD) == "SIGCHLD");
    CHECK(signal_name(SIGRTMIN) == "SIGRTMIN");
    CHECK(signal_name(SIGRTMIN + 2) == "SIGRTMIN+2");
    CHECK(signal_name(0) == "signal 0");
    for (int s = 1; s <= SIGRTMAX; ++s) {
        if (s == 32 || s == 33) continue;  // glibc's own real-time signals have no name
        CAPTURE(s);
        CHECK(parse_signal(signal_name(s)) == s);
    }
}
