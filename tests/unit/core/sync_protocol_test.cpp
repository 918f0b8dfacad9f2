// The create and exec sync protocols over a real socketpair: order, sides,
// payloads of any size, truncation, errors and a peer that dies.
#include <doctest/doctest.h>

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <functional>
#include <string>

#include "core/sync_protocol.hpp"

using namespace hull::core;

namespace {

std::string error_of(const std::function<void()>& fn) {
    try {
        fn();
    } catch (const hull::Error& e) {
        return e.what();
    }
    return "no error";
}

}  // namespace

TEST_CASE("sync: the create sequence with a console and a seccomp listener runs in order") {
    auto pair_parent = SyncSocket::make_pair(SyncProtocol::create);  // named: clang 14 cannot capture bindings
    SyncSocket& parent = pair_parent.first;
    SyncSocket& child = pair_parent.second;
    parent.send(SyncType::parent_setup_done);
    expect_message(child, SyncType::parent_setup_done);
    child.send(SyncType::mounts_ready);
    expect_message(parent, SyncType::mounts_ready);
    parent.send(SyncType::continue_setup, R"({"id":"x"})");
    CHECK(expect_message(child, SyncType::continue_setup).payload == R"({"id":"x"})");
    int pipe_fds[2];
    REQUIRE(::pipe2(pipe_fds, O_CLOEXEC) == 0);
    hull::UniqueFd r(pipe_fds[0]), w(pipe_fds[1]);
    child.send(SyncType::console_master, "/dev/ptmx", r.get());
    SyncMessage console = expect_message(parent, SyncType::console_master);
    CHECK(console.fd);
    CHECK(::fcntl(console.fd.get(), F_GETFD) == FD_CLOEXEC);
    child.send(SyncType::seccomp_listener, {}, r.get());
    expect_message(parent, SyncType::seccomp_listener);
    parent.send(SyncType::seccomp_listener_done);
    expect_message(child, SyncType::seccomp_listener_done);
    child.send(SyncType::ready);
    expect_message(parent, SyncType::ready);
    CHECK(parent.phase() == SyncPhase::ready);
    CHECK(child.phase() == SyncPhase::ready);
}

TEST_CASE("sync: the exec sequence ends at the child's end of file") {
    auto pair_parent = SyncSocket::make_pair(SyncProtocol::exec);  // named: clang 14 cannot capture bindings
    SyncSocket& parent = pair_parent.first;
    SyncSocket& child = pair_parent.second;
    parent.send(SyncType::parent_setup_done);
    expect_message(child, SyncType::parent_setup_done);
    child.send(SyncType::seccomp_listener, {}, child.fd());
    expect_message(parent, SyncType::seccomp_listener);
    parent.send(SyncType::seccomp_listener_done);
    expect_message(child, SyncType::seccomp_listener_done);
    child.close();
    CHECK_FALSE(parent.receive());
    // mounts_ready and ready belong to create only.
    auto pair_p2 = SyncSocket::make_pair(SyncProtocol::exec);  // named: clang 14 cannot capture bindings
    SyncSocket& p2 = pair_p2.first;
    SyncSocket& c2 = pair_p2.second;
    p2.send(SyncType::parent_setup_done);
    expect_message(c2, SyncType::parent_setup_done);
    CHECK(error_of([&] { c2.send(SyncType::mounts_ready); }) ==
          "sync socket: mounts_ready from the child is out of order after parent_setup_done");
}

TEST_CASE("sync: a message out of order is refused by its sender and by its receiver") {
    auto pair_parent = SyncSocket::make_pair(SyncProtocol::create);  // named: clang 14 cannot capture bindings
    SyncSocket& parent = pair_parent.first;
    SyncSocket& child = pair_parent.second;
    // The sender's own check.
    CHECK(error_of([&] { child.send(SyncType::ready); }) == "sync socket: ready from the child is out of order after start");
    CHECK(error_of([&] { child.send(SyncType::parent_setup_done); }) ==
          "sync socket: parent_setup_done from the child is out of order after start");
    // A peer that skips a step (a raw socket, as a compromised child would write).
    parent.send(SyncType::parent_setup_done);
    expect_message(child, SyncType::parent_setup_done);
    SyncSocket rogue(hull::UniqueFd(::dup(child.fd())), SyncProtocol::create, SyncSide::parent);
    // Sent as if by the parent side so the rogue end's own table lets it through.
    rogue.send(SyncType::parent_setup_done);
    CHECK(error_of([&] { parent.receive(); }) ==
          "sync socket: parent_setup_done from the child is out of order after parent_setup_done");
}

