// The container's session keyring (keyrings(7)). Without one of its own a
// container would search, and could link to, the keys of whoever ran the
// runtime. As runc, the keyring is named "_ses.ID": the init creates it,
// and every `exec` joins the same one by that name.
#pragma once

#include <string>
#include <string_view>

namespace hull::sys {

// runc's name for a container's session keyring.
std::string session_keyring_name(std::string_view container_id);

// For the init: a new session keyring of that name, made searchable by its
// owner so an exec'd process of the same user can join it by name (runc
// adds the same KEY_USR_SEARCH bit). Kernels without keyrings answer ENOSYS,
// which is fine: there are no keys to hide.
void create_session_keyring(const std::string& name);

// For exec: joins the container's keyring (or, if it cannot be found by
// that name, a new one of that name, as KEYCTL_JOIN_SESSION_KEYRING does).
void join_session_keyring(const std::string& name);

// The permission mask of a key from KEYCTL_DESCRIBE's "type;uid;gid;perm;desc".
unsigned parse_key_permissions(std::string_view description);

}  // namespace hull::sys
