// A small RAII face over the sd-bus calls the systemd cgroup driver makes.
//
// libsystemd is loaded with dlopen when a bus is opened, never linked:
// every shared library costs start-up time on every container, and only
// --systemd-cgroup needs this one (docs/architecture.md "What `hull` links,
// and why"). The entry points are resolved into a table owned by the Bus
// (and shared by its messages and matches), so nothing here is global. A
// static hull cannot dlopen a glibc library, so there the driver is
// compiled out and opening a bus says so.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

struct sd_bus;
struct sd_bus_message;
struct sd_bus_slot;

namespace hull::sys::cgroup {

struct SdBusLibrary;  // the dlopen handle and the resolved functions (sd_bus.cpp)

// Loads libsystemd (soname given for tests) and resolves every function hull
// calls; throws "the systemd cgroup driver needs SONAME: <dlerror>".
std::shared_ptr<const SdBusLibrary> load_sd_bus(const char* soname = "libsystemd.so.0");

// A D-Bus error reply ("org.freedesktop.systemd1.UnitExists", "Unit x
// already exists.") or a local failure of the call (a timeout, a lost
// connection), as sd_bus_call reports both.
struct BusError {
    std::string name;
    std::string message;
    int error_number = 0;  // positive errno
};

// Throws "what: <message> (<name>)" for an error reply, "what: <strerror>"
// for a call that failed on this side.
[[noreturn]] void throw_bus_error(const BusError& error, std::string_view what);

class Message {
public:
    Message(std::shared_ptr<const SdBusLibrary> lib, sd_bus_message* m) noexcept;  // adopts a reference
    Message(Message&& other) noexcept;
    Message& operator=(Message&& other) noexcept;
    Message(const Message&) = delete;
    Message& operator=(const Message&) = delete;
    ~Message();

    // Appends, by D-Bus type: 's' string, 'b' boolean, 't' uint64, 'u' uint32,
    // and arrays of fixed-size elements ('ay', 'au') in one piece.
    Message& append_string(const std::string& s);
    Message& append_bool(bool b);
    Message& append_u64(std::uint64_t v);
    Message& append_bytes(std::span<const std::uint8_t> bytes);
    Message& append_u32_array(std::span<const std::uint32_t> values);
    // Containers: 'a' array, 'r' struct, 'v' variant, 'e' dict entry, with the
    // signature of their contents ("(sv)", "sv", "t").
    Message& open(char type, const char* contents);
    Message& close();

    // Reads the next value: type 's' or 'o' (object path).
    std::string read_string(char type = 's');
    std::uint32_t read_u32();
    void enter(char type, const char* contents);
    void exit();

private:
    friend class Bus;
    std::shared_ptr<const SdBusLibrary> lib_;
    sd_bus_message* m_;
};

// A signal match; the handler runs from Bus::process_until, and the match
// goes when the Slot does.
class Slot {
public:
    using Handler = std::function<void(Message&)>;
    struct State;  // the handler and the library, at a stable address for sd-bus

    Slot(std::unique_ptr<State> state, sd_bus_slot* slot) noexcept;
    Slot(Slot&& other) noexcept;
    Slot& operator=(Slot&&) = delete;
    Slot(const Slot&) = delete;
    ~Slot();

private:
    std::unique_ptr<State> state_;
    sd_bus_slot* slot_;
};

class Bus {
public:
    // Connects to the system bus. Calls sd-bus makes by itself (Hello,
    // AddMatch) wait at most call_timeout. Throws when systemd is not
    // running, when libsystemd cannot be loaded, and in builds without the
    // driver.
    static Bus system(std::chrono::microseconds call_timeout);

    Bus(Bus&& other) noexcept;
    Bus& operator=(Bus&&) = delete;
    Bus(const Bus&) = delete;
    ~Bus();

    Message method_call(const char* destination, const char* path, const char* interface, const char* member);
    // Sends call and waits at most timeout for the reply; nullopt, with
    // error filled, for an error reply or a failed call.
    std::optional<Message> try_call(Message& call, std::chrono::microseconds timeout, BusError& error);
    // The same, throwing "what: <error>".
    Message call(Message& call, std::chrono::microseconds timeout, std::string_view what);

    Slot match_signal(const char* sender, const char* path, const char* interface, const char* member,
                      Slot::Handler handler);
    // Dispatches incoming messages to the matches until done() holds (true)
    // or the deadline passes (false).
    bool process_until(const std::function<bool()>& done, std::chrono::steady_clock::time_point deadline);

private:
    Bus(std::shared_ptr<const SdBusLibrary> lib, sd_bus* bus) noexcept;

    std::shared_ptr<const SdBusLibrary> lib_;
    sd_bus* bus_;
};

// Whether systemd is PID 1, as sd_booted(3) tells: /run/systemd/system is a directory.
bool systemd_running();

}  // namespace hull::sys::cgroup
