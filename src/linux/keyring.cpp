#include "linux/keyring.hpp"

#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>

#include <fmt/format.h>

#include "util/error.hpp"
#include "util/strings.hpp"

namespace hull::sys {
namespace {

// <linux/keyctl.h>, which not every libc ships.
constexpr int kKeyctlSetperm = 5;
constexpr int kKeyctlDescribe = 6;
constexpr int kKeyctlJoinSessionKeyring = 1;
constexpr unsigned kKeyUserSearch = 0x00080000;

// The keyring's serial, or -1 when the kernel has no keyrings (ENOSYS).
long join(const std::string& name) {
    long serial = ::syscall(SYS_keyctl, kKeyctlJoinSessionKeyring, name.c_str());
    if (serial < 0 && errno != ENOSYS) throw_errno(errno, "join session keyring {}", name);
    return serial;
}

std::string describe(long serial) {
    char buffer[512];
    long n = ::syscall(SYS_keyctl, kKeyctlDescribe, serial, buffer, sizeof buffer);
    if (n < 0) throw_errno(errno, "describe session keyring");
    if (n > static_cast<long>(sizeof buffer)) throw_error("describe session keyring: description too long");
    return std::string(buffer, static_cast<std::size_t>(n > 0 ? n - 1 : 0));  // n counts the NUL
}

}  // namespace

std::string session_keyring_name(std::string_view container_id) { return fmt::format("_ses.{}", container_id); }

unsigned parse_key_permissions(std::string_view description) {
    std::string_view rest = description;
    for (int field = 0; field < 3; ++field) {
        auto semicolon = rest.find(';');
        if (semicolon == std::string_view::npos) break;
        rest.remove_prefix(semicolon + 1);
    }
    auto semicolon = rest.find(';');
    std::string_view field = rest.substr(0, semicolon);
    unsigned perm = 0;
    auto [ptr, ec] = std::from_chars(field.data(), field.data() + field.size(), perm, 16);
    if (semicolon == std::string_view::npos || field.empty() || ec != std::errc() ||
        ptr != field.data() + field.size()) {
        throw_error("unexpected key description {}: expected type;uid;gid;perm;description", util::quote(description));
    }
    return perm;
}

void create_session_keyring(const std::string& name) {
    long serial = join(name);
    if (serial < 0) return;
    // A keyring left without the search bit would keep exec'd processes out;
    // a failure here fails the container rather than leave it so.
    unsigned perm = parse_key_permissions(describe(serial)) | kKeyUserSearch;
    if (::syscall(SYS_keyctl, kKeyctlSetperm, serial, perm) < 0) {
        throw_errno(errno, "make session keyring {} searchable", name);
    }
}

void join_session_keyring(const std::string& name) { join(name); }

}  // namespace hull::sys
