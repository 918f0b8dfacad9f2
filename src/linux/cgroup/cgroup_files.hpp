// Reading and writing cgroup control files. Writes never create or
// truncate: a control file that does not exist means the kernel lacks the
// knob, and the error says which file.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hull::sys::cgroup {

void write_cgroup_file(const std::string& dir, std::string_view file, std::string_view value);
std::string read_cgroup_file(const std::string& dir, std::string_view file);
// The first line, without its newline.
std::string read_cgroup_line(const std::string& dir, std::string_view file);
// nullopt when the file is missing.
std::optional<std::string> try_read_cgroup_line(const std::string& dir, std::string_view file);
bool cgroup_file_exists(const std::string& dir, std::string_view file);

}  // namespace hull::sys::cgroup
