// Fuzzes the framings a server reads from a stranger's bytes: the shared line
// framing (common/, netlabs/framing.hpp) and lab01's length prefix
// (lab01-loopback/framing.cpp, lab01-ex3). The input's first byte chooses the
// framing and the size limit; the rest arrives on a socket (a socketpair, so
// no network is involved), then the peer closes. Every message read must be
// what the framing says: a line with no '\n', within the limit; a length-
// prefixed message whose encoding is exactly the bytes it came from.
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>

#include "framing.hpp"
#include "fuzz.hpp"
#include "netlabs/errors.hpp"
#include "netlabs/framing.hpp"
#include "netlabs/not_implemented.hpp"

using namespace std::chrono_literals;
namespace lab01 = netlabs::lab01;

namespace {

// `bytes` then EOF, readable from a TCP-typed asio socket.
bool feed(asio::ip::tcp::socket& socket, std::string_view bytes)
{
    int fds[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, fds) != 0) return false;
    std::size_t sent = 0;
    while (sent < bytes.size()) {
        const ssize_t n = ::write(fds[1], bytes.data() + sent, bytes.size() - sent);
        if (n <= 0) break;
        sent += static_cast<std::size_t>(n);
    }
    ::close(fds[1]);
    socket.assign(asio::ip::tcp::v4(), fds[0]);
    return sent == bytes.size();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::uint8_t mode = fuzz::take_byte(data, size);
    if (size > 64 * 1024) return 0;  // what fits in a socketpair's buffer without a reader
    const std::string_view input = fuzz::text(data, size);
    // A small limit most of the time, so that the fuzzer reaches "too long".
    const std::size_t max = (mode >> 2) == 63 ? netlabs::max_message_size : (mode >> 2) * 4 + 1;

    asio::io_context io;
    asio::ip::tcp::socket socket(io);
    if (!feed(socket, input)) return 0;
    std::string buffer;
    std::size_t offset = 0;  // length framing: where the next message starts in `input`
    try {
        for (int i = 0; i < 100000; ++i) {
            std::optional<std::string> message;
            switch (mode & 3) {
            case 0:
                message = netlabs::read_line(socket, buffer, 5s, "fuzz", max);
                if (message) {
                    fuzz::check(message->find('\n') == std::string::npos, "a line has no newline");
                    fuzz::check(message->size() <= max, "a line is within the limit");
                }
                break;
            case 1:
                message = netlabs::timed_receive(socket, lab01::async_read_length_prefixed(socket, max), 5s, "fuzz");
                if (message) {
                    fuzz::check(message->size() <= max, "a message is within the limit");
                    const std::string encoded = lab01::encode_message(lab01::Framing::length, *message);
                    fuzz::check(input.substr(offset, encoded.size()) == encoded,
                                "a message's encoding is the bytes it was read from");
                    offset += encoded.size();
                }
                break;
            default:
                message = lab01::read_message(socket, lab01::Framing::none, buffer, 5s, "fuzz");
                if (message) fuzz::check(message->size() <= lab01::unframed_read_size, "recv(1024)");
                break;
            }
            if (!message) {
                if ((mode & 3) == 1) fuzz::check(offset == input.size(), "a clean close comes after the last message");
                break;
            }
        }
    } catch (const netlabs::FramingError&) {
    } catch (const netlabs::NotImplemented&) {  // the student edition's stub
    }
    return 0;
}
