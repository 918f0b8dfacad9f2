#include "linux/cgroup/sd_bus.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <utility>

#include "build_config.hpp"
#include "util/error.hpp"

#if HULL_HAVE_SYSTEMD
#include <dlfcn.h>
#endif

// sd-bus's public error struct (sd-bus.h), the one structure whose layout
// hull relies on: it is part of libsystemd's stable ABI.
struct sd_bus_error {
    const char* name;
    const char* message;
    int need_free;
};

namespace hull::sys::cgroup {

using sd_bus_message_handler_t = int (*)(sd_bus_message*, void*, sd_bus_error*);

struct SdBusLibrary {
    void* handle = nullptr;

    int (*open_system)(sd_bus**) = nullptr;
    sd_bus* (*flush_close_unref)(sd_bus*) = nullptr;
    int (*message_new_method_call)(sd_bus*, sd_bus_message**, const char*, const char*, const char*,
                                   const char*) = nullptr;
    int (*message_append_basic)(sd_bus_message*, char, const void*) = nullptr;
    int (*message_append_array)(sd_bus_message*, char, const void*, std::size_t) = nullptr;
    int (*message_open_container)(sd_bus_message*, char, const char*) = nullptr;
    int (*message_close_container)(sd_bus_message*) = nullptr;
    int (*message_read_basic)(sd_bus_message*, char, void*) = nullptr;
    int (*message_enter_container)(sd_bus_message*, char, const char*) = nullptr;
    int (*message_exit_container)(sd_bus_message*) = nullptr;
    sd_bus_message* (*message_ref)(sd_bus_message*) = nullptr;
    sd_bus_message* (*message_unref)(sd_bus_message*) = nullptr;
    int (*call)(sd_bus*, sd_bus_message*, std::uint64_t, sd_bus_error*, sd_bus_message**) = nullptr;
    int (*match_signal)(sd_bus*, sd_bus_slot**, const char*, const char*, const char*, const char*,
                        sd_bus_message_handler_t, void*) = nullptr;
    sd_bus_slot* (*slot_unref)(sd_bus_slot*) = nullptr;
    int (*process)(sd_bus*, sd_bus_message**) = nullptr;
    int (*wait)(sd_bus*, std::uint64_t) = nullptr;
    void (*error_free)(sd_bus_error*) = nullptr;
    // systemd >= 240; older ones keep sd-bus's default of 25 s.
    int (*set_method_call_timeout)(sd_bus*, std::uint64_t) = nullptr;

