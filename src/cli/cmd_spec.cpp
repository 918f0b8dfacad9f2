// spec: write runc's default config.json into the bundle, never over one.
#include <fcntl.h>
#include <unistd.h>

#include "cli/commands.hpp"
#include "core/default_spec.hpp"
#include "util/error.hpp"
#include "util/files.hpp"

namespace hull::cli {

int run_spec(const Context&, const ParsedArgs& args) {
    if (!args.positionals().empty()) throw_error("spec: expected no arguments, got {}", args.positionals()[0]);
    std::string path = args.get("bundle", ".") + "/config.json";
    core::DefaultSpecOptions options{args.flag("rootless"), ::getuid(), ::getgid()};
    std::string json = core::default_spec_json(options);
    // O_EXCL: an existing config.json is never replaced, even by a race.
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0 && errno == EEXIST) throw_error("spec: {} already exists; remove it first", path);
    if (fd < 0) throw_errno(errno, "spec: create {}", path);
    UniqueFd owned(fd);
    util::write_all(fd, json, path);
    return 0;
}

}  // namespace hull::cli
