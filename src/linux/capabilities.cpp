#include "linux/capabilities.hpp"

#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <sys/capability.h>

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "util/error.hpp"
#include "util/strings.hpp"

namespace hull::sys {
namespace {

constexpr int kMaxBits = 64;  // the sets are u64 masks; capset v3 carries 64 bits

std::uint64_t bit(int cap) { return std::uint64_t{1} << cap; }

// libcap's name for value, "CAP_" and upper case; empty when libcap has no
// name for it (cap_to_name then prints the number).
std::string libcap_name(int value) {
    char* text = cap_to_name(static_cast<cap_value_t>(value));
    if (text == nullptr) return {};
    std::string out;
    if (std::isalpha(static_cast<unsigned char>(text[0]))) {
        for (const char* p = text; *p != '\0'; ++p) out += static_cast<char>(std::toupper(static_cast<unsigned char>(*p)));
    }
    cap_free(text);
    return out;
}

}  // namespace

int kernel_capability_count() { return std::min(static_cast<int>(cap_max_bits()), kMaxBits); }

std::optional<int> capability_value(std::string_view name) {
    if (!name.starts_with("CAP_")) return std::nullopt;
    // cap_from_name is lenient (any case, numbers, trailing digits); the
    // round trip through cap_to_name keeps only the exact spelling.
    std::string text(name);
    cap_value_t value = 0;
    if (cap_from_name(text.c_str(), &value) != 0 || value < 0 || value >= kMaxBits) return std::nullopt;
    if (libcap_name(value) != name) return std::nullopt;
    return value;
}

std::string capability_name(int value) {
    std::string name = libcap_name(value);
    return name.empty() ? fmt::format("CAP_{}", value) : name;
}

std::uint64_t parse_capability_set(std::string_view set, const std::vector<std::string>& names,
                                   std::vector<std::string>& unknown_to_kernel) {
    std::uint64_t bits = 0;
    for (const auto& name : names) {
        auto value = capability_value(name);
        if (!value) throw_error("process.capabilities.{}: unknown capability {}", set, util::quote(name));
        // runc skips capabilities newer than the running kernel with a
        // warning, so one config.json runs on old and new kernels alike.
        if (*value >= kernel_capability_count()) {
            unknown_to_kernel.push_back(name);
            continue;
        }
        bits |= bit(*value);
    }
    return bits;
}

ParsedCapabilities parse_capabilities(const std::optional<oci::Capabilities>& caps) {
    ParsedCapabilities out;
    if (!caps) return out;
    auto parse = [&](std::string_view set, const std::optional<std::vector<std::string>>& names) {
        return names ? parse_capability_set(set, *names, out.unknown_to_kernel) : 0;
    };
    out.sets.bounding = parse("bounding", caps->bounding);
    out.sets.effective = parse("effective", caps->effective);
    out.sets.permitted = parse("permitted", caps->permitted);
    out.sets.inheritable = parse("inheritable", caps->inheritable);
    out.sets.ambient = parse("ambient", caps->ambient);
    return out;
}

void drop_bounding_set(const CapabilitySets& sets) {
    for (int cap = 0; cap < kernel_capability_count(); ++cap) {
        if (sets.bounding & bit(cap)) continue;
        if (::prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0) {
            throw_errno(errno, "drop {} from the bounding set", capability_name(cap));
        }
    }
}

void keep_capabilities_across_setuid(bool keep) {
    check(::prctl(PR_SET_KEEPCAPS, keep ? 1 : 0, 0, 0, 0), "prctl PR_SET_KEEPCAPS");
}

void apply_capabilities(const CapabilitySets& sets) {
    // capset(2) raw, version 3: two 32-bit words per set. libcap's
    // cap_set_proc would do the same with an allocation per call.
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
    // An ambient cap must be permitted and inheritable (capabilities(7)).
    // runc's default config lists ambient caps that are not inheritable and
    // runc only warns when raising them fails, so they are left out rather
    // than failing the container.
    check(::prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0), "clear the ambient capabilities");
    std::uint64_t ambient = sets.ambient & sets.permitted & sets.inheritable;
    for (int cap = 0; cap < kernel_capability_count(); ++cap) {
        if (!(ambient & bit(cap))) continue;
        if (::prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) < 0) {
            throw_errno(errno, "raise ambient capability {}", capability_name(cap));
        }
    }
}

std::vector<std::string> all_capability_names() {
    std::vector<std::string> out;
    for (int cap = 0; cap < kernel_capability_count(); ++cap) {
        std::string name = libcap_name(cap);
        if (!name.empty()) out.push_back(std::move(name));
    }
    return out;
}

}  // namespace hull::sys
