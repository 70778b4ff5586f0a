// Parsing LISTEN:TARGET. The fields are split at ':' outside brackets, so
// "[::1]:8080:[::1]:2988" has four; their number says which form it is.
#include "forward_spec.hpp"

#include <vector>

#include <asio/ip/address.hpp>

#include "netlabs/errors.hpp"

namespace lab03 {
namespace {

const std::string examples = "e.g. 8080:2988, 8080:192.168.99.123:5000 or 127.0.0.1:8080:127.0.0.1:2988";

std::vector<std::string_view> split_fields(std::string_view text)
{
    std::vector<std::string_view> fields;
    std::size_t start = 0;
    bool in_brackets = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '[') in_brackets = true;
        else if (text[i] == ']') in_brackets = false;
        else if (text[i] == ':' && !in_brackets) {
            fields.push_back(text.substr(start, i - start));
            start = i + 1;
        }
    }
    fields.push_back(text.substr(start));
    return fields;
}

// "[::1]" -> "::1"; a field without brackets is left as it is.
std::string_view unbracket(std::string_view host)
{
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') return host.substr(1, host.size() - 2);
    return host;
}

netlabs::Endpoint listen_at(std::string_view host, std::string_view port)
{
    netlabs::Endpoint where = netlabs::make_endpoint(unbracket(host), port);
    asio::error_code ec;
    (void)asio::ip::make_address(where.host, ec);
    if (ec)
        throw netlabs::UsageError("invalid listen address '" + where.host +
                                  "': give an IP address to bind, e.g. 0.0.0.0 or 127.0.0.1");
    return where;
}

netlabs::Endpoint target_at(std::string_view host, std::string_view port)
{
    netlabs::Endpoint where = netlabs::make_endpoint(unbracket(host), port);
    if (where.port == 0)
        throw netlabs::UsageError("invalid target port '0': the target must be a real port, 1-65535");
    return where;
}

} // namespace

ForwardSpec parse_forward(std::string_view text)
{
    const auto f = split_fields(text);
    const std::string shown = "invalid forward '" + std::string(text) + "': ";
    switch (f.size()) {
    case 1:
        throw netlabs::UsageError(shown + "missing ':TARGET' (" + examples + ")");
    case 2:  // 8080:2988
        return {listen_at(default_listen_host, f[0]), target_at(default_target_host, f[1])};
    case 3:  // 8080:192.168.99.123:5000, as ssh -L writes it
        return {listen_at(default_listen_host, f[0]), target_at(f[1], f[2])};
    case 4:  // 0.0.0.0:8080:192.168.99.123:5000
        return {listen_at(f[0], f[1]), target_at(f[2], f[3])};
    default:
        throw netlabs::UsageError(shown + "expected LISTEN:TARGET with 2 to 4 fields, got " +
                                  std::to_string(f.size()) + " (" + examples +
                                  "; an IPv6 address goes in brackets)");
    }
}

netlabs::Endpoint parse_listen(std::string_view text)
{
    const auto f = split_fields(text);
    if (f.size() == 1) return listen_at(default_listen_host, f[0]);
    if (f.size() == 2) return listen_at(f[0], f[1]);
    throw netlabs::UsageError("invalid --listen '" + std::string(text) +
                              "': expected PORT or HOST:PORT, e.g. 0.0.0.0:5000 (an IPv6 address goes in brackets)");
}

netlabs::Endpoint parse_target(std::string_view text)
{
    const auto f = split_fields(text);
    if (f.size() == 1) return target_at(default_target_host, f[0]);
    if (f.size() == 2) return target_at(f[0], f[1]);
    throw netlabs::UsageError("invalid --to '" + std::string(text) +
                              "': expected PORT or HOST:PORT, e.g. 192.168.99.123:5000 (an IPv6 address goes in brackets)");
}

} // namespace lab03
