#include "linux/idmapped_mounts.hpp"

#include <fcntl.h>

#include <fmt/format.h>

#include "linux/mount_options.hpp"
#include "linux/namespaces.hpp"
#include "util/error.hpp"
#include "util/strings.hpp"

namespace hull::sys {
namespace {

bool creates_user_namespace(const oci::Spec& spec) {
    if (!spec.linux) return false;
    for (const auto& ns : spec.linux->namespaces) {
        if (ns.type == "user" && (!ns.path || ns.path->empty())) return true;
    }
    return false;
}

// The user namespace whose mapping the mount gets (config.md: the mount's
// own mappings, else "MAY use the container's user namespace mapping",
// else an error). Only the mapping matters to the kernel, so a namespace
// made from the same lines serves as well as the container's own.
UniqueFd mapping_namespace(const oci::Spec& spec, const oci::Mount& m, int joined_userns_fd) {
    if (!m.uid_mappings.empty()) return make_user_namespace(id_map_lines(m.uid_mappings), id_map_lines(m.gid_mappings));
    if (joined_userns_fd >= 0) {
        int fd = ::fcntl(joined_userns_fd, F_DUPFD_CLOEXEC, 3);
        if (fd < 0) throw_errno(errno, "dup the container's user namespace fd");
        return UniqueFd(fd);
    }
    if (creates_user_namespace(spec)) {
        return make_user_namespace(id_map_lines(spec.linux->uid_mappings), id_map_lines(spec.linux->gid_mappings));
    }
    throw_error("no uidMappings/gidMappings on the mount and the container has no user namespace to take them from");
}

DetachedMount prepare_one(const oci::Spec& spec, std::size_t index, int joined_userns_fd) {
    const oci::Mount& m = spec.mounts[index];
    const auto& words = m.options.value_or(std::vector<std::string>{});
    MountOptions opts = parse_mount_options(words);
    if (!is_bind_mount(m.type.value_or(""), words)) {
        throw_error("an idmapped mount must be a bind mount (type {} is not)", util::quote(m.type.value_or("")));
    }
    // ridmap maps every mount of an rbind tree, idmap only its top one.
    UniqueFd tree = clone_mount_tree(m.source.value_or(""), opts.recursive_bind);
    UniqueFd userns = mapping_namespace(spec, m, joined_userns_fd);
    idmap_mount_tree(tree.get(), userns.get(), opts.recursive_idmap);
    return DetachedMount{index, m.destination, std::move(tree)};
}

}  // namespace

bool wants_idmap(const oci::Mount& mount) {
    if (!mount.uid_mappings.empty() || !mount.gid_mappings.empty()) return true;
    return parse_mount_options(mount.options.value_or(std::vector<std::string>{})).idmap;
}

std::vector<DetachedMount> prepare_idmapped_mounts(const oci::Spec& spec, int joined_userns_fd) {
    std::vector<DetachedMount> out;
    for (std::size_t i = 0; i < spec.mounts.size(); ++i) {
        const oci::Mount& m = spec.mounts[i];
        if (!wants_idmap(m)) continue;
        std::string what = fmt::format("mounts[{}] {} on {}", i, util::quote(m.source.value_or("")),
                                       util::quote(m.destination));
        out.push_back(with_context(what, [&] { return prepare_one(spec, i, joined_userns_fd); }));
    }
    return out;
}

}  // namespace hull::sys
