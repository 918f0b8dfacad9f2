#include "linux/seccomp/cache.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstring>

#include "linux/seccomp/compile.hpp"
#include "util/directory.hpp"
#include "util/error.hpp"
#include "util/files.hpp"

namespace hull::sys::seccomp {
namespace {

// Bump when compile_program makes a different program from the same
// profile and libseccomp (a change to the ENOSYS stub, say).
constexpr std::string_view kFormat = "hull seccomp cache 2";
constexpr char kMagic[8] = {'H', 'U', 'L', 'L', 'B', 'P', 'F', '1'};
constexpr std::string_view kCacheDir = ".seccomp:cache";

struct Header {
    char magic[8];
    std::uint32_t key_size;
    std::uint32_t instructions;
    std::uint64_t checksum;  // fnv1a64 of key and program
};

// The key is built on every create: plain appends, not a format call per field.
void put_number(std::string& out, std::string_view tag, std::uint64_t n) {
    char buf[24];
    auto end = std::to_chars(buf, buf + sizeof buf, n).ptr;
    out.append(tag).append(buf, end).push_back(';');
}
// Length-prefixed, so no two profiles give one text.
void put(std::string& out, std::string_view tag, std::string_view s) {
    put_number(out, tag, s.size());
    out.append(s).push_back(';');
}
template <typename T>
void put(std::string& out, std::string_view tag, const std::optional<T>& n) {
    if (n) {
        put_number(out, tag, *n);
    } else {
        out.append(tag).append("-;");
    }
}

void put_rule(std::string& out, const oci::SeccompSyscall& rule) {
    put(out, "\nr", rule.action);
    put(out, "e", rule.errno_ret);
    put_number(out, "n", rule.names.size());
    for (const auto& name : rule.names) put(out, "", name);
    put_number(out, "g", rule.args.size());
    for (const auto& arg : rule.args) {
        put_number(out, "i", arg.index);
        put_number(out, "v", arg.value);
        put(out, "w", arg.value_two);
        put(out, "o", arg.op);
    }
}

std::uint64_t checksum(std::string_view key, const void* program, std::size_t size) {
    return fnv1a64(std::string_view(static_cast<const char*>(program), size), fnv1a64(key));
}

std::optional<std::vector<sock_filter>> read_cache(const std::string& path, const std::string& key) {
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
    if (!fd) return std::nullopt;
    // A hit makes the entry the newest: eviction goes by modification time.
    ::futimens(fd.get(), nullptr);
    std::size_t max = sizeof(Header) + key.size() + BPF_MAXINSNS * sizeof(sock_filter);
    try {
        return decode_cache_file(util::read_fd(fd.get(), max, path), key);
    } catch (const Error&) {
        return std::nullopt;  // larger than any file made for this key
    }
}

// A unique temporary name, so creates that compile the same profile at
// once each rename a whole file into place.
void write_cache(const std::string& path, std::string_view bytes) {
    std::string tmp = fmt::format("{}.{}.tmp", path, ::getpid());
    UniqueFd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
    if (!fd) throw_errno(errno, "create {}", tmp);
    try {
        util::write_all(fd.get(), bytes, tmp);
        check(::rename(tmp.c_str(), path.c_str()), "rename {} to {}", tmp, path);
    } catch (...) {
        ::unlink(tmp.c_str());
        throw;
    }
}

void make_dir(const std::string& path) {
    if (::mkdir(path.c_str(), 0700) < 0 && errno != EEXIST) throw_errno(errno, "mkdir {}", path);
}

}  // namespace

// FNV-1a: a few lines, fast on short text, and enough to spread names
// (the key check on a hit, not the hash, keeps profiles apart).
std::uint64_t fnv1a64(std::string_view data, std::uint64_t seed) {
    std::uint64_t h = seed;
    for (unsigned char c : data) {
        h ^= c;
        h *= 0x100000001b3ULL;
    }
    return h;
}

std::string cache_key(const oci::Seccomp& p) {
    std::string out;
    put(out, "", kFormat);
    put(out, "\nlibseccomp", libseccomp_identity());
    put(out, "\nd", p.default_action);
    put(out, "e", p.default_errno_ret);
    const auto& archs = p.architectures ? *p.architectures : std::vector<std::string>{};
    put_number(out, "\na", archs.size());
    for (const auto& a : archs) put(out, "", a);
    put_number(out, "\ns", p.syscalls.size());
    for (const auto& rule : p.syscalls) put_rule(out, rule);
    return out;
}

std::string cache_path(const std::string& state_root, const std::string& key) {
    return fmt::format("{}/{}/{:016x}-{}.bpf", state_root, kCacheDir, fnv1a64(key), key.size());
}

void evict_cache_entries(const std::string& dir, std::size_t keep) {
    UniqueFd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!fd) return;
    std::vector<util::DirEntry> names;
    try {
        names = util::read_directory(fd.get(), dir);
    } catch (const Error&) {
        return;  // eviction is best effort: the cache works without it
    }
    std::vector<std::pair<timespec, std::string>> entries;
    for (const auto& e : names) {
        struct stat st {};
        if (!e.name.ends_with(".bpf") || ::fstatat(fd.get(), e.name.c_str(), &st, AT_SYMLINK_NOFOLLOW) < 0) continue;
        if (S_ISREG(st.st_mode)) entries.emplace_back(st.st_mtim, e.name);
    }
    if (entries.size() <= keep) return;
    auto older = [](const auto& a, const auto& b) {
        return a.first.tv_sec != b.first.tv_sec ? a.first.tv_sec < b.first.tv_sec : a.first.tv_nsec < b.first.tv_nsec;
    };
    std::sort(entries.begin(), entries.end(), older);
    // Another create may be evicting too: a name already gone is fine.
    for (std::size_t i = 0; i < entries.size() - keep; ++i) ::unlinkat(fd.get(), entries[i].second.c_str(), 0);
}

