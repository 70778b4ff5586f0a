// The relay of relay.cpp with splice(2): socket -> pipe -> socket, no copy.
#include "splice_relay.hpp"

#include <system_error>

#include <asio/error.hpp>
#include <asio/redirect_error.hpp>
#include <asio/use_awaitable.hpp>

#ifdef __linux__
#include <cerrno>
#include <fcntl.h>
#include <unistd.h>
#endif

using asio::awaitable;
using asio::use_awaitable;
using asio::ip::tcp;

namespace lab03 {

#ifdef __linux__
namespace {

// What one direction of a connection may hold in its pipe: the bound on
// what --splice buffers (in the kernel) per direction.
constexpr std::size_t splice_pipe_size = 256 * 1024;

// A pipe: splice(2) moves pages between a socket and a pipe, never two sockets.
class Pipe {
public:
    Pipe()
    {
        if (::pipe2(fds_, O_NONBLOCK | O_CLOEXEC) != 0)
            throw std::system_error(errno, std::generic_category(), "pipe2");
        // A pipe holds 64 KiB unless asked for more: four times that means a
        // quarter of the splice calls per byte (measured at 64 connections,
        // relays and load on cores of their own: 1.45x socat's throughput
        // with 64 KiB, 1.69x with 256 KiB). Where the system says no
        // (fs.pipe-max-size, or a user's pipe pages used up), the pipe stays
        // as it was: slower, still correct.
        (void)::fcntl(fds_[1], F_SETPIPE_SZ, static_cast<int>(splice_pipe_size));
    }
    ~Pipe()
    {
        ::close(fds_[0]);
        ::close(fds_[1]);
    }
    Pipe(const Pipe&) = delete;
    Pipe& operator=(const Pipe&) = delete;
    int read_end() const { return fds_[0]; }
    int write_end() const { return fds_[1]; }

private:
    int fds_[2];
};

std::error_code last_error()
{
    return {errno, asio::error::get_system_category()};
}

// splice(): up to `size` bytes from `in` to `out`; -1 with errno on failure.
ssize_t move_bytes(int in, int out, std::size_t size)
{
    return ::splice(in, nullptr, out, nullptr, size, SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
}

// relay.cpp's pump, with the pipe as its buffer.
awaitable<void> pump(tcp::socket& from, const char* from_name, tcp::socket& to, const char* to_name,
                     std::uint64_t& count)
{
    Pipe pipe;
    std::error_code ec;
    for (;;) {
        // The pipe is empty here: EAGAIN means the socket has nothing yet.
        const ssize_t n = move_bytes(from.native_handle(), pipe.write_end(), splice_pipe_size);
        if (n == 0) break;  // EOF
        if (n < 0) {
            if (errno != EAGAIN && errno != EINTR) throw Broken{from_name, last_error()};
            co_await from.async_wait(tcp::socket::wait_read, asio::redirect_error(use_awaitable, ec));
            if (ec == asio::error::operation_aborted) co_return;  // the other pump broke first
            if (ec) throw Broken{from_name, ec};
            continue;
        }
        // Backpressure: the pipe is emptied into `to` before the next read.
        for (auto left = static_cast<std::size_t>(n); left > 0;) {
            const ssize_t m = move_bytes(pipe.read_end(), to.native_handle(), left);
            if (m > 0) {
                left -= static_cast<std::size_t>(m);
                continue;
            }
            if (m < 0 && errno != EAGAIN && errno != EINTR) throw Broken{to_name, last_error()};
            co_await to.async_wait(tcp::socket::wait_write, asio::redirect_error(use_awaitable, ec));
            if (ec == asio::error::operation_aborted) co_return;
            if (ec) throw Broken{to_name, ec};
        }
        count += static_cast<std::uint64_t>(n);
    }
    to.shutdown(tcp::socket::shutdown_send, ec);  // half-close, as in relay.cpp
}

} // namespace

bool splice_supported()
{
    return true;
}

awaitable<RelayResult> splice_relay(tcp::socket& client, tcp::socket& target, std::chrono::milliseconds idle)
{
    // splice() on a socket that would block must return EAGAIN, not wait.
    client.native_non_blocking(true);
    target.native_non_blocking(true);
    co_return co_await relay_with(client, target, pump, idle);
}

#else // not Linux: no splice(2)

bool splice_supported()
{
    return false;
}

awaitable<RelayResult> splice_relay(tcp::socket& client, tcp::socket& target, std::chrono::milliseconds idle)
{
    co_return co_await relay(client, target, idle);
}

#endif

} // namespace lab03
