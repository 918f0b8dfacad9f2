// state.json: what one hull command leaves for the next, and what a record
// written by an older hull still reads as.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "core/state_store.hpp"
#include "util/error.hpp"

using hull::core::ContainerRecord;
using hull::core::record_from_json;
using hull::core::record_to_json;

namespace {

ContainerRecord sample() {
    ContainerRecord r;
    r.id = "c1";
    r.bundle = "/b";
    r.rootfs = "/b/rootfs";
    r.created = "2026-11-23T19:00:00.000000001Z";
    r.owner = 0;
    r.init_pid = 4242;
    r.init_start_time = 987654321;
    r.setup_done = true;
    r.no_new_keyring = true;
    r.cgroups.driver = "cgroupfs";
    r.cgroups.paths["memory"] = "/sys/fs/cgroup/memory/c1";
    hull::oci::Hooks hooks;
    hooks.poststart.push_back({"/bin/hook", std::vector<std::string>{"hook", "a"}, std::nullopt, 5, {}});
    hooks.poststop.push_back({"/bin/stop", std::nullopt, std::vector<std::string>{"X=1"}, std::nullopt, {}});
    r.hooks = hooks;
    return r;
}

}  // namespace

TEST_CASE("a record survives the round trip through state.json, hooks and keyring choice included") {
    ContainerRecord r = sample();
    ContainerRecord back = record_from_json(record_to_json(r), "state.json");
    CHECK(back.id == r.id);
    CHECK(back.init_pid == r.init_pid);
    CHECK(back.init_start_time == r.init_start_time);
    CHECK(back.no_new_keyring);
    CHECK(back.cgroups.paths == r.cgroups.paths);
    REQUIRE(back.hooks);
    CHECK(*back.hooks == *r.hooks);
}

TEST_CASE("a record without hooks keeps them unknown (config.json has them), not empty") {
    ContainerRecord r = sample();
    r.hooks.reset();
    r.no_new_keyring = false;
    ContainerRecord back = record_from_json(record_to_json(r), "state.json");
    CHECK_FALSE(back.hooks);
    CHECK_FALSE(back.no_new_keyring);
}

TEST_CASE("the cgroups create made are kept, and a record without them stays without") {
    ContainerRecord r = sample();
    r.cgroups.created = std::vector<std::string>{"/sys/fs/cgroup/memory/p", "/sys/fs/cgroup/memory/p/c1"};
    CHECK(record_from_json(record_to_json(r), "state.json").cgroups == r.cgroups);
    r.cgroups.created = std::vector<std::string>{};
    CHECK(record_from_json(record_to_json(r), "state.json").cgroups.created == std::vector<std::string>{});
    r.cgroups.created.reset();
    CHECK_FALSE(record_from_json(record_to_json(r), "state.json").cgroups.created);
}

TEST_CASE("an older hull's record (no hooks, no no_new_keyring) still loads") {
    std::string old = R"({"id":"c1","bundle":"/b","rootfs":"/b/rootfs","created":"x","owner":0,"init_pid":1,)"
                      R"("init_start_time":2,"setup_done":true,"annotations":{},)"
                      R"("cgroups":{"driver":"cgroupfs","paths":{},"systemd_unit":""}})";
    ContainerRecord back = record_from_json(old, "state.json");
    CHECK(back.id == "c1");
    CHECK_FALSE(back.hooks);
    CHECK_FALSE(back.no_new_keyring);
}

TEST_CASE("a damaged record names the file and the field") {
    std::string text = record_to_json(sample());
    auto at = text.find("\"poststart\":[{\"path\":");
    REQUIRE(at != std::string::npos);
    text.replace(at, 21, "\"poststart\":[{\"path\":7,\"was\":");
    try {
        record_from_json(text, "state.json");
        FAIL("accepted a hook path that is a number");
    } catch (const hull::Error& e) {
        std::string message = e.what();
        CHECK(message.find("state.json") != std::string::npos);
        CHECK(message.find("hooks.poststart[0].path") != std::string::npos);
    }
}

namespace {

std::string load_error(const std::string& text) {
    try {
        record_from_json(text, "state.json");
    } catch (const hull::Error& e) {
        return e.what();
    }
    return "no error";
}

}  // namespace

// Found by tests/fuzz/state-fuzz: a record whose annotation was not a string
// loaded, and `state` then printed a state document with it (hooks read
// annotations as strings, as config.json has them).
TEST_CASE("a record whose annotation is not a string is refused naming the annotation") {
    std::string text = R"({"id":"","bundle":"","rootfs":"","created":"","owner":0,"init_pid":4,)"
                       R"("init_start_time":5,"setup_done":true,"annotations":{"":[]}})";
    CHECK(load_error(text) == "state.json: annotations.: expected a string, got an array");
    text = R"({"id":"c1","bundle":"/b","rootfs":"/b/rootfs","created":"x","owner":0,"init_pid":1,)"
           R"("init_start_time":2,"setup_done":true,"annotations":{"a":"1","io.k8s":{"x":"y"}}})";
    CHECK(load_error(text) == "state.json: annotations.io.k8s: expected a string, got an object");
}

// With the state-fuzz target: a negative init_pid loaded, and `state` of a
// container in any status but stopped printed it as the state's pid, which
// the state document forbids (and which kill(2) takes as a process group).
TEST_CASE("a record whose init_pid is negative is refused naming the field") {
    std::string text = R"({"id":"c","bundle":"","rootfs":"","created":"","owner":0,"init_pid":-1,)"
                       R"("init_start_time":5,"setup_done":true,"annotations":{}})";
    CHECK(load_error(text) == "state.json: init_pid: expected a non-negative integer, got number -1");
}
