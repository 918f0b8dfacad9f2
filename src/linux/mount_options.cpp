#include "linux/mount_options.hpp"

#include <linux/mount.h>
#include <sys/mount.h>

#include <algorithm>

namespace hull::sys {
namespace {

enum class Kind {
    set,           // MS_* flag on
    clear,         // MS_* flag off (and remembered as cleared)
    propagation,   // MS_SHARED/... after mounting
    attr_set,      // recursive MOUNT_ATTR_* on
    attr_clear,    // recursive MOUNT_ATTR_* off
    atime,         // recursive atime mode (an enum inside MOUNT_ATTR__ATIME)
    atime_negate,  // "not this atime mode": back to the kernel default, relatime
    bind,
    rbind,
    idmap,
    ridmap,
    tmpcopyup,
};

struct OptionWord {
    std::string_view word;
    Kind kind;
    std::uint64_t value;
};

// The one table of option words: mount(8)'s, config.md's recursive r*
// variants (runtime-spec 1.1 "Mounts"), and runc's idmap/ridmap/tmpcopyup.
constexpr OptionWord kOptions[] = {
    {"defaults", Kind::set, 0},
    {"ro", Kind::set, MS_RDONLY},
    {"rw", Kind::clear, MS_RDONLY},
    {"suid", Kind::clear, MS_NOSUID},
    {"nosuid", Kind::set, MS_NOSUID},
    {"dev", Kind::clear, MS_NODEV},
    {"nodev", Kind::set, MS_NODEV},
    {"exec", Kind::clear, MS_NOEXEC},
    {"noexec", Kind::set, MS_NOEXEC},
    {"sync", Kind::set, MS_SYNCHRONOUS},
    {"async", Kind::clear, MS_SYNCHRONOUS},
    {"dirsync", Kind::set, MS_DIRSYNC},
    {"remount", Kind::set, MS_REMOUNT},
    {"mand", Kind::set, MS_MANDLOCK},
    {"nomand", Kind::clear, MS_MANDLOCK},
    {"atime", Kind::clear, MS_NOATIME},
    {"noatime", Kind::set, MS_NOATIME},
    {"diratime", Kind::clear, MS_NODIRATIME},
    {"nodiratime", Kind::set, MS_NODIRATIME},
    {"relatime", Kind::set, MS_RELATIME},
    {"norelatime", Kind::clear, MS_RELATIME},
    {"strictatime", Kind::set, MS_STRICTATIME},
    {"nostrictatime", Kind::clear, MS_STRICTATIME},
    {"lazytime", Kind::set, MS_LAZYTIME},
    {"nolazytime", Kind::clear, MS_LAZYTIME},
    {"iversion", Kind::set, MS_I_VERSION},
    {"noiversion", Kind::clear, MS_I_VERSION},
    {"silent", Kind::set, MS_SILENT},
    {"loud", Kind::clear, MS_SILENT},
    {"symfollow", Kind::clear, MS_NOSYMFOLLOW},
    {"nosymfollow", Kind::set, MS_NOSYMFOLLOW},
    {"bind", Kind::bind, 0},
    {"rbind", Kind::rbind, 0},
    {"private", Kind::propagation, MS_PRIVATE},
    {"rprivate", Kind::propagation, MS_PRIVATE | MS_REC},
    {"shared", Kind::propagation, MS_SHARED},
    {"rshared", Kind::propagation, MS_SHARED | MS_REC},
    {"slave", Kind::propagation, MS_SLAVE},
    {"rslave", Kind::propagation, MS_SLAVE | MS_REC},
    {"unbindable", Kind::propagation, MS_UNBINDABLE},
    {"runbindable", Kind::propagation, MS_UNBINDABLE | MS_REC},
    {"rro", Kind::attr_set, MOUNT_ATTR_RDONLY},
    {"rrw", Kind::attr_clear, MOUNT_ATTR_RDONLY},
    {"rnosuid", Kind::attr_set, MOUNT_ATTR_NOSUID},
    {"rsuid", Kind::attr_clear, MOUNT_ATTR_NOSUID},
    {"rnodev", Kind::attr_set, MOUNT_ATTR_NODEV},
    {"rdev", Kind::attr_clear, MOUNT_ATTR_NODEV},
    {"rnoexec", Kind::attr_set, MOUNT_ATTR_NOEXEC},
    {"rexec", Kind::attr_clear, MOUNT_ATTR_NOEXEC},
    {"rnodiratime", Kind::attr_set, MOUNT_ATTR_NODIRATIME},
    {"rdiratime", Kind::attr_clear, MOUNT_ATTR_NODIRATIME},
    {"rnosymfollow", Kind::attr_set, MOUNT_ATTR_NOSYMFOLLOW},
    {"rsymfollow", Kind::attr_clear, MOUNT_ATTR_NOSYMFOLLOW},
    {"rrelatime", Kind::atime, MOUNT_ATTR_RELATIME},
    {"rnorelatime", Kind::atime_negate, MOUNT_ATTR_RELATIME},
    {"rnoatime", Kind::atime, MOUNT_ATTR_NOATIME},
    {"ratime", Kind::atime_negate, MOUNT_ATTR_NOATIME},
    {"rstrictatime", Kind::atime, MOUNT_ATTR_STRICTATIME},
    {"rnostrictatime", Kind::atime_negate, MOUNT_ATTR_STRICTATIME},
    {"idmap", Kind::idmap, 0},
    {"ridmap", Kind::ridmap, 0},
    {"tmpcopyup", Kind::tmpcopyup, 0},
};

const OptionWord* find(std::string_view word) {
    auto it = std::find_if(std::begin(kOptions), std::end(kOptions), [&](const OptionWord& o) { return o.word == word; });
    return it == std::end(kOptions) ? nullptr : &*it;
}

// The atime modes are an enum in a 3-bit field, not flags: mount_setattr(2)
// takes a new mode only with all of MOUNT_ATTR__ATIME in attr_clr, and
// refuses (EINVAL) a partial __ATIME in attr_clr, which is what a plain
// "clear MOUNT_ATTR_NOATIME" for "ratime" would be.
void apply_atime(std::uint64_t mode, bool negate, MountOptions& out) {
    std::uint64_t current = out.attr_set & MOUNT_ATTR__ATIME;
    out.attr_clear |= MOUNT_ATTR__ATIME;
    if (negate && current != mode) return;
    out.attr_set = (out.attr_set & ~std::uint64_t{MOUNT_ATTR__ATIME}) | (negate ? MOUNT_ATTR_RELATIME : mode);
}

void apply_attr(std::uint64_t attr, bool set, MountOptions& out) {
    (set ? out.attr_set : out.attr_clear) |= attr;
    (set ? out.attr_clear : out.attr_set) &= ~attr;
}

void apply(const OptionWord& o, MountOptions& out) {
    switch (o.kind) {
        case Kind::set:
            out.flags |= o.value;
            out.cleared_flags &= ~o.value;
            break;
        case Kind::clear:
            out.flags &= ~o.value;
            out.cleared_flags |= o.value;
            break;
        case Kind::propagation: out.propagation = o.value; break;
        case Kind::attr_set: apply_attr(o.value, true, out); break;
        case Kind::attr_clear: apply_attr(o.value, false, out); break;
        case Kind::atime: apply_atime(o.value, false, out); break;
        case Kind::atime_negate: apply_atime(o.value, true, out); break;
        case Kind::rbind: out.recursive_bind = true; [[fallthrough]];
        case Kind::bind: out.bind = true; break;
        case Kind::ridmap: out.recursive_idmap = true; [[fallthrough]];
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
        } else {
            if (!out.data.empty()) out.data += ',';
            out.data += word;
        }
    }
    return out;
}

bool is_bind_mount(std::string_view type, const std::vector<std::string>& options) {
    if (type == "bind") return true;
    return std::any_of(options.begin(), options.end(), [](const std::string& o) { return o == "bind" || o == "rbind"; });
}

MountAttributes mount_attributes(unsigned long flags) {
    constexpr std::pair<unsigned long, std::uint64_t> kPlain[] = {
        {MS_RDONLY, MOUNT_ATTR_RDONLY},         {MS_NOSUID, MOUNT_ATTR_NOSUID},
        {MS_NODEV, MOUNT_ATTR_NODEV},           {MS_NOEXEC, MOUNT_ATTR_NOEXEC},
        {MS_NODIRATIME, MOUNT_ATTR_NODIRATIME}, {MS_NOSYMFOLLOW, MOUNT_ATTR_NOSYMFOLLOW},
    };
    MountAttributes out;
    for (const auto& [flag, attr] : kPlain) {
        if (flags & flag) out.set |= attr;
    }
    // The atime mode is an enum: set only with all of __ATIME cleared (mount_setattr(2)).
    std::uint64_t atime = (flags & MS_NOATIME)       ? MOUNT_ATTR_NOATIME
                          : (flags & MS_STRICTATIME) ? MOUNT_ATTR_STRICTATIME
                          : (flags & MS_RELATIME)    ? MOUNT_ATTR_RELATIME
                                                     : ~std::uint64_t{0};
    if (atime != ~std::uint64_t{0}) {
        out.set |= atime;
        out.clear |= MOUNT_ATTR__ATIME;
    }
    return out;
}

std::vector<std::string> known_mount_options() {
    std::vector<std::string> out;
    for (const auto& o : kOptions) out.emplace_back(o.word);
    return out;
}

}  // namespace hull::sys
