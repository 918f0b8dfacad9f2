// Namespace kinds as the runtime spec names them, their clone flags and
// /proc/PID/ns names, and joining one by path (config-linux.md "Namespaces").
#pragma once

#include <sys/types.h>

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "oci/runtime/spec.hpp"
#include "util/unique_fd.hpp"

namespace hull::sys {

struct NamespaceKind {
    std::string_view spec_name;  // "network"
    std::string_view proc_name;  // "net" as in /proc/PID/ns/net
    int clone_flag;              // CLONE_NEWNET
};

// nullopt for a name the spec does not define.
std::optional<NamespaceKind> namespace_kind(std::string_view spec_name);
std::optional<NamespaceKind> namespace_kind_by_flag(int clone_flag);
// Every namespace kind the spec defines, for `features`.
std::span<const NamespaceKind> namespace_kinds();

// Opens a namespace file for setns, checking it is a namespace of the
// expected kind (a wrong path must fail before it is joined).
UniqueFd open_namespace(const std::string& path, const NamespaceKind& kind);
void join_namespace(int fd, const NamespaceKind& kind, const std::string& path);
// Whether fd is the namespace of this kind the calling process is in
// (setns into one's own user namespace fails with EINVAL).
bool is_current_namespace(int fd, const NamespaceKind& kind);

// Joins the namespaces named by clone_flags (CLONE_NEW*) of the process
// behind pidfd: all at once through the pidfd where the kernel allows it
// (setns(2), Linux 5.8), else one by one from /proc/PID/ns with the user
// namespace first (the others belong to it and cannot be joined before).
// A new pid or time namespace applies to the caller's children only.
void join_namespaces_of(int pidfd, pid_t pid, int clone_flags);

// The lines of a uid_map/gid_map file for these mappings.
std::string id_map_lines(const std::vector<oci::IdMapping>& maps);
// Writes /proc/PID/uid_map or gid_map ("0 1000 1\n..." lines).
void write_id_map(pid_t pid, std::string_view file, std::string_view lines);

}  // namespace hull::sys
