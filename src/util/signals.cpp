#include "util/signals.hpp"

#include <signal.h>

#include <array>
#include <cctype>
#include <optional>

#include <fmt/format.h>

#include "util/error.hpp"
#include "util/strings.hpp"

namespace hull::util {
namespace {

struct SignalName {
    std::string_view name;
    int number;
};

// runc's signal map (golang.org/x/sys/unix names). Aliases (IOT, CLD, POLL)
// come after the canonical name, so signal_name() finds the canonical first.
constexpr std::array<SignalName, 34> kSignals = {{
    {"HUP", SIGHUP},       {"INT", SIGINT},       {"QUIT", SIGQUIT},   {"ILL", SIGILL},       {"TRAP", SIGTRAP},
    {"ABRT", SIGABRT},     {"IOT", SIGIOT},       {"BUS", SIGBUS},     {"FPE", SIGFPE},       {"KILL", SIGKILL},
    {"USR1", SIGUSR1},     {"SEGV", SIGSEGV},     {"USR2", SIGUSR2},   {"PIPE", SIGPIPE},     {"ALRM", SIGALRM},
    {"TERM", SIGTERM},     {"STKFLT", SIGSTKFLT}, {"CHLD", SIGCHLD},   {"CLD", SIGCHLD},      {"CONT", SIGCONT},
    {"STOP", SIGSTOP},     {"TSTP", SIGTSTP},     {"TTIN", SIGTTIN},   {"TTOU", SIGTTOU},     {"URG", SIGURG},
    {"XCPU", SIGXCPU},     {"XFSZ", SIGXFSZ},     {"VTALRM", SIGVTALRM}, {"PROF", SIGPROF},   {"WINCH", SIGWINCH},
    {"IO", SIGIO},         {"POLL", SIGPOLL},     {"PWR", SIGPWR},     {"SYS", SIGSYS},
}};

// "RTMIN", "RTMIN+n", "RTMAX", "RTMAX-n" (signal(7) "Real-time signals");
// SIGRTMIN is glibc's, above the two real-time signals it keeps for itself.
std::optional<int> realtime(std::string_view name) {
    auto offset = [&](std::string_view prefix, char sign) -> std::optional<int> {
        if (!name.starts_with(prefix)) return std::nullopt;
        std::string_view rest = name.substr(prefix.size());
        if (rest.empty()) return 0;
        if (rest.size() < 2 || rest[0] != sign) return std::nullopt;
        auto n = util::parse_u64(rest.substr(1));
        if (!n || *n > 64 || rest[1] < '0' || rest[1] > '9') return std::nullopt;
        return static_cast<int>(*n);
    };
    if (auto o = offset("RTMIN", '+')) return SIGRTMIN + *o;
    if (auto o = offset("RTMAX", '-')) return SIGRTMAX - *o;
    return std::nullopt;
}

}  // namespace

int parse_signal(std::string_view text) {
    if (!text.empty() && text[0] >= '0' && text[0] <= '9') {
        // 0 is kill(2)'s "no signal": the process is only checked for (a liveness probe).
        auto n = util::parse_u64(text);
        if (n && *n <= static_cast<std::uint64_t>(SIGRTMAX)) return static_cast<int>(*n);
        throw_error("invalid signal {}: expected a name or a number 0..{}", util::quote(text), SIGRTMAX);
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
    if (signal == SIGRTMIN) return "SIGRTMIN";
    if (signal > SIGRTMIN && signal <= SIGRTMAX) return fmt::format("SIGRTMIN+{}", signal - SIGRTMIN);
    return fmt::format("signal {}", signal);
}

}  // namespace hull::util
