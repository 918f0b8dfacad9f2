// The container's session keyring: runc's name, the search bit for exec.
#include <doctest/doctest.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <string>

#include "linux/keyring.hpp"
#include "test_support.hpp"

using hull::sys::parse_key_permissions;

namespace {

constexpr long kSessionKeyring = -3;  // KEY_SPEC_SESSION_KEYRING
constexpr int kKeyctlDescribe = 6;

// The description of the calling process's session keyring, "" without one.
std::string describe_session_keyring() {
    char buffer[512] = {};
    long n = ::syscall(SYS_keyctl, kKeyctlDescribe, kSessionKeyring, buffer, sizeof buffer - 1);
    return n > 0 ? std::string(buffer) : std::string();
}

// Its serial (KEYCTL_GET_KEYRING_ID without creating one), -1 without one.
long session_keyring_serial() { return ::syscall(SYS_keyctl, 0, kSessionKeyring, 0); }

bool keyrings_supported() {
    return ::syscall(SYS_keyctl, kKeyctlDescribe, kSessionKeyring, nullptr, 0) >= 0 || errno != ENOSYS;
}

}  // namespace

TEST_CASE("session keyring: runc's name") { CHECK(hull::sys::session_keyring_name("abc") == "_ses.abc"); }

TEST_CASE("parse_key_permissions reads the fourth field as hex and rejects anything else") {
    CHECK(parse_key_permissions("keyring;0;0;3f030000;_ses.x") == 0x3f030000u);
    CHECK(parse_key_permissions("keyring;1000;1000;0;a;b") == 0u);
    CHECK_THROWS(parse_key_permissions("keyring;0;0;3f030000"));  // no description field
    CHECK_THROWS(parse_key_permissions("keyring;0;0;zz;x"));
    CHECK_THROWS(parse_key_permissions("keyring;0;0;;x"));
    CHECK_THROWS(parse_key_permissions(""));
}

TEST_CASE("create_session_keyring makes a named keyring its owner can search; join finds it by name") {
    if (!keyrings_supported()) {
        MESSAGE("SKIP: this kernel has no keyrings");
        return;
    }
    std::string name = "_ses.hulltest-unit-" + std::to_string(::getpid());
    int status = hull::test::in_child([&] {
        hull::sys::create_session_keyring(name);
        std::string created = describe_session_keyring();
        if (!created.ends_with(";" + name)) return 1;
        if ((parse_key_permissions(created) & 0x00080000u) == 0) return 2;  // KEY_USR_SEARCH
        long serial = session_keyring_serial();
        // A second process, after leaving for an anonymous keyring, joins
        // the same keyring by name (this one holds it meanwhile, as an init).
        return hull::test::in_child([&] {
            if (::syscall(SYS_keyctl, 1, nullptr) < 0 || session_keyring_serial() == serial) return 3;
            hull::sys::join_session_keyring(name);
            return session_keyring_serial() == serial ? 0 : 4;
        });
    });
    CHECK(status == 0);
}
