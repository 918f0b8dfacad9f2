// linux.resources → cgroup files, v1 and v2, with runc's conversions.
#include <doctest/doctest.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "linux/cgroup/convert.hpp"
#include "linux/cgroup/resources.hpp"
#include "util/error.hpp"

using namespace hull::sys::cgroup;
using hull::oci::Resources;

namespace {

std::vector<FileWrite> v1(const Resources& r, const std::string& controller) {
    for (const auto& c : requested_controllers(r)) {
        if (c.v1 == controller) return v1_writes(c, r);
    }
    return {};
}

std::vector<FileWrite> v2(const Resources& r, const std::string& controller) {
    for (const auto& c : requested_controllers(r)) {
        if (c.v2 == controller) return v2_writes(c, r);
    }
    return {};
}

std::string error_of(const std::function<void()>& fn) {
    try {
        fn();
    } catch (const hull::Error& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST_CASE("convert: runc's formulas") {
    CHECK(shares_to_weight(0) == 0);
    CHECK(shares_to_weight(2) == 1);
    CHECK(shares_to_weight(1024) == 39);
    CHECK(shares_to_weight(262144) == 10000);
    CHECK(blkio_weight_to_io_weight(10) == 1);
    CHECK(blkio_weight_to_io_weight(1000) == 10000);
    CHECK(blkio_weight_to_io_weight(500) == 4950);
    CHECK(cpu_max(0, 0) == std::nullopt);
    CHECK(cpu_max(50000, 100000) == "50000 100000");
    CHECK(cpu_max(-1, 100000) == "max 100000");
    CHECK(cpu_max(20000, 0) == "20000");
    CHECK(swap_to_v2(0, -1) == -1);
    CHECK(swap_to_v2(-1, 1000) == -1);
    CHECK(swap_to_v2(0, 1000) == std::nullopt);
    CHECK(swap_to_v2(3000, 1000) == 2000);
    CHECK(error_of([] { swap_to_v2(500, 1000); }).find("below") != std::string::npos);
    CHECK(error_of([] { swap_to_v2(500, 0); }).find("needs a memory limit") != std::string::npos);
}

TEST_CASE("resources: memory on v1 and v2") {
    Resources r;
    r.memory.emplace();
    r.memory->limit = 1 << 20;
    r.memory->reservation = 1 << 19;
    r.memory->swap = 2 << 20;
    r.memory->swappiness = 10;
    r.memory->disable_oom_killer = true;
    CHECK(v1(r, "memory") == std::vector<FileWrite>{{"memory.limit_in_bytes", "1048576"},
                                                    {"memory.memsw.limit_in_bytes", "2097152"},
                                                    {"memory.soft_limit_in_bytes", "524288"},
                                                    {"memory.swappiness", "10"},
                                                    {"memory.oom_control", "1"}});
    r.memory->disable_oom_killer = false;
    CHECK(v2(r, "memory") == std::vector<FileWrite>{{"memory.swap.max", "1048576"},
                                                    {"memory.max", "1048576"},
                                                    {"memory.low", "524288"}});
    r.memory->limit = -1;
    r.memory->swap = 0;
    CHECK(v2(r, "memory")[0] == FileWrite{"memory.swap.max", "max"});
}

TEST_CASE("resources: v1 memory and memory+swap go in an order the kernel takes at each write") {
    Resources r;
    r.memory.emplace();
    auto order = [&](std::int64_t limit, std::int64_t swap, std::optional<std::int64_t> in_force) {
        r.memory->limit = limit;
        r.memory->swap = swap;
        std::vector<std::string> files;
        for (const auto& c : requested_controllers(r)) {
            if (c.v1 != "memory") continue;
            for (const auto& w : v1_writes(c, r, InForce{in_force})) files.push_back(w.file);
        }
        return files;
    };
    const std::vector<std::string> swap_first{"memory.memsw.limit_in_bytes", "memory.limit_in_bytes"};
    const std::vector<std::string> limit_first{"memory.limit_in_bytes", "memory.memsw.limit_in_bytes"};
    // Rising above the memory+swap in force (128M): memory+swap makes room first.
    CHECK(order(256 << 20, 512 << 20, 64 << 20) == swap_first);
    // Memory+swap falling below the memory in force: memory goes down first.
    CHECK(order(16 << 20, 32 << 20, 256 << 20) == limit_first);
    // Unlimited: memory+swap is lifted first, whatever is in force.
    CHECK(order(-1, -1, 64 << 20) == swap_first);
    CHECK(order(-1, -1, std::nullopt) == swap_first);
    // In force unknown: memory first, and the EINVAL retry covers the rest.
    CHECK(order(256 << 20, 512 << 20, std::nullopt) == limit_first);
    CHECK(order(256 << 20, 0, 64 << 20) == std::vector<std::string>{"memory.limit_in_bytes"});
    CHECK(order(0, 512 << 20, 64 << 20) == std::vector<std::string>{"memory.memsw.limit_in_bytes"});
}

TEST_CASE("resources: zero means unchanged, as runc") {
    Resources r;
    r.memory.emplace();
    r.memory->limit = 0;
    r.pids = hull::oci::Pids{0, {}};
    CHECK(requested_controllers(r).empty());
}

TEST_CASE("resources: cpu, cpuset, pids, blkio, hugetlb, rdma, unified") {
    Resources r;
    r.cpu.emplace();
    r.cpu->shares = 512;
    r.cpu->quota = 20000;
    r.cpu->period = 100000;
    r.cpu->cpus = "0-1";
    r.pids = hull::oci::Pids{-1, {}};
    r.block_io.emplace();
    r.block_io->weight = 500;
    r.block_io->throttle_read_bps_device.push_back({8, 0, 1048576, {}});
    r.hugepage_limits.push_back({"2MB", 4194304, {}});
    r.rdma.emplace_back("mlx5_1", hull::oci::Rdma{3, 7, {}});
    r.unified.emplace_back("memory.high", "1G");
    CHECK(v1(r, "cpu") == std::vector<FileWrite>{{"cpu.shares", "512"}, {"cpu.cfs_period_us", "100000"},
                                                 {"cpu.cfs_quota_us", "20000"}});
    CHECK(v2(r, "cpu") == std::vector<FileWrite>{{"cpu.weight", "20"}, {"cpu.max", "20000 100000"}});
    CHECK(v1(r, "cpuset") == std::vector<FileWrite>{{"cpuset.cpus", "0-1"}});
    CHECK(v1(r, "pids") == std::vector<FileWrite>{{"pids.max", "max"}});
    CHECK(v1(r, "blkio") == std::vector<FileWrite>{{"blkio.weight", "500"},
                                                   {"blkio.throttle.read_bps_device", "8:0 1048576"}});
    CHECK(v2(r, "io") == std::vector<FileWrite>{{"io.weight", "4950"}, {"io.max", "8:0 rbps=1048576"}});
    CHECK(v1(r, "hugetlb") == std::vector<FileWrite>{{"hugetlb.2MB.limit_in_bytes", "4194304"}});
    CHECK(v2(r, "hugetlb") == std::vector<FileWrite>{{"hugetlb.2MB.max", "4194304"}});
    CHECK(v2(r, "rdma") == std::vector<FileWrite>{{"rdma.max", "mlx5_1 hca_handle=3 hca_object=7"}});
    CHECK(v2(r, "*") == std::vector<FileWrite>{{"memory.high", "1G"}});
}

TEST_CASE("resources: bad values name their field") {
    Resources r;
    r.unified.emplace_back("../escape", "1");
    CHECK(error_of([&] { v2(r, "*"); }).find("linux.resources.unified") != std::string::npos);
    Resources h;
    h.hugepage_limits.push_back({"2MB/../x", 1, {}});
    CHECK(error_of([&] { v1(h, "hugetlb"); }).find("pageSize") != std::string::npos);
    Resources rt;
    rt.cpu.emplace();
    rt.cpu->realtime_runtime = 1000;
    CHECK(error_of([&] { v2(rt, "cpu"); }).find("realtime") != std::string::npos);
    Resources net;
    net.network.emplace();
    net.network->class_id = 1;
    auto requested = requested_controllers(net);
    REQUIRE(requested.size() == 1);
    CHECK(requested[0].v2.empty());  // net_cls does not exist on v2
}
