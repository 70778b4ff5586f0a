// One-line error messages: "<operation> <endpoint>: <what happened> (<hint>)".
//
// Codes are compared as conditions (code == std::errc::...), so the same
// check matches an errno from the OS and, on Windows, a WSA error. asio's
// codes need one step first: asio 1.22 reports socket errors in its own
// "asio.system" category, which does not map to std::errc (so
// asio::error::connection_refused != std::errc::connection_refused there).
// Its values are the OS's own (errno, or WSA codes on Windows), so `portable`
// moves them into std::system_category, which does. asio's end-of-file is
// its own category and is compared directly.
#include "netlabs/errors.hpp"

#include <cctype>
#include <string>

#include <asio/error.hpp>

namespace netlabs {
namespace {

// The same error in std::system_category when asio reported it.
std::error_code portable(std::error_code code)
{
    if (code.category() == asio::error::get_system_category()) {
        return {code.value(), std::system_category()};
    }
    return code;
}

bool is_timeout(std::error_code code)
{
    return portable(code) == std::errc::timed_out;
}

// The code's own message, made to read as part of a sentence:
// "Connection refused" -> "connection refused".
std::string message_of(std::error_code code)
{
    if (code == asio::error::eof) return "connection closed by the peer";  // not "End of file"
    if (is_timeout(code)) return "timed out";                               // not "Connection timed out"

    std::string message = code.message();
    // Windows ends its messages with ".\r\n"; keep the line a line.
    while (!message.empty() &&
           (message.back() == '.' || std::isspace(static_cast<unsigned char>(message.back())))) {
        message.pop_back();
    }
    for (char& c : message) {
        if (c == '\r' || c == '\n') c = ' ';
    }
    if (message.empty()) {
        return std::string(code.category().name()) + " error " + std::to_string(code.value());
    }
    // Lower-case the first letter of a word, not of an acronym ("IPv6 ...").
    bool acronym = message.size() > 1 && std::isupper(static_cast<unsigned char>(message[1]));
    if (!acronym) message[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(message[0])));
    return message;
}

} // namespace

std::string default_hint(std::error_code code)
{
    if (code == asio::error::eof) return "it hung up first: its own output may say why";

    std::error_code os = portable(code);
    if (os == std::errc::connection_refused) return "is the server running, and on that port?";
    if (os == std::errc::address_in_use) {
        return "is another server still using that port? wait for it to stop, or use SO_REUSEADDR";
    }
    if (os == std::errc::timed_out) {
        return "no answer in time: is the host up, and is a firewall dropping packets?";
    }
    if (os == std::errc::network_unreachable) return "no route to that network from this host";
    if (os == std::errc::host_unreachable) return "the host did not answer on its network";
    // EACCES: bind() to a port below 1024 without the privilege.
    if (os == std::errc::permission_denied) return "ports below 1024 need root or CAP_NET_BIND_SERVICE";
    if (os == std::errc::address_not_available) return "that address is not on any interface of this machine";
    if (os == std::errc::connection_reset) return "the peer closed the connection abruptly";
    return "";
}

std::string describe_error(std::string_view operation, std::string_view endpoint,
                           std::error_code code, std::string_view hint)
{
    std::string where(operation);
    if (!endpoint.empty()) {
        if (!where.empty()) where += ' ';
        where += endpoint;
    }

    std::string text = where.empty() ? message_of(code) : where + ": " + message_of(code);

    std::string shown = hint.empty() ? default_hint(code) : hint == "-" ? "" : std::string(hint);
    if (!shown.empty()) text += " (" + shown + ")";
    return text;
}

void throw_network_error(std::string_view operation, std::string_view endpoint,
                         std::error_code code, std::string_view hint)
{
    throw NetworkError(describe_error(operation, endpoint, code, hint), code);
}

} // namespace netlabs