TEST_CASE("sync: expect_message names what it waited for and what came") {
    auto pair_parent = SyncSocket::make_pair(SyncProtocol::create);  // named: clang 14 cannot capture bindings
    SyncSocket& parent = pair_parent.first;
    SyncSocket& child = pair_parent.second;
    parent.send(SyncType::parent_setup_done);
    expect_message(child, SyncType::parent_setup_done);
    child.send(SyncType::mounts_ready);
    CHECK(error_of([&] { expect_message(parent, SyncType::ready); }) == "sync socket: expected ready, got mounts_ready");
}

TEST_CASE("sync: payloads far over one packet arrive whole") {
    for (std::size_t size : {kSyncPacket - 24, kSyncPacket, kSyncPacket + 1, std::size_t{200 * 1024}, std::size_t{3 << 20}}) {
        CAPTURE(size);
        auto pair_parent = SyncSocket::make_pair(SyncProtocol::create);  // named: clang 14 cannot capture bindings
        SyncSocket& parent = pair_parent.first;
        SyncSocket& child = pair_parent.second;
        std::string payload(size, 'a');
        for (std::size_t i = 0; i < size; i += 4096) payload[i] = static_cast<char>('0' + (i / 4096) % 10);
        parent.send(SyncType::parent_setup_done);
        expect_message(child, SyncType::parent_setup_done);
        child.send(SyncType::mounts_ready);
        expect_message(parent, SyncType::mounts_ready);
        // A writer process of its own: the socket holds only ~200 KiB at once.
        pid_t pid = ::fork();
        REQUIRE(pid >= 0);
        if (pid == 0) {
            try {
                parent.send(SyncType::continue_setup, payload);
                ::_exit(0);
            } catch (...) {
                ::_exit(1);
            }
        }
        SyncMessage got = expect_message(child, SyncType::continue_setup);
        int status = 0;
        ::waitpid(pid, &status, 0);
        CHECK((WIFEXITED(status) && WEXITSTATUS(status) == 0));
        CHECK(got.payload.size() == payload.size());
        CHECK(got.payload == payload);
    }
}

TEST_CASE("sync: a packet longer than the receiver's buffer is an error, not a cut message") {
    auto pair_parent = SyncSocket::make_pair(SyncProtocol::create);  // named: clang 14 cannot capture bindings
    SyncSocket& parent = pair_parent.first;
    SyncSocket& child = pair_parent.second;
    std::string huge(kSyncPacket + 100, 'x');
    REQUIRE(::send(parent.fd(), huge.data(), huge.size(), 0) == static_cast<ssize_t>(huge.size()));
    CHECK(error_of([&] { child.receive(); }).starts_with("sync socket: a packet longer than"));
}

TEST_CASE("sync: a header promising more than the limit, or a peer gone mid-message, is an error") {
    struct RawHeader {
        std::uint32_t type;
        std::int32_t err, exit_status;
        std::uint32_t reserved;
        std::uint64_t size;
    };
    {
        auto pair_parent = SyncSocket::make_pair(SyncProtocol::create);  // named: clang 14 cannot capture bindings
        SyncSocket& parent = pair_parent.first;
        SyncSocket& child = pair_parent.second;
        RawHeader h{1, 0, 1, 0, kSyncMaxPayload + 1};
        REQUIRE(::send(parent.fd(), &h, sizeof h, 0) == sizeof h);
        CHECK(error_of([&] { child.receive(); }).starts_with("sync socket: a message says its payload is"));
    }
    {
        auto pair_parent = SyncSocket::make_pair(SyncProtocol::create);  // named: clang 14 cannot capture bindings
        SyncSocket& parent = pair_parent.first;
        SyncSocket& child = pair_parent.second;
        RawHeader h{1, 0, 1, 0, 100};
        REQUIRE(::send(parent.fd(), &h, sizeof h, 0) == sizeof h);
        parent.close();
        CHECK(error_of([&] { child.receive(); }) == "sync socket: the peer closed its end in the middle of a message");
    }
}

