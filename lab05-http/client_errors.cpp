#include "client_errors.hpp"

#include <asio/error.hpp>

#include "netlabs/cli.hpp"
#include "netlabs/errors.hpp"
#include "netlabs/not_implemented.hpp"

namespace lab05 {

const char* to_string(Failure failure)
{
    switch (failure) {
    case Failure::dns: return "dns";
    case Failure::refused: return "refused";
    case Failure::timeout: return "timeout";
    case Failure::unreachable: return "unreachable";
    case Failure::closed: return "closed";
    case Failure::other: break;
    }
    return "other";
}

bool is_resolver_error(std::error_code code)
{
    return code.category() == asio::error::get_netdb_category() ||
           code.category() == asio::error::get_addrinfo_category();
}

std::error_code portable(std::error_code code)
{
    if (code.category() == asio::error::get_system_category()) return {code.value(), std::system_category()};
    return code;
}

Failure classify(httplib::Error error, std::error_code cause)
{
    // BEGIN SOLUTION lab05-ex3
    const std::error_code os = portable(cause);
    switch (error) {
    case httplib::Error::ConnectionTimeout: return Failure::timeout;
    case httplib::Error::Read:
        return os == std::errc::timed_out ? Failure::timeout : Failure::closed;
    case httplib::Error::Write: return Failure::closed;
    case httplib::Error::Connection:
        if (is_resolver_error(cause)) return Failure::dns;
        if (os == std::errc::connection_refused) return Failure::refused;
        if (os == std::errc::timed_out) return Failure::timeout;
        if (os == std::errc::network_unreachable || os == std::errc::host_unreachable) return Failure::unreachable;
        return Failure::other;
    default: return Failure::other;
    }
    // END SOLUTION
    // STUDENT: (void)error;
    // STUDENT: (void)cause;
    // STUDENT: throw netlabs::NotImplemented("lab05-ex3");
}

std::string describe_failure(Failure failure, const std::string& method, const Url& url, std::error_code cause,
                             std::chrono::milliseconds timeout)
{
    const std::string where = url.server.to_string();
    const std::string request = method + " " + url.to_string();
    switch (failure) {
    case Failure::dns:
        return netlabs::describe_error("resolve", url.server.host, cause,
                                       "is the host name right? a friend's machine has no name: use its public IP");
    case Failure::refused:
        return netlabs::describe_error(
            "connect", where, cause,
            "is the server running, and on that port? bound to 127.0.0.1? is the port forwarded?");
    case Failure::unreachable:
        if (portable(cause) == std::errc::host_unreachable)
            return netlabs::describe_error("connect", where, cause,
                                           "an ICMP 'unreachable' came back: a firewall that rejects, or no machine "
                                           "has that address any more (did DHCP move the server?)");
        return netlabs::describe_error("connect", where, cause);
    case Failure::timeout:
        return request + ": timed out after " + netlabs::seconds_text(timeout) + " s" +
               " (no answer: a firewall dropping packets, a host that is gone, or a stuck server)";
    case Failure::closed:
        return request + ": the server closed the connection without a response";
    case Failure::other: break;
    }
    if (cause.value() != 0) return netlabs::describe_error(method, url.to_string(), cause);
    return request + ": failed";
}

} // namespace lab05
