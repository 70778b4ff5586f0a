#include "netlabs/framing.hpp"

namespace netlabs {

LineTooLong::LineTooLong(std::size_t limit, std::string_view context)
    : FramingError((context.empty() ? "" : std::string(context) + ": ") + "line longer than " +
                   std::to_string(limit) + " bytes"),
      limit_(limit)
{
}

std::string encode_line(std::string_view line)
{
    if (line.find('\n') != std::string_view::npos)
        throw FramingError("a line-framed message cannot contain a newline");
    return std::string(line) + '\n';
}

std::optional<std::string> read_line(asio::ip::tcp::socket& socket, std::string& buffer, Timeout timeout,
                                     std::string_view peer, std::size_t max)
{
    return timed_receive(socket, async_read_line(socket, buffer, max), timeout, peer);
}

void write_line(asio::ip::tcp::socket& socket, std::string_view line, Timeout timeout, std::string_view peer)
{
    run_timed(socket, async_write_line(socket, line), timeout, "send to", peer);
}

} // namespace netlabs
