// linux.resources → systemd unit properties, as runc's systemd managers ask
// for them; expected values from runc's and opencontainers/cgroups' tests
// where they have one.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "../test_support.hpp"
#include "linux/cgroup/systemd_properties.hpp"

using namespace hull::sys::cgroup;
using hull::oci::Resources;
using hull::test::error_of;

namespace {

const SystemdHost kV1{.cgroup_v2 = false, .version = 252};
const SystemdHost kV2{.cgroup_v2 = true, .version = 252};

std::vector<std::string> texts(const std::vector<UnitProperty>& properties) {
    std::vector<std::string> out;
    for (const auto& p : properties) out.push_back(to_string(p));
    return out;
}

std::vector<std::string> v1(const Resources& r) { return texts(resource_properties(r, kV1)); }

std::vector<std::string> v2(const Resources& r) { return texts(resource_properties(r, kV2)); }

Resources with_cpu(hull::oci::Cpu cpu) {
    Resources r;
    r.cpu = std::move(cpu);
    return r;
}

using Strings = std::vector<std::string>;

}  // namespace

TEST_CASE("scope properties: runc's unit for a pid, accounting on, no default dependencies") {
    SystemdPath path = parse_systemd_path("system.slice:hull:c1", "c1");
    CHECK(texts(scope_properties(path, 4242, Resources{}, kV2)) ==
          Strings{"Description=hull container c1", "Slice=system.slice", "Delegate=true", "PIDs=[4242]",
                  "MemoryAccounting=true", "CPUAccounting=true", "IOAccounting=true", "TasksAccounting=true",
                  "DefaultDependencies=false"});
    // v1 hosts account block I/O under its v1 name.
    CHECK(texts(scope_properties(path, 4242, Resources{}, kV1))[6] == "BlockIOAccounting=true");
}

TEST_CASE("scope properties: a slice unit wants its parent and takes neither Delegate nor PIDs") {
    SystemdPath path = parse_systemd_path("system.slice:x:system-pods.slice", "c1");
    Strings t = texts(scope_properties(path, 4242, Resources{}, kV2));
    CHECK(t[1] == "Wants=[system.slice]");
    for (const auto& s : t) {
        CHECK(s.rfind("Delegate", 0) != 0);
        CHECK(s.rfind("PIDs", 0) != 0);
    }
}

TEST_CASE("scope properties: on v1 the device policy comes before the limits, on v2 it is hull's eBPF alone") {
    Resources r;
    r.devices = {hull::oci::DeviceRule{}};  // {"allow": false}: deny everything, then the default rules
    r.pids = hull::oci::Pids{};
    r.pids->limit = 10;
    SystemdPath path = parse_systemd_path("", "c1");
    Strings t = texts(scope_properties(path, 7, r, kV1));
    REQUIRE(t.size() == 13);
    CHECK(t[9] == "DevicePolicy=strict");
    CHECK(t[10] == "DeviceAllow=[]");
    CHECK(t[11].find("/dev/char/1:3 rwm") != std::string::npos);  // /dev/null, a default rule
    CHECK(t[12] == "TasksMax=10");
    for (const auto& s : texts(scope_properties(path, 7, r, kV2))) CHECK(s.rfind("Device", 0) != 0);
}

TEST_CASE("scope properties: the limits follow the unit's own properties") {
    Resources r;
    r.memory = hull::oci::Memory{};
    r.memory->limit = 1 << 20;
    Strings t = texts(scope_properties(parse_systemd_path("", "c1"), 7, r, kV2));
    CHECK(t.back() == "MemoryMax=1048576");
}

TEST_CASE("scope properties: unified memory.oom.group becomes OOMPolicy at start") {
    Resources r;
    r.unified = {{"memory.oom.group", "1"}};
    SystemdPath path = parse_systemd_path("", "c1");
    CHECK(texts(scope_properties(path, 7, r, kV2)).back() == "OOMPolicy=kill");
    r.unified = {{"memory.oom.group", "0"}};
    CHECK(texts(scope_properties(path, 7, r, kV2)).back() == "OOMPolicy=continue");
    r.unified = {{"memory.oom.group", "x"}};
    CHECK(error_of([&] { scope_properties(path, 7, r, kV2); }).find("memory.oom.group") != std::string::npos);
    // Updates leave it alone, as runc.
    r.unified = {{"memory.oom.group", "1"}};
    CHECK(v2(r).empty());
}

