// Every option word of an OCI mount, one row each.
#include <doctest/doctest.h>

#include <linux/mount.h>
#include <sys/mount.h>

#include <algorithm>
#include <string>
#include <vector>

#include "linux/mount_options.hpp"

using hull::sys::MountOptions;
using hull::sys::parse_mount_options;

namespace {

MountOptions parse_one(const std::string& word) { return parse_mount_options({word}); }

struct FlagRow {
    const char* word;
    unsigned long flag;
    bool set;
};

constexpr FlagRow kFlagRows[] = {
    {"ro", MS_RDONLY, true},         {"rw", MS_RDONLY, false},          {"nosuid", MS_NOSUID, true},
    {"suid", MS_NOSUID, false},      {"nodev", MS_NODEV, true},         {"dev", MS_NODEV, false},
    {"noexec", MS_NOEXEC, true},     {"exec", MS_NOEXEC, false},        {"sync", MS_SYNCHRONOUS, true},
    {"async", MS_SYNCHRONOUS, false}, {"dirsync", MS_DIRSYNC, true},    {"remount", MS_REMOUNT, true},
    {"mand", MS_MANDLOCK, true},     {"nomand", MS_MANDLOCK, false},    {"noatime", MS_NOATIME, true},
    {"atime", MS_NOATIME, false},    {"nodiratime", MS_NODIRATIME, true}, {"diratime", MS_NODIRATIME, false},
    {"relatime", MS_RELATIME, true}, {"norelatime", MS_RELATIME, false}, {"strictatime", MS_STRICTATIME, true},
    {"nostrictatime", MS_STRICTATIME, false}, {"lazytime", MS_LAZYTIME, true}, {"nolazytime", MS_LAZYTIME, false},
    {"iversion", MS_I_VERSION, true}, {"noiversion", MS_I_VERSION, false}, {"silent", MS_SILENT, true},
    {"loud", MS_SILENT, false},      {"nosymfollow", MS_NOSYMFOLLOW, true}, {"symfollow", MS_NOSYMFOLLOW, false},
};

struct AttrRow {
    const char* word;
    std::uint64_t attr;
    bool set;
};

constexpr AttrRow kAttrRows[] = {
    {"rro", MOUNT_ATTR_RDONLY, true},          {"rrw", MOUNT_ATTR_RDONLY, false},
    {"rnosuid", MOUNT_ATTR_NOSUID, true},      {"rsuid", MOUNT_ATTR_NOSUID, false},
    {"rnodev", MOUNT_ATTR_NODEV, true},        {"rdev", MOUNT_ATTR_NODEV, false},
    {"rnoexec", MOUNT_ATTR_NOEXEC, true},      {"rexec", MOUNT_ATTR_NOEXEC, false},
    {"rnodiratime", MOUNT_ATTR_NODIRATIME, true}, {"rdiratime", MOUNT_ATTR_NODIRATIME, false},
    {"rnosymfollow", MOUNT_ATTR_NOSYMFOLLOW, true}, {"rsymfollow", MOUNT_ATTR_NOSYMFOLLOW, false},
};

struct PropagationRow {
    const char* word;
    unsigned long value;
};

constexpr PropagationRow kPropagationRows[] = {
    {"private", MS_PRIVATE}, {"rprivate", MS_PRIVATE | MS_REC},       {"shared", MS_SHARED},
    {"rshared", MS_SHARED | MS_REC}, {"slave", MS_SLAVE},             {"rslave", MS_SLAVE | MS_REC},
    {"unbindable", MS_UNBINDABLE}, {"runbindable", MS_UNBINDABLE | MS_REC},
};

}  // namespace

TEST_CASE("mount options: each MS_* word sets or clears its flag and leaves data empty") {
    for (const auto& row : kFlagRows) {
        CAPTURE(row.word);
        MountOptions o = parse_one(row.word);
        CHECK(o.data.empty());
        if (row.set) {
            CHECK(o.flags == row.flag);
            CHECK(o.cleared_flags == 0);
        } else {
            CHECK(o.flags == 0);
            CHECK(o.cleared_flags == row.flag);
        }
    }
}

TEST_CASE("mount options: defaults changes nothing") {
    MountOptions o = parse_one("defaults");
    CHECK(o.flags == 0);
    CHECK(o.cleared_flags == 0);
    CHECK(o.data.empty());
}

TEST_CASE("mount options: a later word overrides an earlier one") {
    MountOptions o = parse_mount_options({"rw", "ro", "nosuid", "suid"});
    CHECK(o.flags == MS_RDONLY);
    CHECK(o.cleared_flags == MS_NOSUID);
}

TEST_CASE("mount options: propagation words, the last one wins") {
    for (const auto& row : kPropagationRows) {
        CAPTURE(row.word);
        MountOptions o = parse_one(row.word);
        CHECK(o.propagation == row.value);
        CHECK(o.flags == 0);
        CHECK(o.data.empty());
    }
    CHECK(parse_mount_options({"rshared", "private"}).propagation == MS_PRIVATE);
}

