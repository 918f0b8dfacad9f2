// Reading a directory's entries, with the DIR* and its fd owned throughout
// (fdopendir takes the fd it is given only when it succeeds).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hull::util {

struct DirEntry {
    std::string name;
    unsigned char type;  // d_type: DT_DIR, DT_REG, ...; DT_UNKNOWN on filesystems without it
};

// The entries of the directory dir_fd refers to, "." and ".." left out; the
// caller keeps dir_fd (a duplicate is read). Throws naming `what`.
std::vector<DirEntry> read_directory(int dir_fd, std::string_view what);
// The same for a path; nullopt when it does not exist.
std::optional<std::vector<DirEntry>> read_directory(const std::string& path);

}  // namespace hull::util
