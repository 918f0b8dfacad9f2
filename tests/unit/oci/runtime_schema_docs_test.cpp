// The runtime-spec's own schema test documents (schema/test/, copied into
// tests/data/spec-schema-tests; only the Linux and platform-neutral ones):
// every good one is accepted and every bad one refused with an error that
// names the offending path.
#include <doctest/doctest.h>

#include <filesystem>
#include <map>

#include "oci/runtime/features.hpp"
#include "oci/runtime/state.hpp"
#include "runtime_test_util.hpp"

using namespace hull;
using namespace hull::oci;
using hull::test::data_path;
using hull::test::error_of;

namespace {

std::vector<std::string> documents(std::string_view dir) {
    std::vector<std::string> out;
    for (const auto& entry : std::filesystem::directory_iterator(data_path(dir))) out.push_back(entry.path());
    std::sort(out.begin(), out.end());
    return out;
}

std::string file_name(const std::string& path) { return std::filesystem::path(path).filename(); }

}  // namespace

TEST_CASE("schema tests: every good Linux config parses and validates") {
    auto docs = documents("spec-schema-tests/config/good");
    CHECK(docs.size() == 5);
    for (const auto& path : docs) {
        CAPTURE(path);
        Spec spec = load_spec(path);
        if (file_name(path) == "linux-netdevice.json") {
            // Schema-valid, but moving devices without a network namespace
            // would move them into the host's own: refused as runc does.
            CHECK(error_of([&] { validate_spec(spec); }) ==
                  "config.json: linux.netDevices: moving network devices needs a network namespace in "
                  "linux.namespaces");
            continue;
        }
        CHECK_NOTHROW(validate_spec(spec));
        CHECK(parse_spec(json::parse(spec_to_json(spec, true))) == spec);
    }
}

TEST_CASE("schema tests: every bad Linux config is refused naming the path") {
    const std::map<std::string, std::string> expected = {
        {"invalid-json.json", "invalid-json.json: "},
        {"linux-hugepage.json",
         R"(config.json: linux.resources.hugepageLimits[0].pageSize: "64kB" is not a page size such as 2MB or 1GB)"},
        {"linux-netdevice.json", "linux-netdevice.json: linux.netDevices.eth0.name: expected a string, got number 23"},
        {"linux-rdma.json",
         R"(linux-rdma.json: linux.resources.rdma.mlx5_1.hcaHandles: expected an integer, got string "not a uint32")"},
    };
    auto docs = documents("spec-schema-tests/config/bad");
    CHECK(docs.size() == expected.size());
    for (const auto& path : docs) {
        CAPTURE(path);
        std::string error = error_of([&] { validate_spec(load_spec(path)); });
        REQUIRE(expected.count(file_name(path)) == 1);
        CAPTURE(error);
        CHECK(error.starts_with(expected.at(file_name(path))));
    }
}

TEST_CASE("schema tests: state documents") {
    for (const auto& path : documents("spec-schema-tests/state/good")) {
        State s = parse_state(json::parse_file(path));
        CHECK(s.id == "oci-container1");
        CHECK(s.status == "running");
        CHECK(s.pid == 4422);
        CHECK(s.bundle == "/containers/redis");
        CHECK(parse_state(json::parse(state_to_json(s))) == s);
    }
    for (const auto& path : documents("spec-schema-tests/state/bad")) {
        CHECK(error_of([&] { parse_state(json::parse_file(path)); }) != "no error");
    }
}

TEST_CASE("schema tests: features documents") {
    for (const auto& path : documents("spec-schema-tests/features/good")) {
        CAPTURE(path);
        Features f = parse_features(json::parse_file(path));
        CHECK(!f.oci_version_max.empty());
        CHECK(json::parse(features_to_json(f)) == json::parse_file(path));
    }
    for (const auto& path : documents("spec-schema-tests/features/bad")) {
        CHECK(error_of([&] { parse_features(json::parse_file(path)); }) ==
              R"(missing required field "ociVersionMax")");
    }
}
