#include "core/state_store.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>

#include "util/directory.hpp"
#include "util/error.hpp"
#include "util/files.hpp"
#include "util/strings.hpp"

namespace hull::core {

namespace json = oci::json;

namespace {

constexpr std::size_t kMaxStateBytes = 4 * 1024 * 1024;

UniqueFd open_dir(const std::string& path) {
    return UniqueFd(::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW));
}

void lock_dir(int fd, const std::string& path) {
    while (::flock(fd, LOCK_EX) < 0) {
        if (errno != EINTR) throw_errno(errno, "lock {}", path);
    }
}

// Removes every entry of a directory, subdirectories (notify/) included,
// then the directory itself.
void remove_tree_at(int parent_fd, const std::string& name) {
    int fd = ::openat(parent_fd, name.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
    if (fd >= 0) {
        UniqueFd dir_fd(fd);
        for (const auto& entry : util::read_directory(dir_fd.get(), name)) {
            if (::unlinkat(dir_fd.get(), entry.name.c_str(), 0) < 0 && errno == EISDIR) {
                remove_tree_at(dir_fd.get(), entry.name);
            }
        }
    }
    if (::unlinkat(parent_fd, name.c_str(), AT_REMOVEDIR) < 0 && errno != ENOENT) {
        throw_errno(errno, "remove {}", name);
    }
}

}  // namespace

void validate_container_id(std::string_view id) {
    auto allowed = [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '+' ||
               c == '-' || c == '.';
    };
    if (id.empty() || id == "." || id == ".." || id.size() > 1024 || !std::all_of(id.begin(), id.end(), allowed)) {
        throw_error("invalid container id {}: expected letters, digits, '_', '+', '-' and '.' only", util::quote(id));
    }
}

std::string record_to_json(const ContainerRecord& r) {
    json::Writer w;
    w.begin_object();
    w.key("id").string(r.id);
    w.key("bundle").string(r.bundle);
    w.key("rootfs").string(r.rootfs);
    w.key("created").string(r.created);
    w.key("owner").unsigned_integer(r.owner);
    w.key("init_pid").integer(r.init_pid);
    w.key("init_start_time").unsigned_integer(r.init_start_time);
    w.key("setup_done").boolean(r.setup_done);
    w.key("no_new_keyring").boolean(r.no_new_keyring);
    w.key("annotations").begin_object().members(r.annotations).end_object();
    w.key("cgroups").begin_object();
    w.key("driver").string(r.cgroups.driver);
    w.key("paths").begin_object();
    for (const auto& [name, path] : r.cgroups.paths) w.key(name).string(path);
    w.end_object();
    w.key("systemd_unit").string(r.cgroups.systemd_unit);
    if (r.cgroups.created) {
        w.key("created").begin_array();
        for (const auto& dir : *r.cgroups.created) w.string(dir);
        w.end_array();
    }
    w.end_object();
    if (r.hooks) {
        w.key("hooks");
        oci::write_hooks(w, *r.hooks);
    }
    w.end_object();
    return w.str();
}

ContainerRecord record_from_json(std::string_view text, const std::string& name) {
    return with_context(name, [&] {
        json::Value doc = json::parse(text);
        json::ObjectReader obj{json::Reader(doc, "")};
        ContainerRecord r;
        r.id = obj.required("id").string();
        r.bundle = obj.required("bundle").string();
        r.rootfs = obj.required("rootfs").string();
        r.created = obj.required("created").string();
        r.owner = obj.required("owner").integer<std::uint32_t>();
        auto init_pid = obj.required("init_pid");
        r.init_pid = init_pid.integer<pid_t>();
        // 0 while create runs; below it a pid names process groups (kill(2)).
        if (r.init_pid < 0) init_pid.fail_expected("a non-negative integer");
        r.init_start_time = obj.required("init_start_time").u64();
        r.setup_done = obj.required("setup_done").boolean();
        if (auto keyring = obj.optional("no_new_keyring")) r.no_new_keyring = keyring->boolean();
        auto annotations = obj.required("annotations");
        json::ObjectReader{annotations};  // type check
        // Strings only, as config.json's: `state` prints them and hooks read them.
        for (const auto& member : annotations.value().members()) annotations.child(member.value, member.key).string();
        r.annotations = annotations.value().members();
        if (auto cgroups = obj.optional("cgroups")) {
            json::ObjectReader c{*cgroups};
            r.cgroups.driver = c.required("driver").string();
            r.cgroups.systemd_unit = c.required("systemd_unit").string();
            auto paths = c.required("paths");
            json::ObjectReader{paths};  // type check
            for (const auto& member : paths.value().members()) {
                r.cgroups.paths[member.key] = json::Reader(member.value, paths.path() + "." + member.key).string();
            }
            if (auto created = c.optional("created")) r.cgroups.created = created->strings();
        }
        if (auto hooks = obj.optional("hooks")) r.hooks = oci::parse_hooks(*hooks);
        return r;
    });
}

void StateRoot::ensure_exists() const {
    // Engines pass roots whose parents may not exist yet (containerd: /run/containerd/runc/NS).
    util::make_directories(path_, 0700);
}

std::vector<std::string> StateRoot::list_ids() const {
    std::vector<std::string> ids;
    auto entries = with_context("state root", [&] { return util::read_directory(path_); });
    if (!entries) return ids;
    for (const auto& e : *entries) {
        if (e.type == DT_DIR || e.type == DT_UNKNOWN) ids.push_back(e.name);
    }
    std::sort(ids.begin(), ids.end());
    return ids;
}

ContainerDir StateRoot::create(const std::string& id) const {
    validate_container_id(id);
    ensure_exists();
    std::string path = path_ + "/" + id;
    if (::mkdir(path.c_str(), 0700) < 0) {
        if (errno == EEXIST) throw_error("container with id {} already exists", util::quote(id));
        throw_errno(errno, "create container directory {}", path);
    }
    UniqueFd fd = open_dir(path);
    if (!fd) throw_errno(errno, "open {}", path);
    lock_dir(fd.get(), path);
    return ContainerDir(id, path, std::move(fd));
}

std::optional<ContainerDir> StateRoot::try_open(const std::string& id) const {
    validate_container_id(id);
    std::string path = path_ + "/" + id;
    UniqueFd fd = open_dir(path);
    if (!fd) {
        if (errno == ENOENT) return std::nullopt;
        throw_errno(errno, "open container directory {}", path);
    }
    lock_dir(fd.get(), path);
    // Deleted while we waited for the lock: the directory is gone.
    struct stat st {};
    if (::fstat(fd.get(), &st) < 0 || st.st_nlink == 0) return std::nullopt;
    return ContainerDir(id, path, std::move(fd));
}

ContainerDir StateRoot::open(const std::string& id) const {
    auto dir = try_open(id);
    if (!dir) throw_error("container {} does not exist", util::quote(id));
    return std::move(*dir);
}

std::optional<ContainerRecord> ContainerDir::try_load() const {
    int fd = ::openat(dir_fd_.get(), "state.json", O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) {
        if (errno == ENOENT) return std::nullopt;
        throw_errno(errno, "open {}", file("state.json"));
    }
    UniqueFd owned(fd);
    return record_from_json(util::read_fd(fd, kMaxStateBytes, file("state.json")), file("state.json"));
}

ContainerRecord ContainerDir::load() const {
    auto record = try_load();
    if (!record) throw_error("container {} has no state: its create did not finish", util::quote(id_));
    return std::move(*record);
}

void ContainerDir::save(const ContainerRecord& record) const {
    util::write_file_atomic(file("state.json"), record_to_json(record), 0600);
}

bool ContainerDir::has_exec_fifo() const {
    return ::faccessat(dir_fd_.get(), "exec.fifo", F_OK, AT_SYMLINK_NOFOLLOW) == 0;
}

void ContainerDir::remove() {
    auto slash = path_.rfind('/');
    UniqueFd parent = open_dir(path_.substr(0, slash == 0 ? 1 : slash));
    if (!parent) throw_errno(errno, "open {}", path_.substr(0, slash));
    remove_tree_at(parent.get(), id_);
}

}  // namespace hull::core
