// Compiled filters kept under the state root, so a container whose profile
// was seen before skips libseccomp: <root>/.seccomp:cache/<hash>.bpf
// (':' can never be part of a container id, so the directory is never
// taken for a container's).
//
// A file holds the canonical text of the profile it was compiled from, the
// program and a checksum; a hit compares the text in full. The file name's
// hash (FNV-1a 64) therefore only spreads profiles over names and needs no
// resistance to crafted collisions: two profiles with one hash just take
// turns in one file. A short, corrupt or foreign file is recompiled and
// replaced; a cache that cannot be written costs a debug line, not the create.
// It keeps the kCacheEntries most recently used files (a hit touches its
// file): a host whose engines make a new profile per container does not
// fill its /run with them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "linux/seccomp/filter.hpp"
#include "oci/runtime/spec.hpp"
#include "util/log.hpp"

namespace hull::sys::seccomp {

inline constexpr std::size_t kCacheEntries = 64;

Filter compile_cached(const oci::Seccomp& profile, const std::string& state_root, const util::Logger& log);

// The pieces, for tests.
// Everything compile_program's output depends on, as unambiguous text.
std::string cache_key(const oci::Seccomp& profile);
std::uint64_t fnv1a64(std::string_view data, std::uint64_t seed = 0xcbf29ce484222325ULL);
std::string cache_path(const std::string& state_root, const std::string& key);
std::string encode_cache_file(const std::string& key, const std::vector<sock_filter>& program);
// Removes all but the `keep` newest (by mtime) .bpf files of the cache directory.
void evict_cache_entries(const std::string& dir, std::size_t keep);
// nullopt unless `bytes` is a whole, intact file made for exactly `key`.
std::optional<std::vector<sock_filter>> decode_cache_file(std::string_view bytes, const std::string& key);

}  // namespace hull::sys::seccomp
