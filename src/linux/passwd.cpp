#include "linux/passwd.hpp"

#include "util/error.hpp"
#include "util/files.hpp"
#include "util/strings.hpp"

namespace hull::sys {

std::optional<std::string> passwd_home(std::string_view passwd_text, uid_t uid) {
    for (const auto& line : util::split(passwd_text, '\n')) {
        // name:password:uid:gid:gecos:home:shell
        auto fields = util::split(line, ':');
        if (fields.size() < 6) continue;
        auto id = util::parse_u64(fields[2]);
        if (id && *id == uid) return fields[5];
    }
    return std::nullopt;
}

std::string home_for(uid_t uid) {
    try {
        auto home = passwd_home(util::read_file("/etc/passwd", 4 << 20), uid);
        if (home && !home->empty()) return *home;
    } catch (const Error&) {
        // No readable /etc/passwd in the image: runc's default.
    }
    return "/";
}

}  // namespace hull::sys
