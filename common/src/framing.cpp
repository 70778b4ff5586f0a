#include "netlabs/framing.hpp"

namespace netlabs {

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
        if (message.find('\n') != std::string_view::npos)
            throw FramingError("a line-framed message cannot contain a newline");
        return std::string(message) + '\n';
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

std::optional<std::string> read_message(asio::ip::tcp::socket& socket, Framing framing,
                                        std::string& buffer, Timeout timeout,
                                        std::string_view peer)
{
    try {
        return run_timed(socket, async_read_message(socket, framing, buffer), timeout,
                         "receive from", peer);
    } catch (const FramingError& e) {
        throw FramingError("receive from " + std::string(peer) + ": " + e.what());
    }
}

void write_message(asio::ip::tcp::socket& socket, Framing framing, std::string_view message,
                   Timeout timeout, std::string_view peer)
{
    run_timed(socket, async_write_message(socket, framing, message), timeout, "send to", peer);
}

} // namespace netlabs