    SdBusLibrary() = default;
    SdBusLibrary(const SdBusLibrary&) = delete;
    SdBusLibrary& operator=(const SdBusLibrary&) = delete;
    ~SdBusLibrary();
};

struct Slot::State {
    std::shared_ptr<const SdBusLibrary> lib;
    Handler handler;
};

namespace {

std::uint64_t usec(std::chrono::microseconds d) {
    // 0 would mean "sd-bus's default timeout" to sd_bus_call and "forever" to
    // sd_bus_wait: a deadline already passed still waits the least possible.
    return d.count() > 0 ? static_cast<std::uint64_t>(d.count()) : 1;
}

void check_bus(int r, std::string_view what) {
    if (r < 0) throw_errno(-r, "{}", what);
}

[[noreturn]] void built_without_driver() {
    throw_error("hull was built without the systemd cgroup driver (a static hull cannot load libsystemd)");
}

#if HULL_HAVE_SYSTEMD
template <typename Fn>
void resolve(SdBusLibrary& lib, const char* soname, const char* symbol, Fn*& out, bool required = true) {
    out = reinterpret_cast<Fn*>(::dlsym(lib.handle, symbol));
    if (out == nullptr && required) {
        const char* err = ::dlerror();
        throw_error("the systemd cgroup driver needs {}: {}", soname, err ? err : symbol);
    }
}
#endif

}  // namespace

SdBusLibrary::~SdBusLibrary() {
#if HULL_HAVE_SYSTEMD
    if (handle != nullptr) ::dlclose(handle);
#endif
}

std::shared_ptr<const SdBusLibrary> load_sd_bus([[maybe_unused]] const char* soname) {
#if HULL_HAVE_SYSTEMD
    auto lib = std::make_shared<SdBusLibrary>();
    // RTLD_NODELETE: libsystemd keeps thread-local caches and memory pools
    // whose destructors must find its code still mapped at exit.
    lib->handle = ::dlopen(soname, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
    if (lib->handle == nullptr) throw_error("the systemd cgroup driver needs {}: {}", soname, ::dlerror());
    resolve(*lib, soname, "sd_bus_open_system", lib->open_system);
    resolve(*lib, soname, "sd_bus_flush_close_unref", lib->flush_close_unref);
    resolve(*lib, soname, "sd_bus_message_new_method_call", lib->message_new_method_call);
    resolve(*lib, soname, "sd_bus_message_append_basic", lib->message_append_basic);
    resolve(*lib, soname, "sd_bus_message_append_array", lib->message_append_array);
    resolve(*lib, soname, "sd_bus_message_open_container", lib->message_open_container);
    resolve(*lib, soname, "sd_bus_message_close_container", lib->message_close_container);
    resolve(*lib, soname, "sd_bus_message_read_basic", lib->message_read_basic);
    resolve(*lib, soname, "sd_bus_message_enter_container", lib->message_enter_container);
    resolve(*lib, soname, "sd_bus_message_exit_container", lib->message_exit_container);
    resolve(*lib, soname, "sd_bus_message_ref", lib->message_ref);
    resolve(*lib, soname, "sd_bus_message_unref", lib->message_unref);
    resolve(*lib, soname, "sd_bus_call", lib->call);
    resolve(*lib, soname, "sd_bus_match_signal", lib->match_signal);
    resolve(*lib, soname, "sd_bus_slot_unref", lib->slot_unref);
    resolve(*lib, soname, "sd_bus_process", lib->process);
    resolve(*lib, soname, "sd_bus_wait", lib->wait);
    resolve(*lib, soname, "sd_bus_error_free", lib->error_free);
    resolve(*lib, soname, "sd_bus_set_method_call_timeout", lib->set_method_call_timeout, false);
    return lib;
#else
    built_without_driver();
#endif
}

void throw_bus_error(const BusError& error, std::string_view what) {
    if (error.name.empty()) throw Error(error.error_number, std::string(what));
    throw Error(error.error_number, fmt::format("{}: {} ({})", what, error.message, error.name));
}

bool systemd_running() {
    struct stat st {};
    return ::lstat("/run/systemd/system", &st) == 0 && S_ISDIR(st.st_mode);
}

// ---- Message

Message::Message(std::shared_ptr<const SdBusLibrary> lib, sd_bus_message* m) noexcept : lib_(std::move(lib)), m_(m) {}

Message::Message(Message&& other) noexcept : lib_(std::move(other.lib_)), m_(std::exchange(other.m_, nullptr)) {}

Message& Message::operator=(Message&& other) noexcept {
    if (this != &other) {
        if (m_ != nullptr) lib_->message_unref(m_);
        lib_ = std::move(other.lib_);
        m_ = std::exchange(other.m_, nullptr);
    }
    return *this;
}

Message::~Message() {
    if (m_ != nullptr) lib_->message_unref(m_);
}

Message& Message::append_string(const std::string& s) {
    check_bus(lib_->message_append_basic(m_, 's', s.c_str()), "sd_bus_message_append_basic 's'");
    return *this;
}

Message& Message::append_bool(bool b) {
    int value = b ? 1 : 0;  // D-Bus booleans are 32-bit
    check_bus(lib_->message_append_basic(m_, 'b', &value), "sd_bus_message_append_basic 'b'");
    return *this;
}

Message& Message::append_u64(std::uint64_t v) {
    check_bus(lib_->message_append_basic(m_, 't', &v), "sd_bus_message_append_basic 't'");
    return *this;
}

Message& Message::append_bytes(std::span<const std::uint8_t> bytes) {
    check_bus(lib_->message_append_array(m_, 'y', bytes.data(), bytes.size()), "sd_bus_message_append_array 'y'");
    return *this;
}

Message& Message::append_u32_array(std::span<const std::uint32_t> values) {
    check_bus(lib_->message_append_array(m_, 'u', values.data(), values.size_bytes()),
              "sd_bus_message_append_array 'u'");
    return *this;
}

Message& Message::open(char type, const char* contents) {
    check_bus(lib_->message_open_container(m_, type, contents), "sd_bus_message_open_container");
    return *this;
}

Message& Message::close() {
    check_bus(lib_->message_close_container(m_), "sd_bus_message_close_container");
    return *this;
}

std::string Message::read_string(char type) {
    const char* s = nullptr;
    int r = lib_->message_read_basic(m_, type, &s);
    check_bus(r, "sd_bus_message_read_basic");
    if (r == 0 || s == nullptr) throw_error("D-Bus message: expected a value of type '{}', found the end", type);
    return s;
}

std::uint32_t Message::read_u32() {
    std::uint32_t v = 0;
    int r = lib_->message_read_basic(m_, 'u', &v);
    check_bus(r, "sd_bus_message_read_basic 'u'");
    if (r == 0) throw_error("D-Bus message: expected a value of type 'u', found the end");
    return v;
}

void Message::enter(char type, const char* contents) {
    int r = lib_->message_enter_container(m_, type, contents);
    check_bus(r, "sd_bus_message_enter_container");
    if (r == 0) throw_error("D-Bus message: expected a container '{}' of \"{}\", found the end", type, contents);
}

void Message::exit() { check_bus(lib_->message_exit_container(m_), "sd_bus_message_exit_container"); }

// ---- Slot

Slot::Slot(std::unique_ptr<State> state, sd_bus_slot* slot) noexcept : state_(std::move(state)), slot_(slot) {}

Slot::Slot(Slot&& other) noexcept : state_(std::move(other.state_)), slot_(std::exchange(other.slot_, nullptr)) {}

Slot::~Slot() {
    if (slot_ != nullptr) state_->lib->slot_unref(slot_);
}

// ---- Bus

Bus::Bus(std::shared_ptr<const SdBusLibrary> lib, sd_bus* bus) noexcept : lib_(std::move(lib)), bus_(bus) {}

Bus::Bus(Bus&& other) noexcept : lib_(std::move(other.lib_)), bus_(std::exchange(other.bus_, nullptr)) {}

Bus::~Bus() {
    if (bus_ != nullptr) lib_->flush_close_unref(bus_);
}

Bus Bus::system(std::chrono::microseconds call_timeout) {
    // The build's limits first, then the host's: each error names what is missing.
    if (!HULL_HAVE_SYSTEMD) built_without_driver();
    if (!systemd_running()) throw_error("systemd is not running (no /run/systemd/system)");
    auto lib = load_sd_bus();
    sd_bus* bus = nullptr;
    check_bus(lib->open_system(&bus), "connect to the system bus (sd_bus_open_system)");
    Bus result(std::move(lib), bus);
    if (result.lib_->set_method_call_timeout != nullptr) {
        check_bus(result.lib_->set_method_call_timeout(bus, usec(call_timeout)), "sd_bus_set_method_call_timeout");
    }
    return result;
}

Message Bus::method_call(const char* destination, const char* path, const char* interface, const char* member) {
    sd_bus_message* m = nullptr;
    int r = lib_->message_new_method_call(bus_, &m, destination, path, interface, member);
    if (r < 0) throw_errno(-r, "D-Bus method call {}.{}", interface, member);
    return Message(lib_, m);
}

std::optional<Message> Bus::try_call(Message& call, std::chrono::microseconds timeout, BusError& error) {
    sd_bus_error e{nullptr, nullptr, 0};
    sd_bus_message* reply = nullptr;
    int r = lib_->call(bus_, call.m_, usec(timeout), &e, &reply);
    if (r >= 0) return Message(lib_, reply);
    error.name = e.name != nullptr ? e.name : "";
    error.message = e.message != nullptr ? e.message : "";
    error.error_number = -r;
    lib_->error_free(&e);
    if (reply != nullptr) lib_->message_unref(reply);
    return std::nullopt;
}

Message Bus::call(Message& call, std::chrono::microseconds timeout, std::string_view what) {
    BusError error;
    if (auto reply = try_call(call, timeout, error)) return std::move(*reply);
    if (error.error_number == ETIMEDOUT) {
        throw_errno(ETIMEDOUT, "{}: no reply within {} ms", what,
                    std::chrono::duration_cast<std::chrono::milliseconds>(timeout).count());
    }
    throw_bus_error(error, what);
}

namespace {

int dispatch_signal(sd_bus_message* m, void* userdata, sd_bus_error*) {
    auto* state = static_cast<Slot::State*>(userdata);
    // sd-bus is C: nothing may unwind through it. A signal the handler cannot
    // read is one hull does not wait for; the wait then ends by its timeout.
    try {
        Message message(state->lib, state->lib->message_ref(m));
        state->handler(message);
    } catch (...) {
    }
    return 0;
}

}  // namespace

Slot Bus::match_signal(const char* sender, const char* path, const char* interface, const char* member,
                       Slot::Handler handler) {
    auto state = std::make_unique<Slot::State>(Slot::State{lib_, std::move(handler)});
    sd_bus_slot* slot = nullptr;
    int r = lib_->match_signal(bus_, &slot, sender, path, interface, member, dispatch_signal, state.get());
    if (r < 0) throw_errno(-r, "D-Bus match for the signal {}.{}", interface, member);
    return Slot(std::move(state), slot);
}

bool Bus::process_until(const std::function<bool()>& done, std::chrono::steady_clock::time_point deadline) {
    using std::chrono::steady_clock;
    while (!done()) {
        int r = lib_->process(bus_, nullptr);
        check_bus(r, "sd_bus_process");
        if (r > 0) continue;  // more may be queued: drain before waiting
        auto now = steady_clock::now();
        if (now >= deadline) return false;
        r = lib_->wait(bus_, usec(std::chrono::duration_cast<std::chrono::microseconds>(deadline - now)));
        if (r < 0 && r != -EINTR) check_bus(r, "sd_bus_wait");
    }
    return true;
}

}  // namespace hull::sys::cgroup
