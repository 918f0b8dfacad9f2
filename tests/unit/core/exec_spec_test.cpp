// exec's process: the container's process with runc's flag overrides, or a
// whole --process file; errors name the flag.
#include <doctest/doctest.h>

#include <unistd.h>

#include <fstream>
#include <string>

#include "core/exec_spec.hpp"
#include "util/error.hpp"

using hull::core::exec_process_spec;
using hull::core::ExecRequest;

namespace {

hull::oci::Spec container() {
    hull::oci::Spec spec;
    hull::oci::Process p;
    p.args = {"sleep", "1000"};
    p.env = {"PATH=/bin", "A=1"};
    p.cwd = "/";
    p.user.uid = 5;
    p.user.gid = 6;
    p.user.additional_gids = {10};
    p.terminal = true;
    p.no_new_privileges = true;
    p.capabilities = hull::oci::Capabilities{};
    p.capabilities->bounding = {"CAP_CHOWN"};
    spec.process = p;
    return spec;
}

ExecRequest command(std::vector<std::string> args) {
    ExecRequest r;
    r.args = std::move(args);
    return r;
}

std::string error_of(const ExecRequest& r) {
    try {
        exec_process_spec(container(), r);
    } catch (const hull::Error& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST_CASE("exec keeps the container's process but the args, and has no terminal unless asked") {
    auto p = exec_process_spec(container(), command({"ls", "-l"}));
    CHECK(p.args == std::vector<std::string>{"ls", "-l"});
    CHECK(p.env == std::vector<std::string>{"PATH=/bin", "A=1"});
    CHECK(p.user.uid == 5);
    CHECK(p.terminal == false);
    CHECK(p.no_new_privileges == true);
}

TEST_CASE("exec flags override and append as runc's") {
    auto r = command({"id"});
    r.cwd = "/tmp";
    r.env = {"B=2"};
    r.user = "1000:1001";
    r.additional_gids = {"5", "7"};
    r.tty = true;
    r.no_new_privs = false;
    r.apparmor = "prof";
    r.process_label = "label";
    auto p = exec_process_spec(container(), r);
    CHECK(p.cwd == "/tmp");
    CHECK(p.env == std::vector<std::string>{"PATH=/bin", "A=1", "B=2"});
    CHECK(p.user.uid == 1000);
    CHECK(p.user.gid == 1001);
    CHECK(p.user.additional_gids == std::vector<std::uint32_t>{10, 5, 7});
    CHECK(p.terminal == true);
    CHECK(p.no_new_privileges == false);
    CHECK(p.apparmor_profile == "prof");
    CHECK(p.selinux_label == "label");
}

TEST_CASE("--user with a uid alone keeps the container's gid") {
    auto r = command({"id"});
    r.user = "42";
    auto p = exec_process_spec(container(), r);
    CHECK(p.user.uid == 42);
    CHECK(p.user.gid == 6);
}

TEST_CASE("--cap adds to bounding, effective and permitted; ambient only with an inheritable set") {
    auto r = command({"id"});
    r.caps = {"CAP_NET_RAW"};
    auto p = exec_process_spec(container(), r);
    CHECK(p.capabilities->bounding == std::vector<std::string>{"CAP_CHOWN", "CAP_NET_RAW"});
    CHECK(p.capabilities->effective == std::vector<std::string>{"CAP_NET_RAW"});
    CHECK(p.capabilities->permitted == std::vector<std::string>{"CAP_NET_RAW"});
    CHECK_FALSE(p.capabilities->ambient.has_value());

    auto spec = container();
    spec.process->capabilities->inheritable = std::vector<std::string>{};
    p = exec_process_spec(spec, r);
    CHECK(p.capabilities->ambient == std::vector<std::string>{"CAP_NET_RAW"});
}

TEST_CASE("bad exec flags are errors naming the flag") {
    auto r = command({"id"});
    r.user = "root";
    CHECK(error_of(r).find("--user") != std::string::npos);
    r.user = "1:x";
    CHECK(error_of(r).find("--user") != std::string::npos);
    r.user = "";
    r.additional_gids = {"-1"};
    CHECK(error_of(r).find("--additional-gids") != std::string::npos);
    r.additional_gids = {};
    r.caps = {"CAP_NOPE"};
    CHECK(error_of(r).find("--cap") != std::string::npos);
    CHECK(error_of(command({})).find("command") != std::string::npos);
    auto rel = command({"id"});
    rel.cwd = "relative";
    CHECK(error_of(rel).find("process.cwd") != std::string::npos);
}

TEST_CASE("--process takes the whole process from a file; errors name the file") {
    char path[] = "/tmp/hull-exec-spec-XXXXXX";
    int fd = ::mkstemp(path);
    REQUIRE(fd >= 0);
    ::close(fd);
    std::ofstream(path) << R"({"args": ["echo", "hi"], "cwd": "/work", "user": {"uid": 7, "gid": 8}, "env": ["X=1"]})";
    ExecRequest r;
    r.process_file = path;
    r.env = {"IGNORED=1"};
    auto p = exec_process_spec(container(), r);
    CHECK(p.args == std::vector<std::string>{"echo", "hi"});
    CHECK(p.env == std::vector<std::string>{"X=1"});
    CHECK(p.user.uid == 7);
    std::ofstream(path) << R"({"args": [], "cwd": "/", "user": {"uid": 0, "gid": 0}})";
    std::string message = error_of(r);
    CHECK(message.find(path) != std::string::npos);
    CHECK(message.find("process.args") != std::string::npos);
    CHECK(message.find("config.json") == std::string::npos);
    std::ofstream(path) << "{not json";
    CHECK(error_of(r).find(path) != std::string::npos);
    ::unlink(path);
}

TEST_CASE("--process without a user runs the process as 0:0, as runc's") {
    char path[] = "/tmp/hull-exec-spec-XXXXXX";
    int fd = ::mkstemp(path);
    REQUIRE(fd >= 0);
    ::close(fd);
    std::ofstream(path) << R"({"args": ["id"], "cwd": "/"})";
    ExecRequest r;
    r.process_file = path;
    auto p = exec_process_spec(container(), r);
    ::unlink(path);
    CHECK(p.user.uid == 0);
    CHECK(p.user.gid == 0);
    CHECK(p.user.additional_gids.empty());
}
