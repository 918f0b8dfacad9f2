// OCI hooks: the state on stdin, exactly the given argv and env, errors that
// name the hook and carry its output, and the timeout.
#include <doctest/doctest.h>

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <sstream>
#include <string>

#include "core/hooks.hpp"
#include "oci/runtime/spec.hpp"
#include "util/error.hpp"
#include "util/files.hpp"
#include "util/log.hpp"

using hull::core::HookSpec;
using hull::core::run_hook;
using namespace std::chrono_literals;

namespace {

HookSpec sh(const std::string& script, std::vector<std::string> env = {}) {
    return HookSpec{"/bin/sh", {"sh", "-c", script}, std::move(env), std::nullopt};
}

std::string error_of(const HookSpec& hook, std::string_view state = "{}", std::size_t index = 0) {
    try {
        run_hook(hook, state, "prestart", index);
    } catch (const hull::Error& e) {
        return e.what();
    }
    return "";
}

std::string slurp(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    std::stringstream s;
    s << f.rdbuf();
    return s.str();
}

// A unique scratch file name for hooks to write to.
struct ScratchFile {
    std::string path;
    ScratchFile() {
        char templ[] = "/tmp/hull-hook-test-XXXXXX";
        int fd = ::mkstemp(templ);
        REQUIRE(fd >= 0);
        ::close(fd);  // the test only needs the name; the hook rewrites it
        path = templ;
    }
    ~ScratchFile() { ::unlink(path.c_str()); }
};

}  // namespace

TEST_CASE("hooks: the state JSON arrives on stdin, whole") {
    const std::string state = R"({"ociVersion":"1.3.0","id":"c1","status":"creating","pid":42,"bundle":"/b"})";
    CHECK(error_of(sh("[ \"$(cat)\" = '" + state + "' ] || exit 3"), state) == "");
    CHECK(error_of(sh("[ \"$(cat)\" = 'other' ] || exit 3"), state) == "prestart hook #0 \"/bin/sh\": exit status 3");
}

TEST_CASE("hooks: a large state is fed to a slow reader, and a hook that never reads it is fine") {
    std::string state(1 << 20, 'x');
    CHECK(error_of(sh("sleep 0.1; [ \"$(wc -c)\" = 1048576 ] || exit 4"), state) == "");
    CHECK(error_of(HookSpec{"/bin/true", {}, {}, std::nullopt}, state) == "");
    CHECK(error_of(sh("exec 0<&-; exit 0"), state) == "");
}

TEST_CASE("hooks: the environment is exactly the hook's env") {
    ScratchFile out;
    std::vector<std::string> env = {"A=1", "B=two words", "OUT=" + out.path};
    REQUIRE(error_of(sh("cat /proc/$$/environ > \"$OUT\"", env)) == "");
    CHECK(slurp(out.path) == std::string("A=1\0B=two words\0OUT=", 20) + out.path + std::string("\0", 1));
}

TEST_CASE("hooks: args[0] is argv[0]") {
    ScratchFile out;
    HookSpec hook{"/bin/sh", {"my-hook", "-c", "cat /proc/$$/cmdline > \"$OUT\""}, {"OUT=" + out.path}, std::nullopt};
    REQUIRE(error_of(hook) == "");
    std::string cmdline = slurp(out.path);
    CHECK(cmdline.starts_with(std::string("my-hook\0-c\0", 11)));
}

TEST_CASE("hooks: no fd but stdin, stdout and stderr reaches the hook") {
    int leaked = ::open("/dev/null", O_RDONLY);  // no CLOEXEC on purpose
    REQUIRE(leaked >= 0);
    // ls lists the shell's fds; the listing comes back through stdout.
    CHECK(error_of(sh("ls /proc/$$/fd; exit 1", {"PATH=/usr/bin:/bin"})) ==
          "prestart hook #0 \"/bin/sh\": exit status 1, stdout: 0\n1\n2");
    ::close(leaked);
}

TEST_CASE("hooks: a failing hook's error has the kind, index, path, status and output") {
    CHECK(error_of(sh("echo oops >&2; exit 3"), "{}", 2) == "prestart hook #2 \"/bin/sh\": exit status 3, stderr: oops");
    CHECK(error_of(sh("echo out; echo err >&2; exit 1")) ==
          "prestart hook #0 \"/bin/sh\": exit status 1, stdout: out, stderr: err");
    CHECK(error_of(sh("kill -9 $$")) == "prestart hook #0 \"/bin/sh\": killed by SIGKILL");
}

TEST_CASE("hooks: captured output is bounded") {
    std::string msg = error_of(sh("head -c 200000 /dev/zero | tr '\\0' x >&2; exit 1", {"PATH=/usr/bin:/bin"}));
    CHECK(msg.size() < 70000);
    CHECK(msg.ends_with("xxx..."));
}