TEST_CASE("device properties v1: an allow list as DevicePolicy=strict and systemd's DeviceAllow names") {
    DevicePolicy policy;
    policy.exceptions = {
        {{'c', kAnyDeviceNumber, kAnyDeviceNumber}, kDeviceMknod},
        {{'b', kAnyDeviceNumber, kAnyDeviceNumber}, kDeviceMknod},
        {{'c', 1, 3}, kDeviceAllAccess},
        {{'b', 8, 0}, kDeviceRead | kDeviceWrite},
        {{'c', 136, kAnyDeviceNumber}, kDeviceAllAccess},
        {{'c', kAnyDeviceNumber, 5}, kDeviceRead},  // systemd has no name for it
    };
    CHECK(texts(device_properties(policy, kV1)) ==
          Strings{"DevicePolicy=strict", "DeviceAllow=[]",
                  "DeviceAllow=[block-* m, /dev/block/8:0 rw, char-* m, /dev/char/1:3 rwm, char-136 rwm]"});
}

TEST_CASE("device properties v1: before systemd 240 a whole major is named by its /proc/devices group") {
    DevicePolicy policy;
    policy.exceptions = {{{'c', 136, kAnyDeviceNumber}, kDeviceAllAccess},
                         {{'c', 250, kAnyDeviceNumber}, kDeviceAllAccess},
                         {{'b', 8, kAnyDeviceNumber}, kDeviceRead}};
    SystemdHost old{false, 239, "Character devices:\n  1 mem\n136 pts\n\nBlock devices:\n  8 sd\n  9 md\n"};
    // 250 has no group: systemd would refuse it; cgroupfs allows it.
    CHECK(texts(device_properties(policy, old)) ==
          Strings{"DevicePolicy=strict", "DeviceAllow=[]", "DeviceAllow=[block-sd r, char-pts rwm]"});
}

TEST_CASE("device properties v1: allow-all is systemd's auto; deny exceptions to allow-all become deny-all") {
    DevicePolicy all;
    all.default_allow = true;
    CHECK(texts(device_properties(all, kV1)) == Strings{"DevicePolicy=auto", "DeviceAllow=[]"});
    DevicePolicy blacklist = all;
    blacklist.exceptions = {{{'c', 1, 3}, kDeviceAllAccess}};
    CHECK(texts(device_properties(blacklist, kV1)) == Strings{"DevicePolicy=strict", "DeviceAllow=[]"});
}

TEST_CASE("device properties v2: none, systemd leaves hull's eBPF program alone") {
    DevicePolicy policy;
    policy.exceptions = {{{'c', 1, 3}, kDeviceAllAccess}};
    CHECK(device_properties(policy, kV2).empty());
}

TEST_CASE("resource properties: nothing set, nothing asked") {
    CHECK(v1(Resources{}).empty());
    CHECK(v2(Resources{}).empty());
}

TEST_CASE("resource properties v1: runc's legacy names") {
    Resources r;
    r.memory = hull::oci::Memory{};
    r.memory->limit = 268435456;
    r.cpu = hull::oci::Cpu{};
    r.cpu->shares = 512;
    r.block_io = hull::oci::BlockIo{};
    r.block_io->weight = 300;
    r.pids = hull::oci::Pids{};
    r.pids->limit = 100;
    CHECK(v1(r) == Strings{"MemoryLimit=268435456", "CPUShares=512", "BlockIOWeight=300", "TasksMax=100"});
}

TEST_CASE("resource properties v2: runc's unified names and conversions") {
    Resources r;
    r.memory = hull::oci::Memory{};
    r.memory->limit = 268435456;
    r.memory->reservation = 134217728;
    r.memory->swap = 536870912;
    r.cpu = hull::oci::Cpu{};
    r.cpu->shares = 1024;
    r.block_io = hull::oci::BlockIo{};
    r.block_io->weight = 1000;
    r.pids = hull::oci::Pids{};
    r.pids->limit = 100;
    CHECK(v2(r) == Strings{"MemoryMax=268435456", "MemoryLow=134217728", "MemorySwapMax=268435456", "CPUWeight=39",
                           "TasksMax=100", "IOWeight=10000"});
}

