// HOME from the image's /etc/passwd.
#include <doctest/doctest.h>

#include "linux/passwd.hpp"

using hull::sys::passwd_home;

TEST_CASE("passwd_home finds the uid's home and ignores malformed lines") {
    const char* text =
        "root:x:0:0:root:/root:/bin/sh\n"
        "broken line\n"
        "daemon:x:notanumber:1::/nope:/bin/false\n"
        "app:x:1000:1000:App,,,:/home/app:/bin/sh\n"
        "nohome:x:1001:1001::";
    CHECK(passwd_home(text, 0) == "/root");
    CHECK(passwd_home(text, 1000) == "/home/app");
    CHECK(passwd_home(text, 1001) == std::string{});  // home_for makes that "/"
    CHECK(passwd_home(text, 4242) == std::nullopt);
    CHECK(passwd_home("", 0) == std::nullopt);
}
