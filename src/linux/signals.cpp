#include "linux/signals.hpp"

#include <signal.h>

#include <array>
#include <cctype>

#include <fmt/format.h>

#include "util/error.hpp"
#include "util/strings.hpp"

namespace hull::sys {
namespace {

struct SignalName {
    std::string_view name;
    int number;
};

constexpr std::array<SignalName, 31> kSignals = {{
    {"HUP", SIGHUP},     {"INT", SIGINT},     {"QUIT", SIGQUIT},     {"ILL", SIGILL},     {"TRAP", SIGTRAP},
    {"ABRT", SIGABRT},   {"IOT", SIGIOT},     {"BUS", SIGBUS},       {"FPE", SIGFPE},     {"KILL", SIGKILL},
    {"USR1", SIGUSR1},   {"SEGV", SIGSEGV},   {"USR2", SIGUSR2},     {"PIPE", SIGPIPE},   {"ALRM", SIGALRM},
    {"TERM", SIGTERM},   {"STKFLT", SIGSTKFLT}, {"CHLD", SIGCHLD},   {"CONT", SIGCONT},   {"STOP", SIGSTOP},
    {"TSTP", SIGTSTP},   {"TTIN", SIGTTIN},   {"TTOU", SIGTTOU},     {"URG", SIGURG},     {"XCPU", SIGXCPU},
    {"XFSZ", SIGXFSZ},   {"VTALRM", SIGVTALRM}, {"PROF", SIGPROF},   {"WINCH", SIGWINCH}, {"IO", SIGIO},
    {"SYS", SIGSYS},
}};

std::optional<int> realtime(std::string_view name) {
    auto offset = [&](std::string_view prefix) -> std::optional<int> {
        if (name == prefix) return 0;
        if (name.size() <= prefix.size() + 1 || !name.starts_with(prefix)) return std::nullopt;
        char sign = name[prefix.size()];
        auto n = util::parse_u64(name.substr(prefix.size() + 1));
        if ((sign != '+' && sign != '-') || !n || *n > 64) return std::nullopt;
        return sign == '+' ? static_cast<int>(*n) : -static_cast<int>(*n);
    };
    if (auto o = offset("RTMIN")) return SIGRTMIN + *o;
    if (auto o = offset("RTMAX")) return SIGRTMAX + *o;
    return std::nullopt;
}

}  // namespace

int parse_signal(std::string_view text) {
    if (auto n = util::parse_u64(text)) {
        if (*n >= 1 && *n <= static_cast<std::uint64_t>(SIGRTMAX)) return static_cast<int>(*n);
        throw_error("invalid signal {}: expected 1..{}", util::quote(text), SIGRTMAX);
    }
    std::string upper;
    for (char c : text) upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    std::string_view name = upper;
    if (name.starts_with("SIG")) name.remove_prefix(3);
    for (const auto& s : kSignals) {
        if (s.name == name) return s.number;
    }
    if (auto rt = realtime(name); rt && *rt >= SIGRTMIN && *rt <= SIGRTMAX) return *rt;
    throw_error("invalid signal {}", util::quote(text));
}

std::string signal_name(int signal) {
    for (const auto& s : kSignals) {
        if (s.number == signal) return fmt::format("SIG{}", s.name);
    }
    return fmt::format("signal {}", signal);
}

}  // namespace hull::sys
