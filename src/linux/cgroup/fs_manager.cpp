#include "linux/cgroup/fs_manager.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include <fmt/format.h>

#include "linux/cgroup/cgroup_files.hpp"
#include "linux/cgroup/cgroup_path.hpp"
#include "linux/cgroup/device_filter.hpp"
#include "linux/cgroup/device_rules.hpp"
#include "linux/cgroup/resources.hpp"
#include "linux/cgroup/saved_paths.hpp"
#include "util/directory.hpp"
#include "util/error.hpp"
#include "util/files.hpp"
#include "util/strings.hpp"

namespace hull::sys::cgroup {
namespace {

using namespace std::chrono_literals;

std::vector<std::string> words(const std::string& text) {
    std::vector<std::string> out;
    for (auto& w : util::split(text, ' ')) {
        while (!w.empty() && (w.back() == '\n' || w.back() == ' ')) w.pop_back();
        if (!w.empty()) out.push_back(w);
    }
    return out;
}

bool contains(const std::vector<std::string>& list, std::string_view word) {
    return std::find(list.begin(), list.end(), word) != list.end();
}

// A new v1 cpuset cgroup starts with empty cpus and mems, and no task can
// join it until they are set: copy them down from the nearest ancestor
// that has them, as runc does.
void inherit_cpuset(const std::string& dir) {
    std::string parent = dir.substr(0, dir.rfind('/'));
    for (const char* file : {"cpuset.cpus", "cpuset.mems"}) {
        auto own = try_read_cgroup_line(dir, file);
        if (!own || !own->empty()) continue;
        auto from_parent = try_read_cgroup_line(parent, file);
        if (from_parent && from_parent->empty()) inherit_cpuset(parent);
        write_cgroup_file(dir, file, read_cgroup_line(parent, file));
    }
}

// Enables controller in cgroup.subtree_control from the hierarchy's root
// down to dir's parent. The walk up stops where cgroup.subtree_control
// ends: above the mount point.
void enable_v2_controller(const std::string& dir, std::string_view controller) {
    std::vector<std::string> chain;
    for (std::string d = dir.substr(0, dir.rfind('/')); !d.empty() && cgroup_file_exists(d, "cgroup.subtree_control");
         d = d.substr(0, d.rfind('/'))) {
        chain.push_back(d);
    }
    std::reverse(chain.begin(), chain.end());
    for (const auto& d : chain) {
        if (contains(words(read_cgroup_line(d, "cgroup.subtree_control")), controller)) continue;
        write_cgroup_file(d, "cgroup.subtree_control", fmt::format("+{}", controller));
    }
}

std::vector<pid_t> read_procs(const std::string& dir) {
    std::vector<pid_t> out;
    for (auto& line : util::split(read_cgroup_file(dir, "cgroup.procs"), '\n')) {
        if (auto pid = util::parse_i64(line); pid && *pid > 0) out.push_back(static_cast<pid_t>(*pid));
    }
    return out;
}

// Calls fn for dir and every cgroup below it, children before parents.
template <typename Fn>
void walk_depth_first(const std::string& dir, Fn&& fn) {
    if (auto entries = util::read_directory(dir)) {
        for (const auto& e : *entries) {
            if (e.type == DT_DIR) walk_depth_first(dir + "/" + e.name, fn);
        }
    }
    fn(dir);
}

bool in_user_namespace() {
    try {
        auto fields = util::split(util::read_file("/proc/self/uid_map", 4096), ' ');
        fields.erase(std::remove(fields.begin(), fields.end(), ""), fields.end());
        return !(fields.size() >= 3 && fields[0] == "0" && fields[1] == "0" && fields[2].starts_with("4294967295"));
    } catch (const Error&) {
        return false;
    }
}

// Whether a v2 cgroup is frozen, by itself (cgroup.freeze) or through an
// ancestor (cgroup.events reports the state in effect).
bool v2_frozen(const std::string& dir) {
    auto freeze = try_read_cgroup_line(dir, "cgroup.freeze");
    if (freeze && *freeze == "1") return true;
    if (!cgroup_file_exists(dir, "cgroup.events")) return false;
    auto lines = util::split(read_cgroup_file(dir, "cgroup.events"), '\n');
    return std::find(lines.begin(), lines.end(), "frozen 1") != lines.end();
}

// rmdir, waiting a little for exiting tasks to leave (EBUSY).
void remove_cgroup_dir(const std::string& dir) {
    for (int attempt = 0;; ++attempt) {
        if (::rmdir(dir.c_str()) == 0 || errno == ENOENT) return;
        if (errno != EBUSY || attempt == 100) throw_errno(errno, "remove cgroup {}", dir);
        std::this_thread::sleep_for(10ms);
    }
}

// A container's cgroup and the sub-cgroups it made below it.
void remove_cgroup_tree(const std::string& dir) {
    // Usually a leaf: one rmdir.
    if (::rmdir(dir.c_str()) == 0 || errno == ENOENT) return;
    walk_depth_first(dir, remove_cgroup_dir);
}

// The parents create made, deepest first (the leaves are gone already). A
// parent that still holds a cgroup (EBUSY), another container's under the
// same parent, stays for it.
void remove_created_parents(const std::vector<std::string>& created) {
    for (auto it = created.rbegin(); it != created.rend(); ++it) {
        if (::rmdir(it->c_str()) == 0 || errno == ENOENT || errno == EBUSY || errno == ENOTEMPTY) continue;
        throw_errno(errno, "remove cgroup {}", *it);
    }
}

// The values in force that the order of a v1 controller's writes depends on.
InForce in_force(const std::string& dir, const ControllerRequest& request) {
    InForce now;
    if (request.v1 != "memory") return now;
    if (auto limit = try_read_cgroup_line(dir, "memory.limit_in_bytes")) now.memory_limit = util::parse_i64(*limit);
    return now;
}

bool path_exists(const std::string& path) { return ::access(path.c_str(), F_OK) == 0; }

}  // namespace

SavedCgroups FsManager::plan(const Placement& placement, const HostCgroups& host) {
    SavedCgroups saved;
    saved.driver = "cgroupfs";
    saved.created.emplace();
    for (const auto& h : host.hierarchies) {
        std::string inner = path_in_hierarchy(placement.cgroups_path, placement.container_id, h);
        if (inner == "/") throw_error("linux.cgroupsPath: {} names a hierarchy's root", util::quote(placement.cgroups_path));
        saved.paths[h.v2 ? "" : h.name] = h.mount_point + inner;
        auto missing = missing_directories(h.mount_point, inner, path_exists);
        saved.created->insert(saved.created->end(), missing.begin(), missing.end());
    }
    return saved;
}

// One mkdir each, parents first. One that another process made since the
// plan is not ours: it leaves the list, and destroy leaves it.
void FsManager::make_planned_directories() {
    if (!saved_.created) return;
    auto& planned = *saved_.created;
    for (auto it = planned.begin(); it != planned.end();) {
        if (::mkdir(it->c_str(), 0755) == 0) {
            ++it;
        } else if (errno == EEXIST) {
            it = planned.erase(it);
        } else {
            throw_errno(errno, "create cgroup {}", *it);
        }
    }
}

void FsManager::prepare() {
    make_planned_directories();
    for (const auto& [name, dir] : saved_.paths) {
        // Made already when planned; not for the systemd driver's hierarchies.
        util::make_directories(dir, 0755);
        if (name == "cpuset" || util::starts_with(name, "cpuset,") || name.find(",cpuset") != std::string::npos) {
            inherit_cpuset(dir);
        }
    }
    refuse_frozen();
    // clone3 can start the init inside its cgroup on a unified host; with
    // v1 hierarchies beside it, enter() places it everywhere alike.
    const std::string* dir = v2_dir();
    if (dir != nullptr && saved_.paths.size() == 1) v2_fd_ = util::open_fd(*dir, O_PATH | O_DIRECTORY);
}

// A task that joins a frozen cgroup freezes with it: the init would stop
// halfway through its setup, on v1 unkillable until someone thaws the
// cgroup, and create would wait for it forever. runc refuses such a cgroup
// too, in the same words. Checked once the directories exist: a new v1
// cgroup below a frozen one is frozen as well.
void FsManager::refuse_frozen() const {
    if (const std::string* dir = v1_dir("freezer")) {
        auto state = try_read_cgroup_line(*dir, "freezer.state");
        if (state && *state != "THAWED") {
            throw_error("container's cgroup unexpectedly frozen: freezer.state of {} is {}; thaw it first", *dir,
                        *state);
        }
    }
    if (const std::string* dir = v2_dir(); dir != nullptr && v2_frozen(*dir)) {
        throw_error("container's cgroup unexpectedly frozen: {} or an ancestor has cgroup.freeze 1; thaw it first",
                    *dir);
    }
}

void FsManager::enter(pid_t pid) {
    // Not a structured binding: clang 14 cannot capture one in a lambda.
    for (const auto& entry : saved_.paths) {
        const std::string& dir = entry.second;
        with_context(fmt::format("join cgroup {}", dir),
                     [&] { write_cgroup_file(dir, "cgroup.procs", std::to_string(pid)); });
    }
}

const std::string* FsManager::v2_dir() const { return cgroup::v2_dir(saved_.paths); }

const std::string* FsManager::v1_dir(std::string_view controller) const {
    return cgroup::v1_dir(saved_.paths, controller);
}

const std::string* FsManager::v2_dir_with(std::string_view controller) const {
    const std::string* dir = v2_dir();
    if (dir == nullptr) return nullptr;
    if (controller == "*") return dir;  // linux.resources.unified: any file of the v2 cgroup
    std::string parent = dir->substr(0, dir->rfind('/'));
    auto available = try_read_cgroup_line(parent, "cgroup.controllers");
    if (!available || !contains(words(*available), controller)) return nullptr;
    enable_v2_controller(*dir, controller);
    return dir;
}

void FsManager::apply_writes(const std::string& dir, const std::vector<FileWrite>& writes) const {
    std::vector<const FileWrite*> retry;
    for (const auto& w : writes) {
        try {
            write_cgroup_file(dir, w.file, w.value);
        } catch (const Error& e) {
            if (e.error_number() != EINVAL) throw;
            retry.push_back(&w);
        }
    }
    for (const auto* w : retry) write_cgroup_file(dir, w->file, w->value);
}

void FsManager::check_before_update(const oci::Resources& r) const {
    if (!r.memory || !r.memory->check_before_update.value_or(false) || r.memory->limit.value_or(0) <= 0) return;
    std::int64_t limit = *r.memory->limit;
    std::optional<std::string> usage;
    if (const std::string* dir = v1_dir("memory")) usage = try_read_cgroup_line(*dir, "memory.usage_in_bytes");
    else if (const std::string* dir2 = v2_dir()) usage = try_read_cgroup_line(*dir2, "memory.current");
    auto current = usage ? util::parse_i64(*usage) : std::nullopt;
    if (current && *current > limit) {
        throw_error("linux.resources.memory.limit: {} is below the current usage {} (checkBeforeUpdate)", limit,
                    *current);
    }
}

void FsManager::set(const oci::Resources& r) {
    check_before_update(r);
    for (const auto& request : requested_controllers(r)) {
        with_context(request.field, [&] {
            if (const std::string* dir = request.v1.empty() ? nullptr : v1_dir(request.v1)) {
                apply_writes(*dir, v1_writes(request, r, in_force(*dir, request)));
            } else if (const std::string* dir2 = request.v2.empty() ? nullptr : v2_dir_with(request.v2)) {
                apply_writes(*dir2, v2_writes(request, r));
            } else if (request.v2 == "*") {
                throw_error("cgroup v2 key/values need a cgroup v2 hierarchy; this host has none");
            } else {
                throw_error("this host has no {} cgroup controller", util::quote(request.v1.empty() ? request.v2 : request.v1));
            }
        });
    }
}

void FsManager::freeze(bool frozen) {
    if (const std::string* dir = v1_dir("freezer")) {
        const char* want = frozen ? "FROZEN" : "THAWED";
        // Tasks forking while the freeze runs can leave it at FREEZING:
        // write again until the kernel reports the state (runc does too).
        for (int attempt = 0; attempt < 1000; ++attempt) {
            write_cgroup_file(*dir, "freezer.state", want);
            if (read_cgroup_line(*dir, "freezer.state") == want) return;
            std::this_thread::sleep_for(attempt < 10 ? 1ms : 10ms);
        }
        throw_error("cgroup {}: freezer.state did not become {}", *dir, want);
    }
    const std::string* dir = v2_dir();
    if (dir == nullptr || !cgroup_file_exists(*dir, "cgroup.freeze")) {
        throw_error("this host has no cgroup freezer (no v1 freezer hierarchy, no cgroup.freeze)");
    }
    write_cgroup_file(*dir, "cgroup.freeze", frozen ? "1" : "0");
    std::string want = frozen ? "frozen 1" : "frozen 0";
    for (int attempt = 0; attempt < 1000; ++attempt) {
        for (auto& line : util::split(read_cgroup_file(*dir, "cgroup.events"), '\n')) {
            if (line == want) return;
        }
        std::this_thread::sleep_for(attempt < 10 ? 1ms : 10ms);
    }
    throw_error("cgroup {}: cgroup.events did not report {}", *dir, util::quote(want));
}

bool FsManager::frozen() const {
    if (const std::string* dir = v1_dir("freezer")) {
        auto state = try_read_cgroup_line(*dir, "freezer.state");
        return state && *state != "THAWED";
    }
    const std::string* dir = v2_dir();
    if (dir == nullptr) return false;
    auto freeze = try_read_cgroup_line(*dir, "cgroup.freeze");
    return freeze && *freeze == "1";
}

std::vector<pid_t> FsManager::pids() const {
    // The v2 directory holds every process when there is one (hybrid hosts
    // too: enter() joins it); else any v1 hierarchy does.
    const std::string* dir = v2_dir();
    if (dir == nullptr) dir = v1_dir("pids");
    if (dir == nullptr && !saved_.paths.empty()) dir = &saved_.paths.begin()->second;
    std::vector<pid_t> out;
    if (dir == nullptr || ::access(dir->c_str(), F_OK) != 0) return out;
    walk_depth_first(*dir, [&](const std::string& d) {
        auto procs = read_procs(d);
        out.insert(out.end(), procs.begin(), procs.end());
    });
    std::sort(out.begin(), out.end());
    return out;
}

void FsManager::kill_all(int signal) {
    const std::string* dir = v2_dir();
    if (signal == SIGKILL && dir != nullptr && cgroup_file_exists(*dir, "cgroup.kill")) {
        write_cgroup_file(*dir, "cgroup.kill", "1");
        return;
    }
    if (pids().empty()) return;  // the common case on delete: nothing to freeze for
    // Frozen, nothing can fork between listing and signalling.
    bool can_freeze = v1_dir("freezer") != nullptr || (dir != nullptr && cgroup_file_exists(*dir, "cgroup.freeze"));
    bool was_frozen = can_freeze && frozen();
    if (can_freeze && !was_frozen) freeze(true);
    for (pid_t pid : pids()) {
        if (::kill(pid, signal) < 0 && errno != ESRCH) throw_errno(errno, "send signal {} to pid {}", signal, pid);
    }
    if (can_freeze && !was_frozen) freeze(false);
}

Stats FsManager::stats() const { return read_stats(saved_.paths); }

// v1 (and hybrid) hosts enforce devices through the v1 devices hierarchy,
// as runc does; a unified host through an eBPF program on the cgroup.
void FsManager::set_devices(const std::vector<oci::DeviceRule>& rules) {
    // Inside a user namespace the runtime cannot restrict devices, and
    // runc does not try (the namespace's root cannot mknod anyway).
    if (in_user_namespace()) return;
    DevicePolicy target = with_context("linux.resources.devices", [&] { return container_device_policy(rules); });
    if (const std::string* dir = v1_dir("devices")) {
        DevicePolicy current = parse_devices_list(read_cgroup_file(*dir, "devices.list"));
        apply_writes(*dir, v1_device_writes(current, target));
        check_devices_list(target, read_cgroup_file(*dir, "devices.list"));
        return;
    }
    if (saved_.paths.size() == 1 && v2_dir() != nullptr) {
        UniqueFd dir = util::open_fd(*v2_dir(), O_RDONLY | O_DIRECTORY);
        apply_device_filter(dir.get(), target);
    }
}

// Every hierarchy is tried whatever failed before it (a half-gone
// container still cleans up, as netavark's teardown); the failures are
// reported together at the end.
void FsManager::destroy() {
    v2_fd_.reset();
    const auto& created = saved_.created;
    std::vector<std::string> failures;
    auto attempt = [&](const auto& step) {
        try {
            step();
        } catch (const Error& e) {
            failures.push_back(e.what());
        }
    };
    // Not a structured binding: clang 14 cannot capture one in a lambda.
    for (const auto& entry : saved_.paths) {
        const std::string& dir = entry.second;
        // A cgroup that existed before the container is not ours to remove.
        if (created && std::find(created->begin(), created->end(), dir) == created->end()) continue;
        attempt([&] { remove_cgroup_tree(dir); });
    }
    if (created) attempt([&] { remove_created_parents(*created); });
    if (failures.empty()) return;
    std::string all = failures.front();
    for (std::size_t i = 1; i < failures.size(); ++i) all += "; " + failures[i];
    throw_error("{}", all);
}

}  // namespace hull::sys::cgroup