TEST_CASE("resource properties: -1 is infinity, 0 and other negatives leave the limit alone") {
    Resources r;
    r.memory = hull::oci::Memory{};
    r.memory->limit = -1;
    r.pids = hull::oci::Pids{};
    r.pids->limit = -1;
    CHECK(v1(r) == Strings{"MemoryLimit=infinity", "TasksMax=infinity"});
    // Unlimited memory and no swap given: swap unlimited too.
    CHECK(v2(r) == Strings{"MemoryMax=infinity", "MemorySwapMax=infinity", "TasksMax=infinity"});
    r.memory->limit = 0;
    r.pids->limit = 0;
    CHECK(v1(r).empty());
    r.pids->limit = -2;
    CHECK(v1(r).empty());
}

TEST_CASE("resource properties v2: swap without a memory limit is refused") {
    Resources r;
    r.memory = hull::oci::Memory{};
    r.memory->swap = 1 << 20;
    CHECK(error_of([&] { v2(r); }).find("linux.resources.memory.swap") != std::string::npos);
}

TEST_CASE("systemd_cpu_quota: rounded up to whole percents, and the quota with it") {
    // opencontainers/cgroups TestAddCPUQuota.
    SystemdCpuQuota no_round = systemd_cpu_quota(500000, 1000000);
    CHECK(no_round.per_sec_usec == 500000);
    CHECK(no_round.quota == 500000);
    SystemdCpuQuota fraction = systemd_cpu_quota(123456, 0);  // the default period
    CHECK(fraction.per_sec_usec == 1240000);
    CHECK(fraction.quota == 124000);
    SystemdCpuQuota division = systemd_cpu_quota(500000, 900000);
    CHECK(division.per_sec_usec == 560000);
    CHECK(division.quota == 504000);
    CHECK(systemd_cpu_quota(-1, 100000).per_sec_usec == UINT64_MAX);
}

TEST_CASE("resource properties: CPU quota and period, gated on systemd's version") {
    hull::oci::Cpu cpu;
    cpu.quota = 50000;
    cpu.period = 100000;
    CHECK(v2(with_cpu(cpu)) == Strings{"CPUQuotaPeriodUSec=100000", "CPUQuotaPerSecUSec=500000"});
    CHECK(v1(with_cpu(cpu)) == Strings{"CPUQuotaPeriodUSec=100000", "CPUQuotaPerSecUSec=500000"});
    // systemd < 242 has no CPUQuotaPeriodUSec: cgroupfs writes the period alone.
    CHECK(texts(resource_properties(with_cpu(cpu), SystemdHost{.cgroup_v2 = true, .version = 241})) ==
          Strings{"CPUQuotaPerSecUSec=500000"});
    cpu.quota = -1;  // a period alone lifts the quota
    CHECK(v2(with_cpu(cpu)) == Strings{"CPUQuotaPeriodUSec=100000", "CPUQuotaPerSecUSec=infinity"});
    cpu.period.reset();
    CHECK(v2(with_cpu(cpu)) == Strings{"CPUQuotaPerSecUSec=infinity"});
}

TEST_CASE("resource properties: cpuset as AllowedCPUs / AllowedMemoryNodes from systemd 244") {
    hull::oci::Cpu cpu;
    cpu.cpus = "0-3,32-33";
    cpu.mems = "0";
    CHECK(v2(with_cpu(cpu)) == Strings{"AllowedCPUs=[0f 00 00 00 03]", "AllowedMemoryNodes=[01]"});
    CHECK(v1(with_cpu(cpu)) == Strings{"AllowedCPUs=[0f 00 00 00 03]", "AllowedMemoryNodes=[01]"});
    CHECK(texts(resource_properties(with_cpu(cpu), SystemdHost{.cgroup_v2 = true, .version = 243})).empty());
    cpu.cpus = "3-1";
    CHECK(error_of([&] { v2(with_cpu(cpu)); }).find("linux.resources.cpu.cpus \"3-1\"") != std::string::npos);
}

