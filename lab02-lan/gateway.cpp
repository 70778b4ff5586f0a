// Reading the default gateway from Linux's /proc/net/route, with no external
// command: the same table `ip route` and `route -n` print.
#include "gateway.hpp"

#include <charconv>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <limits>
#include <sstream>
#include <vector>

namespace netlabs::lab02 {
namespace {

constexpr unsigned route_up = 0x1;       // RTF_UP
constexpr unsigned route_gateway = 0x2;  // RTF_GATEWAY

bool parse_hex(std::string_view text, std::uint32_t& value)
{
    const char* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, value, 16);
    return !text.empty() && ec == std::errc{} && ptr == end;
}

// The kernel printed the address's bytes as one native integer: put the
// integer back in memory and the bytes are the address, in network order.
asio::ip::address_v4 address_of(std::uint32_t value)
{
    asio::ip::address_v4::bytes_type bytes{};
    std::memcpy(bytes.data(), &value, bytes.size());
    return asio::ip::address_v4(bytes);
}

} // namespace

std::optional<Gateway> parse_default_gateway(std::string_view route_table)
{
    std::optional<Gateway> best;
    std::uint32_t best_metric = std::numeric_limits<std::uint32_t>::max();
    std::istringstream lines{std::string(route_table)};
    std::string line;
    std::getline(lines, line);  // the header
    while (std::getline(lines, line)) {
        std::istringstream fields(line);
        std::vector<std::string> f;
        for (std::string field; fields >> field;) f.push_back(field);
        if (f.size() < 8) continue;
        std::uint32_t destination = 0, gateway = 0, flags = 0, metric = 0, mask = 0;
        if (!parse_hex(f[1], destination) || !parse_hex(f[2], gateway) || !parse_hex(f[3], flags) ||
            !parse_hex(f[7], mask))
            continue;
        auto [ptr, ec] = std::from_chars(f[6].data(), f[6].data() + f[6].size(), metric);
        if (ec != std::errc{}) continue;
        const bool is_default = destination == 0 && mask == 0;
        const bool usable = (flags & route_up) != 0 && (flags & route_gateway) != 0;
        if (is_default && usable && metric < best_metric) {
            best = Gateway{address_of(gateway), f[0]};
            best_metric = metric;
        }
    }
    return best;
}

#ifdef __linux__

bool can_read_default_gateway() { return true; }

std::optional<Gateway> default_gateway()
{
    std::ifstream file("/proc/net/route");
    if (!file) return std::nullopt;
    std::ostringstream text;
    text << file.rdbuf();
    return parse_default_gateway(text.str());
}

#else

bool can_read_default_gateway() { return false; }
std::optional<Gateway> default_gateway() { return std::nullopt; }

#endif

std::string_view how_to_find_gateway()
{
#if defined(__APPLE__)
    return "run 'route -n get default' and read the 'gateway:' line";
#elif defined(_WIN32)
    return "run 'ipconfig' and read the 'Default Gateway' line";
#elif defined(__linux__)
    return "run 'ip route' and read the 'default via' line";
#else
    return "run 'netstat -rn' and read the 'default' line";
#endif
}

} // namespace netlabs::lab02