TEST_CASE("sync: an error from the child carries its errno, message and exit status, and ends the protocol") {
    auto pair_parent = SyncSocket::make_pair(SyncProtocol::create);  // named: clang 14 cannot capture bindings
    SyncSocket& parent = pair_parent.first;
    SyncSocket& child = pair_parent.second;
    parent.send(SyncType::parent_setup_done);
    expect_message(child, SyncType::parent_setup_done);
    child.send_error(hull::Error(ENOENT, "exec \"/missing\"").set_exit_status(127));
    try {
        expect_message(parent, SyncType::mounts_ready);
        FAIL("no error");
    } catch (const hull::Error& e) {
        CHECK(e.error_number() == ENOENT);
        CHECK(e.exit_status() == 127);
        CHECK(std::string(e.what()).starts_with("exec \"/missing\""));
    }
    CHECK(parent.phase() == SyncPhase::failed);
    CHECK(error_of([&] { child.send(SyncType::mounts_ready); }) ==
          "sync socket: mounts_ready from the child is out of order after failed");
    // The parent never sends an error.
    auto pair_p2 = SyncSocket::make_pair(SyncProtocol::create);  // named: clang 14 cannot capture bindings
    SyncSocket& p2 = pair_p2.first;
    [[maybe_unused]] SyncSocket& c2 = pair_p2.second;
    CHECK(error_of([&] { p2.send_error(hull::Error("x")); }) == "sync socket: error from the parent is out of order after start");
}

TEST_CASE("sync: a child that dies mid-protocol is reported with the message the parent waited for") {
    auto pair_parent = SyncSocket::make_pair(SyncProtocol::create);  // named: clang 14 cannot capture bindings
    SyncSocket& parent = pair_parent.first;
    SyncSocket& child = pair_parent.second;
    pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        parent.close();
        try {
            expect_message(child, SyncType::parent_setup_done);
        } catch (...) {
        }
        ::_exit(9);  // dies before mounts_ready
    }
    child.close();
    parent.send(SyncType::parent_setup_done);
    CHECK(error_of([&] { expect_message(parent, SyncType::mounts_ready); }) ==
          "the process exited before sending mounts_ready");
    int status = 0;
    ::waitpid(pid, &status, 0);
    CHECK(WEXITSTATUS(status) == 9);
}

TEST_CASE("sync: bind sources come before parent_setup_done, from the parent only, in create only") {
    auto pair_parent = SyncSocket::make_pair(SyncProtocol::create);  // named: clang 14 cannot capture bindings
    SyncSocket& parent = pair_parent.first;
    SyncSocket& child = pair_parent.second;
    parent.send(SyncType::bind_source, "0", parent.fd());
    parent.send(SyncType::bind_source, "3", parent.fd());
    parent.send(SyncType::parent_setup_done);
    CHECK(expect_message(child, SyncType::bind_source, SyncType::parent_setup_done).payload == "0");
    CHECK(expect_message(child, SyncType::bind_source, SyncType::parent_setup_done).payload == "3");
    CHECK(expect_message(child, SyncType::bind_source, SyncType::parent_setup_done).type == SyncType::parent_setup_done);
    CHECK(error_of([&] { parent.send(SyncType::bind_source, "1", parent.fd()); }) ==
          "sync socket: bind_source from the parent is out of order after parent_setup_done");
    auto pair_p2 = SyncSocket::make_pair(SyncProtocol::exec);  // named: clang 14 cannot capture bindings
    SyncSocket& p2 = pair_p2.first;
    [[maybe_unused]] SyncSocket& c2 = pair_p2.second;
    CHECK(error_of([&] { p2.send(SyncType::bind_source, "0", p2.fd()); }) ==
          "sync socket: bind_source from the parent is out of order after start");
}