std::string encode_cache_file(const std::string& key, const std::vector<sock_filter>& program) {
    std::size_t program_bytes = program.size() * sizeof(sock_filter);
    Header h{};
    std::memcpy(h.magic, kMagic, sizeof kMagic);
    h.key_size = static_cast<std::uint32_t>(key.size());
    h.instructions = static_cast<std::uint32_t>(program.size());
    h.checksum = checksum(key, program.data(), program_bytes);
    std::string out(reinterpret_cast<const char*>(&h), sizeof h);
    out += key;
    out.append(reinterpret_cast<const char*>(program.data()), program_bytes);
    return out;
}

std::optional<std::vector<sock_filter>> decode_cache_file(std::string_view bytes, const std::string& key) {
    Header h{};
    if (bytes.size() < sizeof h) return std::nullopt;
    std::memcpy(&h, bytes.data(), sizeof h);
    if (std::memcmp(h.magic, kMagic, sizeof kMagic) != 0 || h.key_size != key.size()) return std::nullopt;
    if (h.instructions == 0 || h.instructions > BPF_MAXINSNS) return std::nullopt;
    std::size_t program_bytes = std::size_t{h.instructions} * sizeof(sock_filter);
    if (bytes.size() != sizeof h + key.size() + program_bytes) return std::nullopt;
    if (bytes.substr(sizeof h, key.size()) != key) return std::nullopt;
    const char* program_at = bytes.data() + sizeof h + key.size();
    if (checksum(key, program_at, program_bytes) != h.checksum) return std::nullopt;
    std::vector<sock_filter> program(h.instructions);
    std::memcpy(program.data(), program_at, program_bytes);
    return program;
}

Filter compile_cached(const oci::Seccomp& profile, const std::string& state_root, const util::Logger& log) {
    Filter filter = filter_settings(profile, log);
    std::string key = cache_key(profile);
    std::string path = cache_path(state_root, key);
    if (auto program = read_cache(path, key)) {
        log.debug("seccomp: compiled filter from {}", path);
        filter.program = std::move(*program);
        return filter;
    }
    filter.program = compile_program(profile, log);
    try {
        make_dir(state_root);
        std::string dir = fmt::format("{}/{}", state_root, kCacheDir);
        make_dir(dir);
        write_cache(path, encode_cache_file(key, filter.program));
        log.debug("seccomp: compiled filter saved to {}", path);
        evict_cache_entries(dir, kCacheEntries);
    } catch (const Error& e) {
        log.debug("seccomp: filter not cached: {}", e.what());
    }
    return filter;
}

}  // namespace hull::sys::seccomp
