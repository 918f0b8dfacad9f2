// `update`: runc's flags and sizes, and the merge of changes (zero = unchanged).
#include <doctest/doctest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "cli/update_flags.hpp"
#include "core/resources_update.hpp"
#include "util/error.hpp"

using namespace hull;

namespace {

oci::Resources from_flags(std::vector<std::string> args) {
    cli::ParsedArgs parsed = cli::parse_args(cli::kUpdateFlags, args, cli::Interspersed::allowed, "update");
    oci::Resources r;
    cli::apply_update_flags(parsed, r);
    return r;
}

}  // namespace

TEST_CASE("update: sizes as docker's RAMInBytes") {
    CHECK(cli::parse_memory_size("512", "memory") == 512);
    CHECK(cli::parse_memory_size("64k", "memory") == 64 * 1024);
    CHECK(cli::parse_memory_size("100m", "memory") == 100 * 1024 * 1024);
    CHECK(cli::parse_memory_size("1.5G", "memory") == 1536LL * 1024 * 1024);
    CHECK(cli::parse_memory_size("2MiB", "memory") == 2 * 1024 * 1024);
    CHECK(cli::parse_memory_size("-1", "memory") == -1);
    for (const char* bad : {"", "12zz", "-5", "m", "1..2g"}) {
        try {
            cli::parse_memory_size(bad, "memory");
            FAIL("accepted " << bad);
        } catch (const Error& e) {
            CHECK(std::string(e.what()).find("--memory") != std::string::npos);
        }
    }
}

TEST_CASE("update: flags fill only what they name") {
    oci::Resources r = from_flags({"--memory", "1g", "--cpu-quota", "50000", "--pids-limit", "7", "c1"});
    REQUIRE(r.memory);
    CHECK(r.memory->limit == 1LL << 30);
    CHECK_FALSE(r.memory->swap);
    REQUIRE(r.cpu);
    CHECK(r.cpu->quota == 50000);
    CHECK_FALSE(r.cpu->shares);
    REQUIRE(r.pids);
    CHECK(r.pids->limit == 7);
    CHECK_FALSE(r.block_io);
    CHECK_THROWS_AS(from_flags({"--cpu-share", "x", "c1"}), Error);
    CHECK_THROWS_AS(from_flags({"--l3-cache-schema", "L3:0=ff", "c1"}), Error);
}

TEST_CASE("update: runc 1.1's flag names, --cpu-shares kept as an alias") {
    oci::Resources r = from_flags({"--cpu-share", "512", "--cpu-period", "100000", "--cpu-quota", "50000",
                                   "--cpu-rt-period", "1000000", "--cpu-rt-runtime", "950000", "--cpuset-cpus", "0-1",
                                   "--cpuset-mems", "0", "--memory", "64m", "--memory-reservation", "32m",
                                   "--memory-swap", "-1", "--kernel-memory", "1m", "--kernel-memory-tcp", "2m",
                                   "--pids-limit", "-1", "--blkio-weight", "300", "c1"});
    REQUIRE(r.cpu);
    CHECK(r.cpu->shares == 512);
    CHECK(r.cpu->period == 100000);
    CHECK(r.cpu->quota == 50000);
    CHECK(r.cpu->realtime_period == 1000000);
    CHECK(r.cpu->realtime_runtime == 950000);
    CHECK(r.cpu->cpus == "0-1");
    CHECK(r.cpu->mems == "0");
    REQUIRE(r.memory);
    CHECK(r.memory->limit == 64LL << 20);
    CHECK(r.memory->reservation == 32LL << 20);
    CHECK(r.memory->swap == -1);
    CHECK(r.memory->kernel == 1LL << 20);
    CHECK(r.memory->kernel_tcp == 2LL << 20);
    REQUIRE(r.pids);
    CHECK(r.pids->limit == -1);
    REQUIRE(r.block_io);
    CHECK(r.block_io->weight == 300);
    CHECK(from_flags({"--cpu-shares", "256", "c1"}).cpu->shares == 256);
    CHECK(from_flags({"-r", "-", "c1"}) == oci::Resources{});
}

TEST_CASE("update: merge keeps old values where the change is absent or zero") {
    oci::Resources base;
    base.memory.emplace();
    base.memory->limit = 100;
    base.memory->swap = 200;
    base.pids = oci::Pids{10, {}};
    oci::Resources change;
    change.memory.emplace();
    change.memory->limit = 0;
    change.memory->reservation = 50;
    change.pids = oci::Pids{0, {}};
    change.cpu.emplace();
    change.cpu->cpus = "1";
    core::merge_resources(base, change);
    CHECK(base.memory->limit == 100);
    CHECK(base.memory->swap == 200);
    CHECK(base.memory->reservation == 50);
    CHECK(base.pids->limit == 10);
    REQUIRE(base.cpu);
    CHECK(base.cpu->cpus == "1");
}

TEST_CASE("update: memory lifted to -1 with no swap given lifts memory+swap too (runc)") {
    auto merged = [](std::optional<std::int64_t> base_swap, std::optional<std::int64_t> swap_change) {
        oci::Resources base;
        base.memory.emplace();
        base.memory->limit = 64 << 20;
        base.memory->swap = base_swap;
        oci::Resources change;
        change.memory.emplace();
        change.memory->limit = -1;
        change.memory->swap = swap_change;
        core::merge_resources(base, change);
        CHECK(base.memory->limit == -1);
        return base.memory->swap;
    };
    CHECK(merged(128 << 20, std::nullopt) == -1);
    CHECK(merged(128 << 20, 0) == -1);
    CHECK(merged(128 << 20, -1) == -1);
    // A swap given with it stands (the kernel judges the pair).
    CHECK(merged(128 << 20, 256 << 20) == 256 << 20);
    // No memory+swap limit in force: none is written.
    CHECK(merged(std::nullopt, std::nullopt) == std::nullopt);
}
