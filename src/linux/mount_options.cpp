#include "linux/mount_options.hpp"

#include <linux/mount.h>
#include <sys/mount.h>

#include <array>

namespace hull::sys {
namespace {

enum class Kind { set, clear, propagation, attr_set, attr_clear, bind, rbind, idmap, tmpcopyup };

struct OptionWord {
    std::string_view word;
    Kind kind;
    std::uint64_t value;
};

// One table for every word (mount(8) and config.md's recursive variants).
constexpr std::array<OptionWord, 56> kOptions = {{
    {"async", Kind::clear, MS_SYNCHRONOUS},       {"atime", Kind::clear, MS_NOATIME},
    {"bind", Kind::bind, MS_BIND},                {"defaults", Kind::set, 0},
    {"dev", Kind::clear, MS_NODEV},               {"diratime", Kind::clear, MS_NODIRATIME},
    {"dirsync", Kind::set, MS_DIRSYNC},           {"exec", Kind::clear, MS_NOEXEC},
    {"iversion", Kind::set, MS_I_VERSION},        {"lazytime", Kind::set, MS_LAZYTIME},
    {"loud", Kind::clear, MS_SILENT},             {"mand", Kind::set, MS_MANDLOCK},
    {"noatime", Kind::set, MS_NOATIME},           {"nodev", Kind::set, MS_NODEV},
    {"nodiratime", Kind::set, MS_NODIRATIME},     {"noexec", Kind::set, MS_NOEXEC},
    {"noiversion", Kind::clear, MS_I_VERSION},    {"nolazytime", Kind::clear, MS_LAZYTIME},
    {"nomand", Kind::clear, MS_MANDLOCK},         {"norelatime", Kind::clear, MS_RELATIME},
    {"nostrictatime", Kind::clear, MS_STRICTATIME}, {"nosuid", Kind::set, MS_NOSUID},
    {"nosymfollow", Kind::set, MS_NOSYMFOLLOW},   {"rbind", Kind::rbind, MS_BIND | MS_REC},
    {"relatime", Kind::set, MS_RELATIME},         {"remount", Kind::set, MS_REMOUNT},
    {"ro", Kind::set, MS_RDONLY},                 {"rw", Kind::clear, MS_RDONLY},
    {"silent", Kind::set, MS_SILENT},             {"strictatime", Kind::set, MS_STRICTATIME},
    {"suid", Kind::clear, MS_NOSUID},             {"symfollow", Kind::clear, MS_NOSYMFOLLOW},
    {"sync", Kind::set, MS_SYNCHRONOUS},
    {"private", Kind::propagation, MS_PRIVATE},   {"rprivate", Kind::propagation, MS_PRIVATE | MS_REC},
    {"shared", Kind::propagation, MS_SHARED},     {"rshared", Kind::propagation, MS_SHARED | MS_REC},
    {"slave", Kind::propagation, MS_SLAVE},       {"rslave", Kind::propagation, MS_SLAVE | MS_REC},
    {"unbindable", Kind::propagation, MS_UNBINDABLE}, {"runbindable", Kind::propagation, MS_UNBINDABLE | MS_REC},
    {"rro", Kind::attr_set, MOUNT_ATTR_RDONLY},   {"rrw", Kind::attr_clear, MOUNT_ATTR_RDONLY},
    {"rnosuid", Kind::attr_set, MOUNT_ATTR_NOSUID}, {"rsuid", Kind::attr_clear, MOUNT_ATTR_NOSUID},
    {"rnodev", Kind::attr_set, MOUNT_ATTR_NODEV}, {"rdev", Kind::attr_clear, MOUNT_ATTR_NODEV},
    {"rnoexec", Kind::attr_set, MOUNT_ATTR_NOEXEC}, {"rexec", Kind::attr_clear, MOUNT_ATTR_NOEXEC},
    {"rnodiratime", Kind::attr_set, MOUNT_ATTR_NODIRATIME}, {"rdiratime", Kind::attr_clear, MOUNT_ATTR_NODIRATIME},
    {"rnoatime", Kind::attr_set, MOUNT_ATTR_NOATIME}, {"rstrictatime", Kind::attr_set, MOUNT_ATTR_STRICTATIME},
    {"rnosymfollow", Kind::attr_set, MOUNT_ATTR_NOSYMFOLLOW}, {"rsymfollow", Kind::attr_clear, MOUNT_ATTR_NOSYMFOLLOW},
    {"idmap", Kind::idmap, 0},
}};

// Words with their own meaning that the table's kinds do not express.
constexpr std::array<std::string_view, 5> kExtraWords = {"ridmap", "tmpcopyup", "rrelatime", "ratime",
                                                         "rnorelatime"};

const OptionWord* find(std::string_view word) {
    for (const auto& o : kOptions) {
        if (o.word == word) return &o;
    }
    return nullptr;
}

// The atime words share one field of mount_attr (MOUNT_ATTR__ATIME).
bool apply_atime_attr(std::string_view word, MountOptions& out) {
    if (word == "rrelatime" || word == "rnorelatime" || word == "ratime") {
        out.attr_clear |= MOUNT_ATTR__ATIME;
        if (word == "rrelatime") out.attr_set |= MOUNT_ATTR_RELATIME;
        return true;
    }
    return false;
}

void apply(const OptionWord& o, MountOptions& out) {
    switch (o.kind) {
        case Kind::set: out.flags |= o.value; break;
        case Kind::clear: out.flags &= ~o.value; break;
        case Kind::propagation: out.propagation = o.value; break;
        case Kind::attr_set:
            if (o.value == MOUNT_ATTR_NOATIME || o.value == MOUNT_ATTR_STRICTATIME) out.attr_clear |= MOUNT_ATTR__ATIME;
            out.attr_set |= o.value;
            break;
        case Kind::attr_clear: out.attr_clear |= o.value; break;
        case Kind::bind: out.bind = true; break;
        case Kind::rbind: out.bind = out.recursive_bind = true; break;
        case Kind::idmap: out.idmap = true; break;
        case Kind::tmpcopyup: out.tmpcopyup = true; break;
    }
}

}  // namespace

MountOptions parse_mount_options(const std::vector<std::string>& options) {
    MountOptions out;
    for (const auto& word : options) {
        if (const OptionWord* o = find(word)) {
            apply(*o, out);
        } else if (word == "ridmap") {
            out.idmap = true;
        } else if (word == "tmpcopyup") {
            out.tmpcopyup = true;
        } else if (!apply_atime_attr(word, out)) {
            out.data += (out.data.empty() ? "" : ",") + word;
        }
    }
    return out;
}

std::vector<std::string> known_mount_options() {
    std::vector<std::string> out;
    for (const auto& o : kOptions) out.emplace_back(o.word);
    for (auto w : kExtraWords) out.emplace_back(w);
    return out;
}

}  // namespace hull::sys
