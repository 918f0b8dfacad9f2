#include "cli/args.hpp"

#include <fmt/format.h>

#include "util/error.hpp"
#include "util/strings.hpp"

namespace hull::cli {
namespace {

const FlagSpec* find_spec(std::span<const FlagSpec> specs, std::string_view name) {
    for (const auto& spec : specs) {
        if (spec.name == name || (!spec.alias.empty() && spec.alias == name)) return &spec;
    }
    return nullptr;
}

// "create: " before messages about a command's flags; nothing for the global ones.
std::string prefix(std::string_view command) { return command.empty() ? std::string() : std::string(command) + ": "; }

bool is_flag_word(std::string_view arg) { return arg.size() > 1 && arg[0] == '-'; }

std::string parse_bool(std::string_view flag, std::string_view value, std::string_view command) {
    // Go's strconv.ParseBool words.
    for (auto word : {"1", "t", "T", "TRUE", "true", "True"}) {
        if (value == word) return "true";
    }
    for (auto word : {"0", "f", "F", "FALSE", "false", "False"}) {
        if (value == word) return "false";
    }
    throw_error("{}invalid boolean value {} for flag -{}", prefix(command), util::quote(value), flag);
}

}  // namespace

bool ParsedArgs::has(std::string_view name) const { return values_.find(name) != values_.end(); }

std::string ParsedArgs::get(std::string_view name, std::string_view fallback) const {
    auto it = values_.find(name);
    return it == values_.end() ? std::string(fallback) : it->second.back();
}

const std::vector<std::string>& ParsedArgs::all(std::string_view name) const {
    static const std::vector<std::string> kEmpty;
    auto it = values_.find(name);
    return it == values_.end() ? kEmpty : it->second;
}

bool ParsedArgs::flag(std::string_view name) const { return has(name) && get(name) != "false"; }

void ParsedArgs::add(std::string_view name, std::string value) {
    values_[std::string(name)].push_back(std::move(value));
}

ParsedArgs parse_args(std::span<const FlagSpec> specs, std::span<const std::string> args, Interspersed mode,
                      std::string_view command) {
    ParsedArgs out;
    std::size_t i = 0;
    for (; i < args.size(); ++i) {
        std::string_view arg = args[i];
        if (arg == "--") {
            ++i;
            break;
        }
        if (!is_flag_word(arg)) {
            if (mode == Interspersed::stop_at_first_positional) break;
            out.add_positional(std::string(arg));
            continue;
        }
        std::string_view body = arg.substr(arg[1] == '-' ? 2 : 1);
        std::optional<std::string_view> inline_value;
        if (auto eq = body.find('='); eq != std::string_view::npos) {
            inline_value = body.substr(eq + 1);
            body = body.substr(0, eq);
        }
        const FlagSpec* spec = find_spec(specs, body);
        if (spec == nullptr) throw_error("{}flag provided but not defined: {}", prefix(command), std::string(arg));
        if (spec->value_name.empty()) {
            out.add(spec->name, inline_value ? parse_bool(spec->name, *inline_value, command) : "true");
            continue;
        }
        if (inline_value) {
            out.add(spec->name, std::string(*inline_value));
        } else if (i + 1 < args.size()) {
            out.add(spec->name, args[++i]);
        } else {
            throw_error("{}flag needs an argument: -{}", prefix(command), spec->name);
        }
    }
    for (; i < args.size(); ++i) out.add_positional(args[i]);
    return out;
}

std::string format_flags_help(std::span<const FlagSpec> specs) {
    std::string out;
    for (const auto& spec : specs) {
        std::string left = fmt::format("--{}", spec.name);
        if (!spec.alias.empty()) left += fmt::format(", {}{}", spec.alias.size() == 1 ? "-" : "--", spec.alias);
        if (!spec.value_name.empty()) left += fmt::format(" {}", spec.value_name);
        out += fmt::format("   {:<28} {}\n", left, spec.help);
    }
    return out;
}

}  // namespace hull::cli
