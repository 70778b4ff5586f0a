// Hostile clients: what a stranger on the internet does to a server, as small
// bounded steps a test can take against any of the course's servers.
//
//   reset_storm(port, 200)          connect and reset (RST) at once, 200 times
//   NeverReads c(port, request)     sends, then never reads: the server's writes block
//   drip(port, byte_every)          one byte at a time until the server hangs up
//   hold_connections(port, 100)     connect and say nothing: the accept queue fills
//   FdLimit limit(pid)              the server's RLIMIT_NOFILE lowered: no new descriptor
//   control_bytes()                 binary and control bytes, for the log to escape
//   no_sanitizer_report(stderr)     ASan/UBSan/LSan said nothing
//
// Safety: every socket here connects to 127.0.0.1 only, every loop has a
// bounded count and every wait a deadline.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "programs.hpp"

namespace netlabs::test::hostile {

// A raw socket of the test's own: plain POSIX, so the test controls every
// option (SO_LINGER, SO_RCVBUF, non-blocking connect) and every byte.
class Fd {
public:
    Fd() = default;
    explicit Fd(int fd) : fd_(fd) {}
    Fd(Fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
    Fd& operator=(Fd&& other) noexcept
    {
        reset();
        fd_ = std::exchange(other.fd_, -1);
        return *this;
    }
    ~Fd() { reset(); }
    int get() const { return fd_; }
    void reset()
    {
        if (fd_ >= 0) ::close(fd_);
        fd_ = -1;
    }

private:
    int fd_ = -1;
};

inline sockaddr_in loopback_address(unsigned short port)
{
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(port);
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return to;
}

// A TCP socket to 127.0.0.1:port. `receive_buffer` > 0 sets SO_RCVBUF before
// connecting, so that a client that never reads fills up quickly. With
// `blocking` false the connect is started and not waited for (a full
// accept queue leaves it pending); the socket stays non-blocking.
inline Fd connect_to(unsigned short port, int receive_buffer = 0, bool blocking = true)
{
    Fd fd(::socket(AF_INET, SOCK_STREAM | (blocking ? 0 : SOCK_NONBLOCK), 0));
    REQUIRE(fd.get() >= 0);
    if (receive_buffer > 0)
        ::setsockopt(fd.get(), SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof receive_buffer);
    const sockaddr_in to = loopback_address(port);
    const int rc = ::connect(fd.get(), reinterpret_cast<const sockaddr*>(&to), sizeof to);
    if (blocking) REQUIRE(rc == 0);
    else REQUIRE((rc == 0 || errno == EINPROGRESS));
    return fd;
}

// Closes with SO_LINGER 0: the kernel sends a reset (RST), not a FIN.
inline void reset(Fd& fd)
{
    const linger hard{1, 0};
    ::setsockopt(fd.get(), SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
    fd.reset();
}

// `count` clients connect and reset at once: many of them while they still
// wait in the server's accept queue.
inline void reset_storm(unsigned short port, int count = 200)
{
    for (int i = 0; i < count; ++i) {
        Fd fd = connect_to(port);
        reset(fd);
    }
}

// Sends all of `bytes` (blocking).
inline void send_all(const Fd& fd, const std::string& bytes)
{
    std::size_t sent = 0;
    while (sent < bytes.size()) {
        const ssize_t n = ::send(fd.get(), bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
        REQUIRE(n > 0);
        sent += static_cast<std::size_t>(n);
    }
}

// How a connection ended, seen from the client: the server closed it (EOF or
// reset), or it was still open at the deadline.
enum class Ended { by_server, still_open };

// Waits until the server closes `fd` (reading and dropping what it sends),
// for at most `timeout`.
inline Ended wait_closed(const Fd& fd, std::chrono::milliseconds timeout = 10s)
{
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    char sink[4096];
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left <= 0ms) return Ended::still_open;
        pollfd p{fd.get(), POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
        const ssize_t n = ::recv(fd.get(), sink, sizeof sink, MSG_DONTWAIT);
        if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) return Ended::by_server;
    }
}

// A client that connects with a tiny receive buffer, sends `request` (which
// should make the server answer a lot) and never reads a byte of the answer:
// the server's writes block once the buffers are full. It sends what fits
// without blocking, and no more (an echo server stops reading once its
// writes block). `sent` says how much went.
struct NeverReads {
    Fd fd;
    std::size_t sent = 0;
    NeverReads(unsigned short port, const std::string& request) : fd(connect_to(port, 1024))
    {
        pollfd p{fd.get(), POLLOUT, 0};
        while (sent < request.size() && ::poll(&p, 1, 200) == 1) {
            const ssize_t n = ::send(fd.get(), request.data() + sent, request.size() - sent, MSG_NOSIGNAL | MSG_DONTWAIT);
            if (n <= 0) break;
            sent += static_cast<std::size_t>(n);
        }
    }
};

// Sends one byte of `bytes` every `byte_every`, cycling, until the server
// hangs up (a send fails, or a reset comes back) or `give_up` passes. A
// per-read timeout longer than `byte_every` never fires; only a deadline for
// the whole client ends it. What the server answers is read and dropped, and
// its end of file (it may stop sending and still read) is not a hang-up.
inline Ended drip(unsigned short port, const std::string& bytes, std::chrono::milliseconds byte_every,
                  std::chrono::milliseconds give_up = 10s)
{
    Fd fd = connect_to(port);
    const auto deadline = std::chrono::steady_clock::now() + give_up;
    char sink[4096];
    for (std::size_t i = 0; std::chrono::steady_clock::now() < deadline; ++i) {
        const char c = bytes[i % bytes.size()];
        if (::send(fd.get(), &c, 1, MSG_NOSIGNAL) != 1) return Ended::by_server;
        // The pause between bytes is the hostile client's behaviour, not a
        // wait for the server.
        std::this_thread::sleep_for(byte_every);
        ssize_t n;
        while ((n = ::recv(fd.get(), sink, sizeof sink, MSG_DONTWAIT)) > 0) {
        }
        if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) return Ended::by_server;
    }
    return Ended::still_open;
}

// `count` connections that say nothing, started without waiting: past the
// server's backlog the rest stay in SYN retries, which is a full accept queue.
inline std::vector<Fd> hold_connections(unsigned short port, int count = 100)
{
    std::vector<Fd> held;
    for (int i = 0; i < count; ++i) held.push_back(connect_to(port, 0, false));
    return held;
}

// Binary and control bytes: NUL, a terminal escape, DEL, bytes over 0x7f.
inline std::string control_bytes()
{
    return std::string("\x01\x02\x1b[31mred\x1b[0m\x7f\xff\xfe", 17) + std::string(1, '\0') + "end";
}

// Matches everything ASan, LSan and UBSan print when they find something.
inline bool has_sanitizer_report(const std::string& err)
{
    return err.find("ERROR: AddressSanitizer") != std::string::npos ||
           err.find("ERROR: LeakSanitizer") != std::string::npos ||
           err.find("runtime error: ") != std::string::npos || err.find("SUMMARY: ") != std::string::npos;
}

// Waits until the server's standard error has a line matching `pattern`.
inline std::string wait_for_err(const Process& server, const std::string& pattern, std::chrono::milliseconds timeout = 10s)
{
    return server.wait_for_err(pattern, timeout);
}

// The lowest file descriptor number `pid` does not use: the one its next
// open() or accept() would get.
inline rlim_t lowest_free_fd(pid_t pid)
{
    std::vector<bool> used;
    for (const auto& entry : std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/fd")) {
        const auto n = std::stoul(entry.path().filename().string());
        if (n >= used.size()) used.resize(n + 1);
        used[n] = true;
    }
    rlim_t free = 0;
    while (free < used.size() && used[free]) ++free;
    return free;
}

// While it lives, `pid` may open no new file descriptor (as if started with
// a low `ulimit -n`): its next accept() fails with EMFILE. The limit is the
// lowest free number; the descriptors it has above it stay usable.
// Set from outside with prlimit(2), so the server starts normally first.
class FdLimit {
public:
    explicit FdLimit(pid_t pid) : pid_(pid)
    {
        REQUIRE(::prlimit(pid_, RLIMIT_NOFILE, nullptr, &old_) == 0);
        const rlimit tight{lowest_free_fd(pid), old_.rlim_max};  // the soft limit only: it can go back up
        REQUIRE(::prlimit(pid_, RLIMIT_NOFILE, &tight, nullptr) == 0);
    }
    ~FdLimit() { lift(); }
    void lift()
    {
        if (lifted_) return;
        lifted_ = true;
        ::prlimit(pid_, RLIMIT_NOFILE, &old_, nullptr);
    }

private:
    pid_t pid_;
    rlimit old_{};
    bool lifted_ = false;
};

} // namespace netlabs::test::hostile
