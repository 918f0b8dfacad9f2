// Go durations as runc's flags take them.
#include <doctest/doctest.h>

#include <chrono>

#include "util/strings.hpp"

using namespace std::chrono_literals;
using hull::util::parse_duration;

TEST_CASE("parse_duration: Go's units, fractions and sums") {
    CHECK(parse_duration("5s") == 5s);
    CHECK(parse_duration("250ms") == 250ms);
    CHECK(parse_duration("1m30s") == 90s);
    CHECK(parse_duration("1.5h") == 90min);
    CHECK(parse_duration("10us") == 10us);
    CHECK(parse_duration("7ns") == 7ns);
    CHECK(parse_duration("0") == 0ns);
}

TEST_CASE("parse_duration: junk is refused") {
    for (const char* bad : {"", "5", "s", "5parsecs", "1..2s", "-", "5s junk", "99999999999h"}) {
        CHECK_MESSAGE(!parse_duration(bad), bad);
    }
}
