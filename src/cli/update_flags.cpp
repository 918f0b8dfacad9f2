#include "cli/update_flags.hpp"

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <type_traits>

#include "util/error.hpp"
#include "util/strings.hpp"

namespace hull::cli {
namespace {

std::int64_t multiplier(char unit) {
    switch (std::tolower(static_cast<unsigned char>(unit))) {
        case 'k': return 1LL << 10;
        case 'm': return 1LL << 20;
        case 'g': return 1LL << 30;
        case 't': return 1LL << 40;
        case 'p': return 1LL << 50;
        default: return 0;
    }
}

template <typename T>
T parse_number(const ParsedArgs& args, std::string_view flag) {
    std::string text = args.get(flag);
    if constexpr (std::is_signed_v<T>) {
        auto v = util::parse_i64(text);
        if (!v) throw_error("update: --{}: expected a number, got {}", flag, util::quote(text));
        return static_cast<T>(*v);
    } else {
        auto v = util::parse_u64(text);
        if (!v || *v > std::numeric_limits<T>::max()) {
            throw_error("update: --{}: expected a non-negative number, got {}", flag, util::quote(text));
        }
        return static_cast<T>(*v);
    }
}

oci::Memory& memory(oci::Resources& r) { return r.memory ? *r.memory : r.memory.emplace(); }
oci::Cpu& cpu(oci::Resources& r) { return r.cpu ? *r.cpu : r.cpu.emplace(); }

}  // namespace

std::int64_t parse_memory_size(std::string_view text, std::string_view flag) {
    if (text == "-1") return -1;
    std::size_t i = 0;
    while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.')) ++i;
    std::string number(text.substr(0, i));
    std::string_view unit = text.substr(i);
    if (!unit.empty() && unit.front() == ' ') unit.remove_prefix(1);
    std::int64_t scale = 1;
    if (!unit.empty() && multiplier(unit.front()) != 0) {
        scale = multiplier(unit.front());
        unit.remove_prefix(1);
        if (!unit.empty() && (unit.front() == 'i' || unit.front() == 'I')) unit.remove_prefix(1);
    }
    if (!unit.empty() && (unit.front() == 'b' || unit.front() == 'B')) unit.remove_prefix(1);
    char* end = nullptr;
    double value = number.empty() ? -1 : std::strtod(number.c_str(), &end);
    if (number.empty() || end != number.c_str() + number.size() || !unit.empty() || value < 0 ||
        value * static_cast<double>(scale) > 9.2e18) {
        throw_error("update: --{}: expected a size such as 512m or 2g (or -1), got {}", flag, util::quote(text));
    }
    return static_cast<std::int64_t>(value * static_cast<double>(scale));
}

void apply_update_flags(const ParsedArgs& args, oci::Resources& r) {
    auto size = [&](std::string_view flag, std::optional<std::int64_t>& field) {
        if (args.has(flag)) field = parse_memory_size(args.get(flag), flag);
    };
    if (args.has("memory") || args.has("memory-swap") || args.has("memory-reservation") ||
        args.has("kernel-memory") || args.has("kernel-memory-tcp")) {
        oci::Memory& m = memory(r);
        size("memory", m.limit);
        size("memory-swap", m.swap);
        size("memory-reservation", m.reservation);
        size("kernel-memory", m.kernel);
        size("kernel-memory-tcp", m.kernel_tcp);
    }
    auto cpu_flag = [&](std::string_view flag, auto& field) {
        if (!args.has(flag)) return;
        field = parse_number<typename std::remove_reference_t<decltype(field)>::value_type>(args, flag);
    };
    for (std::string_view flag : {"cpu-share", "cpu-quota", "cpu-period", "cpu-burst", "cpu-rt-runtime",
                                  "cpu-rt-period", "cpuset-cpus", "cpuset-mems"}) {
        if (args.has(flag)) cpu(r);
    }
    if (r.cpu) {
        cpu_flag("cpu-share", r.cpu->shares);
        cpu_flag("cpu-quota", r.cpu->quota);
        cpu_flag("cpu-period", r.cpu->period);
        cpu_flag("cpu-burst", r.cpu->burst);
        cpu_flag("cpu-rt-runtime", r.cpu->realtime_runtime);
        cpu_flag("cpu-rt-period", r.cpu->realtime_period);
        if (args.has("cpuset-cpus")) r.cpu->cpus = args.get("cpuset-cpus");
        if (args.has("cpuset-mems")) r.cpu->mems = args.get("cpuset-mems");
    }
    if (args.has("pids-limit")) r.pids = oci::Pids{parse_number<std::int64_t>(args, "pids-limit"), {}};
    if (args.has("blkio-weight")) {
        if (!r.block_io) r.block_io.emplace();
        r.block_io->weight = parse_number<std::uint16_t>(args, "blkio-weight");
    }
    if (args.has("l3-cache-schema") || args.has("mem-bw-schema")) {
        // Intel RDT lives in resctrl, not in cgroups; hull does not manage it yet.
        throw_error("update: --l3-cache-schema/--mem-bw-schema: Intel RDT (resctrl) is not supported by hull");
    }
}

}  // namespace hull::cli
