// AppArmor and SELinux against a fake procfs and sysfs: which attribute
// file gets which bytes, the fallback of older kernels, how the host's LSMs
// are detected, the context= mount option, and the errors. The project's
// own hosts run neither LSM, so this is where the writes are checked.
#include <doctest/doctest.h>

#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "linux/lsm.hpp"
#include "test_support.hpp"
#include "util/files.hpp"
#include "util/unique_fd.hpp"

using hull::UniqueFd;
using hull::sys::LsmHost;
using hull::test::error_of;
using hull::test::TempDir;

namespace {

// A procfs and a sysfs root as the kernel lays them out, every attribute
// file empty; options leave parts out as kernels and hosts do.
struct FakeHost {
    TempDir dir{"/dev/shm"};
    UniqueFd proc, sys;

    explicit FakeHost(bool apparmor_dir = true) {
        mkdirs("proc/thread-self/attr");
        for (const char* name : {"exec", "current", "keycreate"}) put("proc/thread-self/attr/" + std::string(name), "");
        if (apparmor_dir) {
            mkdirs("proc/thread-self/attr/apparmor");
            put("proc/thread-self/attr/apparmor/exec", "");
        }
        mkdirs("sys/module");
        mkdirs("sys/fs");
        proc = UniqueFd(::open((dir / "proc").c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
        sys = UniqueFd(::open((dir / "sys").c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
        REQUIRE(proc.valid());
        REQUIRE(sys.valid());
    }
    void mkdirs(const std::string& rel) { std::filesystem::create_directories(dir / rel); }
    void put(const std::string& rel, const std::string& text) { std::ofstream(dir / rel) << text; }
    std::string get(const std::string& rel) { return hull::util::read_file(dir / rel, 4096); }
    void with_apparmor(const std::string& enabled) {
        mkdirs("sys/module/apparmor/parameters");
        put("sys/module/apparmor/parameters/enabled", enabled);
    }
    void with_selinuxfs() {
        mkdirs("sys/fs/selinux");
        put("sys/fs/selinux/enforce", "1");
    }
};

hull::oci::Process process_with(std::optional<std::string> profile, std::optional<std::string> label) {
    hull::oci::Process p;
    p.apparmor_profile = std::move(profile);
    p.selinux_label = std::move(label);
    return p;
}

constexpr const char* kLabel = "system_u:system_r:container_t:s0:c124,c675";

}  // namespace

TEST_CASE("lsm: AppArmor is enabled when the module parameter reads Y") {
    FakeHost host;
    CHECK_FALSE(hull::sys::apparmor_enabled(host.sys.get()));  // no module directory: not built in
    host.with_apparmor("N\n");
    CHECK_FALSE(hull::sys::apparmor_enabled(host.sys.get()));
    host.with_apparmor("Y\n");
    CHECK(hull::sys::apparmor_enabled(host.sys.get()));
    CHECK(hull::sys::detect_lsm(host.sys.get(), host.proc.get()).apparmor);
    CHECK_FALSE(hull::sys::detect_lsm(host.sys.get(), host.proc.get()).selinux);
}

TEST_CASE("lsm: SELinux is enabled when selinuxfs is mounted and a policy is loaded") {
    FakeHost host;
    CHECK_FALSE(hull::sys::selinux_enabled(host.sys.get(), host.proc.get()));
    host.mkdirs("sys/fs/selinux");  // sysfs's empty mount point: selinuxfs not mounted
    CHECK_FALSE(hull::sys::selinux_enabled(host.sys.get(), host.proc.get()));
    host.with_selinuxfs();
    CHECK(hull::sys::selinux_enabled(host.sys.get(), host.proc.get()));
    host.put("proc/thread-self/attr/current", std::string("kernel\0", 7));  // no policy loaded
    CHECK_FALSE(hull::sys::selinux_enabled(host.sys.get(), host.proc.get()));
    host.put("proc/thread-self/attr/current", std::string("unconfined_u:unconfined_r:unconfined_t:s0\0", 42));
    CHECK(hull::sys::selinux_enabled(host.sys.get(), host.proc.get()));
    LsmHost lsm = hull::sys::detect_lsm(host.sys.get(), host.proc.get());
    CHECK(lsm.selinux);
    CHECK_FALSE(lsm.apparmor);
}

TEST_CASE("lsm: a read-only selinuxfs (a container's view of its host) is not enabled") {
    if (::geteuid() != 0) {
        MESSAGE("skipped: needs root to bind-mount the fake selinuxfs read-only");
        return;
    }
    FakeHost host;
    host.with_selinuxfs();
    std::string fs = host.dir / "sys/fs/selinux";
    int status = hull::test::in_child([&] {
        if (::unshare(CLONE_NEWNS) < 0 || ::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) < 0) return 2;
        if (::mount(fs.c_str(), fs.c_str(), nullptr, MS_BIND, nullptr) < 0) return 3;
        if (::mount(nullptr, fs.c_str(), nullptr, MS_REMOUNT | MS_BIND | MS_RDONLY, nullptr) < 0) return 4;
        // Opened again: the fd taken before unshare walks the old namespace's mounts.
        UniqueFd sys(::open((host.dir / "sys").c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
        if (!sys) return 5;
        return hull::sys::selinux_enabled(sys.get(), host.proc.get()) ? 1 : 0;
    });
    CHECK(status == 0);
}

TEST_CASE("lsm: the AppArmor profile goes to attr/apparmor/exec as \"exec PROFILE\"") {
    FakeHost host;
    hull::sys::apply_exec_labels(process_with("hull-default", std::nullopt), host.proc.get());
    CHECK(host.get("proc/thread-self/attr/apparmor/exec") == "exec hull-default");
    CHECK(host.get("proc/thread-self/attr/exec").empty());
}

TEST_CASE("lsm: without attr/apparmor (older kernels) the profile goes to attr/exec") {
    FakeHost host(false);
    hull::sys::apply_exec_labels(process_with("hull-default", std::nullopt), host.proc.get());
    CHECK(host.get("proc/thread-self/attr/exec") == "exec hull-default");
}

TEST_CASE("lsm: the SELinux label goes to attr/exec as it is") {
    FakeHost host;
    hull::sys::apply_exec_labels(process_with(std::nullopt, kLabel), host.proc.get());
    CHECK(host.get("proc/thread-self/attr/exec") == kLabel);
    CHECK(host.get("proc/thread-self/attr/apparmor/exec").empty());
    CHECK(host.get("proc/thread-self/attr/keycreate").empty());
}

TEST_CASE("lsm: absent and empty values write nothing") {
    FakeHost host;
    hull::sys::apply_exec_labels(process_with(std::nullopt, std::nullopt), host.proc.get());
    hull::sys::apply_exec_labels(process_with("", ""), host.proc.get());
    hull::sys::set_keyring_label(process_with(std::nullopt, ""), host.proc.get());
    for (const char* file : {"exec", "keycreate", "apparmor/exec"}) {
        CHECK(host.get(std::string("proc/thread-self/attr/") + file).empty());
    }
}

TEST_CASE("lsm: the keyring gets the process's SELinux label through attr/keycreate") {
    FakeHost host;
    hull::sys::set_keyring_label(process_with("ignored-profile", kLabel), host.proc.get());
    CHECK(host.get("proc/thread-self/attr/keycreate") == kLabel);
    CHECK(host.get("proc/thread-self/attr/exec").empty());
    // A kernel without keyring labels has no keycreate: nothing to do (go-selinux).
    std::filesystem::remove(host.dir / "proc/thread-self/attr/keycreate");
    CHECK(error_of([&] { hull::sys::set_keyring_label(process_with(std::nullopt, kLabel), host.proc.get()); })
              .empty());
}

TEST_CASE("lsm: a failed write names the field, the value and the file") {
    FakeHost host;
    std::filesystem::remove_all(host.dir / "proc/thread-self");
    std::string msg = error_of(
        [&] { hull::sys::apply_exec_labels(process_with("hull-default", std::nullopt), host.proc.get()); });
    CHECK(msg.find("process.apparmorProfile \"hull-default\"") != std::string::npos);
    CHECK(msg.find("/proc/thread-self/attr/exec") != std::string::npos);
    CHECK(msg.find("no such file or directory") != std::string::npos);
    msg = error_of([&] { hull::sys::apply_exec_labels(process_with(std::nullopt, kLabel), host.proc.get()); });
    CHECK(msg.find("process.selinuxLabel") != std::string::npos);
    CHECK(msg.find("/proc/thread-self/attr/exec") != std::string::npos);
}

TEST_CASE("lsm: a profile or label the host cannot apply is refused, naming the field") {
    hull::oci::Spec spec;
    spec.process = process_with("hull-default", std::nullopt);
    std::string msg = error_of([&] { hull::sys::check_spec_labels(spec, LsmHost{false, true}); });
    CHECK(msg == "process.apparmorProfile \"hull-default\": AppArmor is not enabled on this host");
    CHECK(error_of([&] { hull::sys::check_spec_labels(spec, LsmHost{true, false}); }).empty());

    spec.process = process_with(std::nullopt, kLabel);
    msg = error_of([&] { hull::sys::check_spec_labels(spec, LsmHost{true, false}); });
    CHECK(msg.find("process.selinuxLabel") != std::string::npos);
    CHECK(msg.find("SELinux is not enabled on this host") != std::string::npos);
    CHECK(error_of([&] { hull::sys::check_spec_labels(spec, LsmHost{false, true}); }).empty());

    spec.process = process_with("", "");  // empty is unset, as in runc
    CHECK(error_of([&] { hull::sys::check_spec_labels(spec, LsmHost{}); }).empty());

    spec.linux = hull::oci::Linux{};
    spec.linux->mount_label = "system_u:object_r:container_file_t:s0";
    msg = error_of([&] { hull::sys::check_spec_labels(spec, LsmHost{true, false}); });
    CHECK(msg.find("linux.mountLabel") != std::string::npos);
    CHECK(error_of([&] { hull::sys::check_spec_labels(spec, LsmHost{false, true}); }).empty());
    spec.linux->mount_label = "system_u:object_r:x\",nodev";
    msg = error_of([&] { hull::sys::check_spec_labels(spec, LsmHost{false, true}); });
    CHECK(msg.find("cannot hold quotes") != std::string::npos);
}

TEST_CASE("lsm: the mount label is a quoted context= option after the mount's own data") {
    using hull::sys::format_mount_label;
    CHECK(format_mount_label("mode=755,size=65536k", "system_u:object_r:container_file_t:s0:c1,c2") ==
          "mode=755,size=65536k,context=\"system_u:object_r:container_file_t:s0:c1,c2\"");
    CHECK(format_mount_label("", "system_u:object_r:container_file_t:s0") ==
          "context=\"system_u:object_r:container_file_t:s0\"");
    CHECK(format_mount_label("mode=755", "") == "mode=755");
    CHECK(format_mount_label("", "").empty());
}

TEST_CASE("lsm: the filesystems that take the mount label are runc's") {
    using hull::sys::mount_type_takes_label;
    for (const char* type : {"tmpfs", "devpts", "overlay", "ramfs"}) CHECK(mount_type_takes_label(type));
    for (const char* type : {"proc", "sysfs", "mqueue", "cgroup", "cgroup2", "bind"}) {
        CHECK_FALSE(mount_type_takes_label(type));
    }
}

TEST_CASE("lsm: a mount root is labelled through its security.selinux attribute") {
    TempDir dir{"/dev/shm"};
    UniqueFd fd(::open(dir.path().c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
    REQUIRE(fd.valid());
    hull::sys::label_mount_root(fd.get(), "");
    char buf[256];
    CHECK(::getxattr(dir.path().c_str(), "security.selinux", buf, sizeof buf) < 0);  // no label: untouched
    // tmpfs keeps security.* attributes for root even without an LSM; without
    // the right (EPERM) or with SELinux refusing the context (EINVAL), the
    // error names the field.
    const std::string label = "system_u:object_r:container_file_t:s0";
    std::string msg = error_of([&] { hull::sys::label_mount_root(fd.get(), label); });
    if (msg.empty()) {
        ssize_t n = ::getxattr(dir.path().c_str(), "security.selinux", buf, sizeof buf);
        REQUIRE(n > 0);
        CHECK(std::string(buf, static_cast<std::size_t>(n)).starts_with(label));
    } else {
        MESSAGE("setxattr refused here: " << msg);
        CHECK(msg.find("linux.mountLabel") != std::string::npos);
    }
}
