#include "url.hpp"

#include "netlabs/errors.hpp"

namespace lab05 {

std::string Url::to_string() const
{
    return "http://" + server.to_string() + target;
}

Url parse_url(std::string_view text)
{
    const std::string shown(text);
    auto bad = [&](const std::string& why) { return netlabs::UsageError("invalid URL '" + shown + "': " + why); };

    constexpr std::string_view scheme = "http://";
    if (text.substr(0, 8) == "https://") throw bad("only http:// is supported (lab05 speaks plain HTTP, no TLS)");
    if (text.substr(0, scheme.size()) != scheme) throw bad("must start with http://, e.g. http://127.0.0.1:5000/hello");
    for (char c : text)
        if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) throw bad("a URL has no spaces or control characters");
    text.remove_prefix(scheme.size());

    const auto slash = text.find_first_of("/?#");
    std::string_view authority = text.substr(0, slash);
    Url url;
    if (slash != std::string_view::npos) {
        std::string_view rest = text.substr(slash);
        rest = rest.substr(0, rest.find('#'));  // the fragment stays in the browser
        // "?q=1" alone is "/?q=1"; a bare "#top" leaves "/".
        url.target = rest.starts_with('/') ? "" : "/";
        url.target += rest;
    }
    if (authority.find('@') != std::string_view::npos) throw bad("user names and passwords in a URL are not supported");
    if (authority.empty()) throw bad("no host after http://");

    std::string_view host = authority, port = "80";
    if (authority.front() == '[') {
        const auto close = authority.find(']');
        if (close == std::string_view::npos) throw bad("'[' without ']' around an IPv6 address");
        host = authority.substr(1, close - 1);
        std::string_view after = authority.substr(close + 1);
        if (!after.empty()) {
            if (after.front() != ':') throw bad("expected ':' and a port after ']'");
            port = after.substr(1);
        }
    } else if (const auto colon = authority.rfind(':'); colon != std::string_view::npos) {
        host = authority.substr(0, colon);
        port = authority.substr(colon + 1);
    }
    try {
        url.server = netlabs::make_endpoint(host, port);
    } catch (const netlabs::UsageError& e) {
        throw bad(e.what());
    }
    if (url.server.port == 0) throw bad("port 0 is not a port a server listens on");
    return url;
}

} // namespace lab05