TEST_CASE("mount options: recursive attribute words fill attr_set or attr_clear") {
    for (const auto& row : kAttrRows) {
        CAPTURE(row.word);
        MountOptions o = parse_one(row.word);
        CHECK(o.attr_set == (row.set ? row.attr : 0));
        CHECK(o.attr_clear == (row.set ? 0 : row.attr));
        CHECK(o.flags == 0);
        CHECK(o.data.empty());
    }
    MountOptions o = parse_mount_options({"rro", "rrw"});
    CHECK(o.attr_set == 0);
    CHECK(o.attr_clear == MOUNT_ATTR_RDONLY);
}

TEST_CASE("mount options: recursive atime words clear the whole atime field (mount_setattr EINVAL otherwise)") {
    struct Row {
        const char* word;
        std::uint64_t mode;
    };
    for (auto row : {Row{"rnoatime", MOUNT_ATTR_NOATIME}, Row{"rstrictatime", MOUNT_ATTR_STRICTATIME},
                     Row{"rrelatime", MOUNT_ATTR_RELATIME}, Row{"ratime", MOUNT_ATTR_RELATIME},
                     Row{"rnorelatime", MOUNT_ATTR_RELATIME}, Row{"rnostrictatime", MOUNT_ATTR_RELATIME}}) {
        CAPTURE(row.word);
        MountOptions o = parse_one(row.word);
        CHECK(o.attr_clear == MOUNT_ATTR__ATIME);
        CHECK((o.attr_set & MOUNT_ATTR__ATIME) == row.mode);
        CHECK(o.data.empty());
    }
    CHECK(parse_mount_options({"rnoatime", "ratime"}).attr_set == MOUNT_ATTR_RELATIME);
    CHECK(parse_mount_options({"rnoatime", "rnostrictatime"}).attr_set == MOUNT_ATTR_NOATIME);
    CHECK(parse_mount_options({"rnoatime", "rstrictatime"}).attr_set == MOUNT_ATTR_STRICTATIME);
    CHECK(parse_mount_options({"rnoatime", "rro"}).attr_set == (MOUNT_ATTR_NOATIME | MOUNT_ATTR_RDONLY));
}

TEST_CASE("mount options: bind, rbind, idmap, ridmap and tmpcopyup are flagged, not data") {
    MountOptions bind = parse_one("bind");
    CHECK(bind.bind);
    CHECK_FALSE(bind.recursive_bind);
    MountOptions rbind = parse_one("rbind");
    CHECK(rbind.bind);
    CHECK(rbind.recursive_bind);
    MountOptions idmap = parse_one("idmap");
    CHECK(idmap.idmap);
    CHECK_FALSE(idmap.recursive_idmap);
    MountOptions ridmap = parse_one("ridmap");
    CHECK(ridmap.idmap);
    CHECK(ridmap.recursive_idmap);
    CHECK(parse_one("tmpcopyup").tmpcopyup);
    for (const auto* w : {"bind", "rbind", "idmap", "ridmap", "tmpcopyup"}) {
        MountOptions o = parse_one(w);
        CHECK(o.flags == 0);
        CHECK(o.data.empty());
    }
}

TEST_CASE("mount options: unknown words become the data string, in order") {
    MountOptions o = parse_mount_options({"nosuid", "mode=755", "strictatime", "size=65536k", "newinstance"});
    CHECK(o.flags == (MS_NOSUID | MS_STRICTATIME));
    CHECK(o.data == "mode=755,size=65536k,newinstance");
    CHECK(parse_mount_options({}).data.empty());
}

TEST_CASE("mount options: is_bind_mount by type or by option") {
    CHECK(hull::sys::is_bind_mount("bind", {}));
    CHECK(hull::sys::is_bind_mount("none", {"rbind", "ro"}));
    CHECK(hull::sys::is_bind_mount("", {"bind"}));
    CHECK_FALSE(hull::sys::is_bind_mount("tmpfs", {"nosuid", "mode=755"}));
    CHECK_FALSE(hull::sys::is_bind_mount("proc", {}));
}

TEST_CASE("mount options: known_mount_options lists every word the parser recognises") {
    auto known = hull::sys::known_mount_options();
    for (const auto& w : known) {
        CAPTURE(w);
        CHECK(parse_one(w).data.empty());
    }
    for (const auto* w : {"rro", "ridmap", "tmpcopyup", "rnostrictatime", "runbindable", "bind"}) {
        CHECK(std::find(known.begin(), known.end(), w) != known.end());
    }
    CHECK(known.size() == 62);
}

TEST_CASE("mount options: mount_attributes maps per-mount flags to MOUNT_ATTR_*, atime as an enum") {
    auto a = hull::sys::mount_attributes(MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NODIRATIME | MS_NOSYMFOLLOW);
    CHECK(a.set == (MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC |
                    MOUNT_ATTR_NODIRATIME | MOUNT_ATTR_NOSYMFOLLOW));
    CHECK(a.clear == 0);
    a = hull::sys::mount_attributes(MS_NOATIME | MS_SYNCHRONOUS);
    CHECK(a.set == MOUNT_ATTR_NOATIME);
    CHECK(a.clear == MOUNT_ATTR__ATIME);
    CHECK(hull::sys::mount_attributes(MS_STRICTATIME).set == MOUNT_ATTR_STRICTATIME);
    CHECK(hull::sys::mount_attributes(MS_RELATIME).clear == MOUNT_ATTR__ATIME);
    CHECK(hull::sys::mount_attributes(MS_LAZYTIME | MS_DIRSYNC).set == 0);
}
