#include "framing.hpp"

#include <array>
#include <cstdint>

#include <asio/read.hpp>
#include <asio/redirect_error.hpp>
#include <asio/use_awaitable.hpp>
#include <asio/write.hpp>

#include "netlabs/errors.hpp"
#include "netlabs/not_implemented.hpp"

namespace netlabs::lab01 {

Framing parse_framing(std::string_view text)
{
    if (text == "none") return Framing::none;
    if (text == "line") return Framing::line;
    if (text == "length") return Framing::length;
    throw UsageError("invalid framing '" + std::string(text) + "': must be none, line or length");
}

std::string_view to_string(Framing framing)
{
    switch (framing) {
    case Framing::none: return "none";
    case Framing::line: return "line";
    case Framing::length: return "length";
    }
    return "?";
}

std::string encode_message(Framing framing, std::string_view message)
{
    switch (framing) {
    case Framing::line:
        return encode_line(message);
    case Framing::length: {
        if (message.size() > max_message_size)
            throw FramingError("message of " + std::to_string(message.size()) +
                               " bytes is over the limit of " + std::to_string(max_message_size) +
                               " bytes");
        const auto n = static_cast<std::uint32_t>(message.size());
        std::string bytes{static_cast<char>(n >> 24), static_cast<char>(n >> 16),
                          static_cast<char>(n >> 8), static_cast<char>(n)};
        return bytes.append(message);
    }
    case Framing::none:
        break;
    }
    return std::string(message);
}

asio::awaitable<std::optional<std::string>> async_read_length_prefixed(asio::ip::tcp::socket& socket,
                                                                       std::size_t max)
{
    // BEGIN SOLUTION lab01-ex3
    // asio::async_read (not read_some) loops until the buffer is full: four
    // bytes of header, however many recv() calls they take.
    std::array<unsigned char, 4> header{};
    std::error_code ec;
    const std::size_t got =
        co_await asio::async_read(socket, asio::buffer(header), asio::redirect_error(asio::use_awaitable, ec));
    if (ec == asio::error::eof && got == 0) co_return std::nullopt;  // a clean close between messages
    if (ec == asio::error::eof)
        throw FramingError("connection closed in the middle of a length header (got " +
                           std::to_string(got) + " of 4 bytes)");
    if (ec) throw std::system_error(ec);
    const std::uint32_t size = (std::uint32_t{header[0]} << 24) | (std::uint32_t{header[1]} << 16) |
                               (std::uint32_t{header[2]} << 8) | std::uint32_t{header[3]};
    if (size > max)
        throw FramingError("message of " + std::to_string(size) + " bytes is over the limit of " +
                           std::to_string(max) + " bytes");
    // Then exactly `size` bytes: the message, and not a byte of the next one.
    std::string body(size, '\0');
    const std::size_t read =
        co_await asio::async_read(socket, asio::buffer(body), asio::redirect_error(asio::use_awaitable, ec));
    if (ec == asio::error::eof)
        throw FramingError("connection closed in the middle of a message (got " + std::to_string(read) +
                           " of " + std::to_string(size) + " bytes)");
    if (ec) throw std::system_error(ec);
    co_return body;
    // END SOLUTION
    // STUDENT: (void)socket;
    // STUDENT: (void)max;
    // STUDENT: throw netlabs::NotImplemented("lab01-ex3");
}

namespace {

// recv(1024) once, as the seed does. nullopt: the peer closed first.
asio::awaitable<std::optional<std::string>> async_read_unframed(asio::ip::tcp::socket& socket)
{
    std::array<char, unframed_read_size> chunk{};
    std::error_code ec;
    const std::size_t n =
        co_await socket.async_read_some(asio::buffer(chunk), asio::redirect_error(asio::use_awaitable, ec));
    if (ec == asio::error::eof) co_return std::nullopt;
    if (ec) throw std::system_error(ec);
    co_return std::string(chunk.data(), n);
}

asio::awaitable<void> async_write_all(asio::ip::tcp::socket& socket, std::string bytes)
{
    co_await asio::async_write(socket, asio::buffer(bytes), asio::use_awaitable);
}

} // namespace

std::optional<std::string> read_message(asio::ip::tcp::socket& socket, Framing framing, std::string& buffer,
                                        Timeout timeout, std::string_view peer)
{
    switch (framing) {
    case Framing::line:
        return read_line(socket, buffer, timeout, peer);
    case Framing::length:
        return timed_receive(socket, async_read_length_prefixed(socket), timeout, peer);
    case Framing::none:
        break;
    }
    return timed_receive(socket, async_read_unframed(socket), timeout, peer);
}

void write_message(asio::ip::tcp::socket& socket, Framing framing, std::string_view message, Timeout timeout,
                   std::string_view peer)
{
    run_timed(socket, async_write_all(socket, encode_message(framing, message)), timeout, "send to", peer);
}

} // namespace netlabs::lab01
