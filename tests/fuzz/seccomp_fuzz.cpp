// libFuzzer target for seccomp profiles: the input is a linux.seccomp object
// (config-linux.md "Seccomp", as docker's and podman's profiles become in
// config.json), put into a minimal config.json and run through the path
// `hull create` takes before clone: parse_spec -> validate_spec ->
// sys::seccomp::compile. compile has no side effect: libseccomp builds the
// filter in memory and exports it to a memfd, nothing is loaded, and the
// flag probe passes seccomp(2) a null program (EFAULT). Any input may be
// refused with hull::Error; anything else (a crash, a sanitizer report,
// another exception, a leak) is a bug. A profile that parses must
// round-trip, compile must not refuse a name validation let through, and a
// compiled program must be one the kernel would run: it is run through the
// unit tests' BPF interpreter (which throws on a jump out of the program, a
// load outside seccomp_data, falling off the end) on a grid of
// architectures, syscall numbers and arguments.
#include <linux/audit.h>
#include <linux/filter.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "linux/seccomp/compile.hpp"
#include "oci/json.hpp"
#include "oci/runtime/spec.hpp"
#include "oci/runtime/validate.hpp"
#include "tests/unit/linux/seccomp/bpf_interpreter.hpp"
#include "util/error.hpp"
#include "util/log.hpp"

namespace {

using namespace hull;
namespace json = oci::json;

// {"ociVersion":"1.3.0","root":{"path":"rootfs"},
//  "linux":{"namespaces":[{"type":"mount"}],"seccomp":PROFILE}}
json::Value config_with(json::Value profile) {
    json::Value config = json::Value::object();
    config.set("ociVersion", json::Value::string("1.3.0"));
    config.set("root", json::Value::object()).set("path", json::Value::string("rootfs"));
    json::Value& linux_object = config.set("linux", json::Value::object());
    json::Value& namespaces = linux_object.set("namespaces", json::Value::array());
    namespaces.items().emplace_back(json::Value::object()).set("type", json::Value::string("mount"));
    linux_object.set("seccomp", std::move(profile));
    return config;
}

void check_round_trip(const oci::Spec& spec) {
    // Writing a Spec that parsed must not throw: no try here.
    if (!(oci::parse_spec(json::parse(oci::spec_to_json(spec, false))) == spec)) {
        __builtin_trap();  // spec_to_json lost or changed a field of the profile
    }
}

// compile may refuse what this host cannot do (a flag the kernel lacks, an
// architecture libseccomp cannot add, conflicting rules), but never a name
// or an argument index: validate_spec refuses those first.
void check_compile_error(const Error& e) {
    std::string_view message = e.message();
    if (message.find(": unknown ") != std::string_view::npos ||
        message.find(" is outside 0..5") != std::string_view::npos) {
        __builtin_trap();  // validate_spec and compile disagree on the names
    }
}

void check_program(const std::vector<sock_filter>& program) {
    if (program.empty() || program.size() > BPF_MAXINSNS) __builtin_trap();
    constexpr std::uint32_t kX32 = 0x40000000;
    constexpr std::array<std::uint32_t, 5> kArchs = {AUDIT_ARCH_X86_64, AUDIT_ARCH_I386, AUDIT_ARCH_AARCH64,
                                                     AUDIT_ARCH_S390X, 0};
    constexpr std::array<std::uint32_t, 9> kNumbers = {0, 1, 59, 435, 4095, kX32 | 1, kX32 | 4095, 0x7fffffff,
                                                       0xffffffff};
    constexpr std::array<std::uint64_t, 3> kArgs = {0, 1, ~std::uint64_t{0}};
    for (std::uint32_t arch : kArchs) {
        for (std::uint32_t nr : kNumbers) {
            for (std::uint64_t arg : kArgs) {
                // Throws std::runtime_error on a program the kernel would refuse: no try.
                test::run_bpf(program, test::syscall_data(static_cast<int>(nr), {arg, arg, arg, arg, arg, arg}, arch));
            }
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const util::Logger quiet;  // compile logs only debug lines, which this one drops
    std::string_view text(reinterpret_cast<const char*>(data), size);
    oci::Spec spec;
    try {
        spec = oci::parse_spec(config_with(json::parse(text)));
    } catch (const Error&) {
        return 0;
    }
    check_round_trip(spec);
    try {
        oci::validate_spec(spec);
    } catch (const Error&) {
        return 0;
    }
    sys::seccomp::Filter filter;
    try {
        filter = sys::seccomp::compile(*spec.linux->seccomp, quiet);
    } catch (const Error& e) {
        check_compile_error(e);
        return 0;
    }
    check_program(filter.program);
    return 0;
}
