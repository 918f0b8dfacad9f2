#include "linux/capabilities.hpp"

#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <sys/capability.h>

#include <cctype>

#include <fmt/format.h>

#include "util/error.hpp"
#include "util/strings.hpp"

namespace hull::sys {
namespace {

int last_cap() { return static_cast<int>(cap_max_bits()) - 1; }

std::uint64_t set_bits(const std::optional<std::vector<std::string>>& names, std::vector<std::string>& unknown) {
    std::uint64_t bits = 0;
    if (!names) return bits;
    for (const auto& name : *names) {
        std::string lower;
        for (char c : name) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        cap_value_t value = 0;
        if (cap_from_name(lower.c_str(), &value) != 0 || value > last_cap()) {
            unknown.push_back(name);
            continue;
        }
        bits |= std::uint64_t{1} << value;
    }
    return bits;
}

}  // namespace

ParsedCapabilities parse_capabilities(const std::optional<oci::Capabilities>& caps) {
    ParsedCapabilities out;
    if (!caps) return out;
    out.sets.bounding = set_bits(caps->bounding, out.unknown_to_kernel);
    out.sets.effective = set_bits(caps->effective, out.unknown_to_kernel);
    out.sets.permitted = set_bits(caps->permitted, out.unknown_to_kernel);
    out.sets.inheritable = set_bits(caps->inheritable, out.unknown_to_kernel);
    out.sets.ambient = set_bits(caps->ambient, out.unknown_to_kernel);
    return out;
}

void drop_bounding_set(const CapabilitySets& sets) {
    for (int cap = 0; cap <= last_cap(); ++cap) {
        if (sets.bounding & (std::uint64_t{1} << cap)) continue;
        if (::prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno != EINVAL) {
            throw_errno(errno, "drop capability {} from the bounding set", cap);
        }
    }
}

void keep_capabilities_across_setuid(bool keep) {
    check(::prctl(PR_SET_KEEPCAPS, keep ? 1 : 0, 0, 0, 0), "prctl PR_SET_KEEPCAPS");
}

void apply_capabilities(const CapabilitySets& sets) {
    __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
    __user_cap_data_struct data[2] = {};
    auto split = [](std::uint64_t bits, std::uint32_t& low, std::uint32_t& high) {
        low = static_cast<std::uint32_t>(bits);
        high = static_cast<std::uint32_t>(bits >> 32);
    };
    split(sets.effective, data[0].effective, data[1].effective);
    split(sets.permitted, data[0].permitted, data[1].permitted);
    split(sets.inheritable, data[0].inheritable, data[1].inheritable);
    check(static_cast<int>(::syscall(SYS_capset, &header, data)), "set capabilities (capset)");
    // An ambient cap must be permitted and inheritable (capabilities(7));
    // runc's default config lists ambient caps that are not inheritable, and
    // runc runs it, so those are left out rather than failing the container.
    check(::prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0), "clear ambient capabilities");
    std::uint64_t ambient = sets.ambient & sets.permitted & sets.inheritable;
    for (int cap = 0; cap <= last_cap(); ++cap) {
        if (!(ambient & (std::uint64_t{1} << cap))) continue;
        if (::prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) < 0) {
            throw_errno(errno, "raise ambient capability {}", cap);
        }
    }
}

std::vector<std::string> all_capability_names() {
    std::vector<std::string> out;
    for (int cap = 0; cap <= last_cap(); ++cap) {
        char* name = cap_to_name(cap);
        if (name == nullptr) continue;
        std::string upper;
        for (const char* p = name; *p != '\0'; ++p) upper += static_cast<char>(std::toupper(static_cast<unsigned char>(*p)));
        cap_free(name);
        out.push_back(upper);
    }
    return out;
}

}  // namespace hull::sys
