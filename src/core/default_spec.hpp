// The config.json `hull spec` writes: runc's default, so tools and docs
// written for `runc spec` keep working.
#pragma once

#include <cstdint>
#include <string>

namespace hull::core {

struct DefaultSpecOptions {
    bool rootless = false;
    std::uint32_t uid = 0;  // with rootless: the host ids mapped to root
    std::uint32_t gid = 0;
};

std::string default_spec_json(const DefaultSpecOptions& options);

}  // namespace hull::core
