// Flag parsing with runc's rules (urfave/cli on Go's flag package), which no
// general parser reproduces: `-flag` and `--flag` are the same, values come as
// `--flag value` or `--flag=value`, booleans take `--flag=false`, flags may
// follow positional arguments (urfave reorders them) unless the command stops
// at its first positional (exec and run pass the rest to the container), and
// `--` ends the flags.
#pragma once

#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace hull::cli {

struct FlagSpec {
    std::string_view name;        // long name without dashes: "bundle"
    std::string_view alias;       // another name or "": "b", or a long one ("cpu-shares")
    std::string_view value_name;  // "" for a boolean flag, else e.g. "DIR"
    std::string_view help;
    bool repeatable = false;      // --env A --env B
};

class ParsedArgs {
public:
    bool has(std::string_view name) const;
    // The flag's last value, or fallback when absent.
    std::string get(std::string_view name, std::string_view fallback = "") const;
    const std::vector<std::string>& all(std::string_view name) const;
    bool flag(std::string_view name) const;  // booleans: present and not "false"
    const std::vector<std::string>& positionals() const noexcept { return positionals_; }

    void add(std::string_view name, std::string value);
    void add_positional(std::string value) { positionals_.push_back(std::move(value)); }

private:
    std::map<std::string, std::vector<std::string>, std::less<>> values_;
    std::vector<std::string> positionals_;
};

enum class Interspersed { allowed, stop_at_first_positional };

// Parses args (not including the command name). Throws hull::Error for an
// unknown flag, a missing value or a bad boolean, naming the flag.
ParsedArgs parse_args(std::span<const FlagSpec> specs, std::span<const std::string> args,
                      Interspersed mode, std::string_view command);

// Help text for a command's flags, aligned in two columns.
std::string format_flags_help(std::span<const FlagSpec> specs);

}  // namespace hull::cli
