#include "linux/cgroup/systemd_scope.hpp"

#include <map>

#include <fmt/format.h>

#include "util/error.hpp"

namespace hull::sys::cgroup {
namespace {

using std::chrono::microseconds;
using std::chrono::steady_clock;

constexpr const char* kSystemd = "org.freedesktop.systemd1";
constexpr const char* kSystemdPath = "/org/freedesktop/systemd1";
constexpr const char* kManager = "org.freedesktop.systemd1.Manager";
constexpr const char* kProperties = "org.freedesktop.DBus.Properties";
// For the best-effort ResetFailedUnit after a failure: the caller's timeout may be spent.
constexpr std::chrono::seconds kCleanupTimeout{5};

microseconds left_until(steady_clock::time_point deadline) {
    return std::chrono::duration_cast<microseconds>(deadline - steady_clock::now());
}

std::string seconds(microseconds d) { return fmt::format("{:g} s", static_cast<double>(d.count()) / 1e6); }

template <typename... Fn>
struct Overloaded : Fn... {
    using Fn::operator()...;
};
template <typename... Fn>
Overloaded(Fn...) -> Overloaded<Fn...>;

void append_value(Message& m, const PropertyValue& value) {
    std::visit(Overloaded{
                   [&](bool b) { m.open('v', "b").append_bool(b).close(); },
                   [&](std::uint64_t v) { m.open('v', "t").append_u64(v).close(); },
                   [&](const std::string& s) { m.open('v', "s").append_string(s).close(); },
                   [&](const std::vector<std::string>& v) {
                       m.open('v', "as").open('a', "s");
                       for (const auto& s : v) m.append_string(s);
                       m.close().close();
                   },
                   [&](const std::vector<std::uint32_t>& v) { m.open('v', "au").append_u32_array(v).close(); },
                   [&](const std::vector<std::uint8_t>& v) { m.open('v', "ay").append_bytes(v).close(); },
                   [&](const DeviceAllowList& v) {
                       m.open('v', "a(ss)").open('a', "(ss)");
                       for (const auto& [path, access] : v)
                           m.open('r', "ss").append_string(path).append_string(access).close();
                       m.close().close();
                   },
               },
               value);
}

// a(sv), the properties argument of StartTransientUnit and SetUnitProperties.
void append_properties(Message& m, const std::vector<UnitProperty>& properties) {
    m.open('a', "(sv)");
    for (const auto& p : properties) {
        m.open('r', "sv").append_string(p.name);
        append_value(m, p.value);
        m.close();
    }
    m.close();
}

std::string get_string_property(Bus& bus, const char* object, const char* interface, const char* property,
                                microseconds timeout) {
    Message call = bus.method_call(kSystemd, object, kProperties, "Get");
    call.append_string(interface).append_string(property);
    Message reply = bus.call(call, timeout, fmt::format("systemd property {}.{}", interface, property));
    reply.enter('v', "s");
    return reply.read_string();
}

// Lets systemd forget a failed unit of that name (ResetFailedUnit). Best
// effort, as in runc: the caller reports the failure that led here.
void reset_failed_unit(Bus& bus, const std::string& unit, microseconds timeout) {
    Message call = bus.method_call(kSystemd, kSystemdPath, kManager, "ResetFailedUnit");
    call.append_string(unit);
    BusError ignored;
    bus.try_call(call, timeout, ignored);
}

// StartTransientUnit; returns the job's object path, or "" when the unit is
// a slice that exists already.
std::string request_start(Bus& bus, const std::string& unit, const std::vector<UnitProperty>& properties,
                          steady_clock::time_point deadline) {
    for (bool retried = false;; retried = true) {
        Message call = bus.method_call(kSystemd, kSystemdPath, kManager, "StartTransientUnit");
        call.append_string(unit).append_string("replace");
        append_properties(call, properties);
        call.open('a', "(sa(sv))").close();  // no auxiliary units
        BusError error;
        if (auto reply = bus.try_call(call, left_until(deadline), error)) return reply->read_string('o');
        bool exists = error.name == "org.freedesktop.systemd1.UnitExists";
        if (exists && unit.ends_with(".slice")) return "";
        if (!exists || retried) throw_bus_error(error, fmt::format("systemd StartTransientUnit {}", unit));
        // A unit of that name left failed by an earlier container: once
        // reset, systemd lets it go and the name is free again.
        reset_failed_unit(bus, unit, left_until(deadline));
    }
}

}  // namespace

int parse_systemd_version(std::string_view version) {
    while (!version.empty() && (version.front() == '"' || version.front() == 'v')) version.remove_prefix(1);
    int value = 0;
    std::size_t digits = 0;
    for (; digits < version.size() && version[digits] >= '0' && version[digits] <= '9' && value < 1000000; ++digits) {
        value = value * 10 + (version[digits] - '0');
    }
    return digits == 0 ? -1 : value;
}

int systemd_version(Bus& bus, microseconds timeout) {
    try {
        return parse_systemd_version(get_string_property(bus, kSystemdPath, kManager, "Version", timeout));
    } catch (const Error&) {
        return -1;  // as runc: an unknown version only leaves the newer properties out
    }
}

void start_transient_unit(Bus& bus, const std::string& unit, const std::vector<UnitProperty>& properties,
                          microseconds timeout) {
    auto deadline = steady_clock::now() + timeout;
    std::map<std::string, std::string> finished;  // job path → result
    // Listen before asking: the job may be over before the reply is read.
    Slot slot = bus.match_signal(kSystemd, kSystemdPath, kManager, "JobRemoved", [&](Message& m) {
        m.read_u32();  // the job's id
        std::string job = m.read_string('o');
        m.read_string();  // the unit
        finished[job] = m.read_string();
    });
    std::string job = request_start(bus, unit, properties, deadline);
    if (job.empty()) return;
    if (!bus.process_until([&] { return finished.count(job) != 0; }, deadline)) {
        reset_failed_unit(bus, unit, kCleanupTimeout);
        throw_errno(ETIMEDOUT, "systemd did not start unit {} within {} (job {})", unit, seconds(timeout), job);
    }
    const std::string& result = finished[job];
    if (result != "done") {
        reset_failed_unit(bus, unit, kCleanupTimeout);
        throw_error("systemd could not start unit {}: its job ended with result \"{}\" (journalctl -u {} may say why)",
                    unit, result, unit);
    }
}

void stop_unit(Bus& bus, const std::string& unit, microseconds timeout) {
    auto deadline = steady_clock::now() + timeout;
    std::map<std::string, std::string> finished;  // job path → result
    Slot slot = bus.match_signal(kSystemd, kSystemdPath, kManager, "JobRemoved", [&](Message& m) {
        m.read_u32();
        std::string job = m.read_string('o');
        m.read_string();
        finished[job] = m.read_string();
    });
    Message call = bus.method_call(kSystemd, kSystemdPath, kManager, "StopUnit");
    call.append_string(unit).append_string("replace");
    BusError error;
    auto reply = bus.try_call(call, left_until(deadline), error);
    if (!reply) {
        if (error.name == "org.freedesktop.systemd1.NoSuchUnit") return;
        throw_bus_error(error, fmt::format("systemd StopUnit {}", unit));
    }
    std::string job = reply->read_string('o');
    if (!bus.process_until([&] { return finished.count(job) != 0; }, deadline)) {
        throw_errno(ETIMEDOUT, "systemd did not stop unit {} within {} (job {})", unit, seconds(timeout), job);
    }
    reset_failed_unit(bus, unit, left_until(deadline));
}

void set_unit_properties(Bus& bus, const std::string& unit, const std::vector<UnitProperty>& properties,
                         microseconds timeout) {
    Message call = bus.method_call(kSystemd, kSystemdPath, kManager, "SetUnitProperties");
    call.append_string(unit).append_bool(true);
    append_properties(call, properties);
    bus.call(call, timeout, fmt::format("systemd SetUnitProperties {}", unit));
}

std::string unit_control_group(Bus& bus, const std::string& unit, microseconds timeout) {
    auto deadline = steady_clock::now() + timeout;
    Message call = bus.method_call(kSystemd, kSystemdPath, kManager, "GetUnit");
    call.append_string(unit);
    std::string object = bus.call(call, timeout, fmt::format("systemd GetUnit {}", unit)).read_string('o');
    const char* interface =
        unit.ends_with(".slice") ? "org.freedesktop.systemd1.Slice" : "org.freedesktop.systemd1.Scope";
    std::string group = get_string_property(bus, object.c_str(), interface, "ControlGroup", left_until(deadline));
    if (group.empty()) throw_error("systemd unit {} has no cgroup (it has no processes left)", unit);
    return group;
}

}  // namespace hull::sys::cgroup