TEST_CASE("hooks: a path that cannot be executed says why") {
    CHECK(error_of(HookSpec{"/nonexistent/hook", {}, {}, std::nullopt}) ==
          "prestart hook #0 \"/nonexistent/hook\": exec: no such file or directory");
    ScratchFile not_executable;  // mode 0600: not even root may exec it
    CHECK(error_of(HookSpec{not_executable.path, {}, {}, std::nullopt}) ==
          "prestart hook #0 \"" + not_executable.path + "\": exec: permission denied");
}

TEST_CASE("hooks: run_hooks stops at the first failure and numbers the hooks") {
    std::vector<HookSpec> hooks = {sh("exit 0"), sh("exit 5"), HookSpec{"/nonexistent", {}, {}, std::nullopt}};
    try {
        hull::core::run_hooks(hooks, "createRuntime", "{}");
        FAIL("no error");
    } catch (const hull::Error& e) {
        CHECK(std::string(e.what()) == "createRuntime hook #1 \"/bin/sh\": exit status 5");
    }
}

TEST_CASE("hooks: with failures as warnings every hook runs and each failure is logged") {
    ScratchFile out;
    auto hook = [](std::string path, std::vector<std::string> args) {
        hull::oci::Hook h;
        h.path = std::move(path);
        h.args = std::move(args);
        h.env = std::vector<std::string>{};
        return h;
    };
    std::vector<hull::oci::Hook> hooks = {hook("/bin/false", {"false"}),
                                          hook("/bin/sh", {"sh", "-c", "echo 1 >> " + out.path}),
                                          hook("/nonexistent", {}),
                                          hook("/bin/sh", {"sh", "-c", "echo 3 >> " + out.path})};
    hull::UniqueFd log_fd(::memfd_create("log", MFD_CLOEXEC));
    hull::util::Logger log(hull::UniqueFd(::dup(log_fd.get())), hull::util::LogFormat::text, false);
    hull::core::run_hooks_warning_on_failure(hooks, "poststop", "{}", log);
    CHECK(slurp(out.path) == "1\n3\n");
    ::lseek(log_fd.get(), 0, SEEK_SET);
    std::string text = hull::util::read_fd(log_fd.get(), 1 << 20, "log");
    CHECK(text.find(R"(level=warning msg="poststop hook #0 \"/bin/false\": exit status 1")") != std::string::npos);
    CHECK(text.find(R"(poststop hook #2 \"/nonexistent\": exec: no such file or directory")") != std::string::npos);
    CHECK(std::count(text.begin(), text.end(), '\n') == 2);
}

TEST_CASE("hooks: a hook past its timeout is killed") {
    HookSpec hook = sh("echo started >&2; sleep 10");
    hook.timeout = 300ms;
    auto start = std::chrono::steady_clock::now();
    CHECK(error_of(hook) == "prestart hook #0 \"/bin/sh\": timed out after 0.3s, stderr: started");
    CHECK(std::chrono::steady_clock::now() - start < 5s);
    hook = sh("exit 0");
    hook.timeout = 5s;
    CHECK(error_of(hook) == "");
}

TEST_CASE("hooks: a process the hook leaves behind holding its output does not hold us") {
    auto start = std::chrono::steady_clock::now();
    CHECK(error_of(sh("sleep 3 & exit 0")) == "");
    CHECK(std::chrono::steady_clock::now() - start < 2s);
}

TEST_CASE("hooks: config.json hooks map to HookSpec (seconds, absent args, absent env is the runtime's)") {
    hull::oci::Hook h;
    h.path = "/usr/bin/x";
    h.timeout = 5;
    ::setenv("HULL_HOOK_TEST", "inherited", 1);
    HookSpec spec = hull::core::hook_spec(h);
    ::unsetenv("HULL_HOOK_TEST");
    CHECK(spec.path == "/usr/bin/x");
    CHECK(spec.args.empty());
    CHECK(std::find(spec.env.begin(), spec.env.end(), "HULL_HOOK_TEST=inherited") != spec.env.end());
    REQUIRE(spec.timeout);
    CHECK(*spec.timeout == 5s);
    h.timeout.reset();
    h.args = std::vector<std::string>{"x", "-v"};
    h.env = std::vector<std::string>{"A=1"};
    spec = hull::core::hook_spec(h);
    CHECK(spec.args == std::vector<std::string>{"x", "-v"});
    CHECK(spec.env == std::vector<std::string>{"A=1"});
    CHECK_FALSE(spec.timeout);
    h.env = std::vector<std::string>{};
    CHECK(hull::core::hook_spec(h).env.empty());
}