TEST_CASE("resource properties v2: cpu.idle 1 is CPUWeight=0 and wins over the shares, from systemd 252") {
    hull::oci::Cpu cpu;
    cpu.idle = 1;
    cpu.shares = 1024;
    CHECK(v2(with_cpu(cpu)) == Strings{"CPUWeight=0"});
    CHECK(texts(resource_properties(with_cpu(cpu), SystemdHost{.cgroup_v2 = true, .version = 251})) ==
          Strings{"CPUWeight=39"});
    cpu.idle = 0;
    CHECK(v2(with_cpu(cpu)) == Strings{"CPUWeight=39"});
}

TEST_CASE("cpuset_mask: runc's TestRangeToBits, in systemd's byte order") {
    struct Case {
        const char* in;
        std::vector<std::uint8_t> out;
    };
    const Case cases[] = {
        {"0", {1}},
        {"1", {2}},
        {"0-1", {3}},
        {"0,1", {3}},
        {",0,1,", {3}},
        {"0-3", {0x0f}},
        {"0,1,2-3", {0x0f}},
        {"4-7", {0xf0}},
        {"0-7", {0xff}},
        {"0-15", {0xff, 0xff}},
        {"16", {0, 0, 1}},
        {"0-3,32-33", {0x0f, 0, 0, 0, 3}},
        {"1, 2, 1-2", {6}},
        {"    , 1   , 3  ,  5-7,\t", {0xea}},
        {"128-130,1", {2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7}},
    };
    for (const auto& c : cases) {
        CAPTURE(c.in);
        CHECK(cpuset_mask(c.in, "cpus") == c.out);
    }
    for (const char* bad : {"", "-", "1-", "-3", "54-53", "1 - 2", "0x1", "a", "70000"}) {
        CAPTURE(bad);
        CHECK(error_of([&] { cpuset_mask(bad, "linux.resources.cpu.cpus"); }).find("linux.resources.cpu.cpus") !=
              std::string::npos);
    }
}

TEST_CASE("resource properties v2: unified keys with a systemd property are translated") {
    Resources r;
    r.unified = {{"memory.max", " 1048576 "}, {"memory.high", "max"}, {"memory.low", "1"},  {"memory.min", "2"},
                 {"memory.swap.max", "max"},  {"pids.max", "20"},     {"cpu.weight", "50"}, {"cpu.max", "max 50000"},
                 {"cpuset.cpus", "1"},        {"io.weight", "20"}};
    CHECK(v2(r) == Strings{"MemoryMax=1048576", "MemoryHigh=infinity", "MemoryLow=1", "MemoryMin=2",
                           "MemorySwapMax=infinity", "TasksMax=20", "CPUWeight=50", "CPUQuotaPeriodUSec=50000",
                           "CPUQuotaPerSecUSec=infinity", "AllowedCPUs=[02]"});
    r.unified = {{"cpu.max", " 25000\t"}};
    CHECK(v2(r) == Strings{"CPUQuotaPeriodUSec=100000", "CPUQuotaPerSecUSec=250000"});
}

TEST_CASE("resource properties v2: unified cpu.idle 1 takes CPUWeight from cpu.weight") {
    // opencontainers/cgroups TestUnifiedResToSystemdProps.
    Resources r;
    r.unified = {{"cpu.idle", "1"}, {"cpu.weight", "1000"}};
    CHECK(v2(r) == Strings{"CPUWeight=0"});
    r.unified = {{"cpu.idle", "0"}, {"cpu.weight", "1000"}};
    CHECK(v2(r) == Strings{"CPUWeight=1000"});
    r.unified = {{"cpu.idle", "0"}};
    CHECK(v2(r).empty());
}

TEST_CASE("resource properties: unified keys that are not files, or bad values, are refused naming the key") {
    Resources r;
    for (const char* key : {"../memory.max", "memory", ".max"}) {
        CAPTURE(key);
        r.unified = {{key, "1"}};
        CHECK(error_of([&] { v2(r); }).find("linux.resources.unified") != std::string::npos);
    }
    r.unified = {{"memory.max", "lots"}};
    CHECK(error_of([&] { v2(r); }).find("\"memory.max\"") != std::string::npos);
    r.unified = {{"cpu.max", "1 2 3"}};
    CHECK(error_of([&] { v2(r); }).find("\"cpu.max\"") != std::string::npos);
}

TEST_CASE("resource properties v1: unified needs cgroup v2") {
    Resources r;
    r.unified = {{"memory.max", "1"}};
    CHECK(error_of([&] { v1(r); }).find("needs cgroup v2") != std::string::npos);
}
