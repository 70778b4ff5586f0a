// A table as nftables rules (OpenWrt fw4 shape). See nftables.hpp.
#include "nftables.hpp"

#include <sstream>

#include "netlabs/not_implemented.hpp"

namespace netlabs::lab03 {
namespace {

// (maybe_unused: the student edition calls it only once lab03-ex2 is done.)
[[maybe_unused]] std::string comment(const PortForward& row)
{
    std::string text = row.description.empty() ? "line " + std::to_string(row.line) : row.description;
    return " comment \"" + text + "\"";
}

} // namespace

std::vector<std::string> dnat_rules(const PortForward& row)
{
    std::vector<std::string> rules;
    // BEGIN SOLUTION lab03-ex2
    const std::string to = " dnat ip to " + row.internal_ip.to_string();
    if (row.service.first == row.internal.first) {
        // Same ports inside as outside: only the address changes.
        const std::string port = row.service.size() == 1 ? ":" + std::to_string(row.internal.first) : "";
        rules.push_back("meta nfproto ipv4 " + nft_match(row) + to + port + comment(row));
    } else {
        // Moved ports: each external port to its own internal port.
        PortForward one = row;
        for (std::uint32_t port = row.service.first; port <= row.service.last; ++port) {
            one.service = {std::uint16_t(port), std::uint16_t(port)};
            rules.push_back("meta nfproto ipv4 " + nft_match(one) + to + ":" +
                            std::to_string(row.internal_port(std::uint16_t(port))) + comment(row));
        }
    }
    // END SOLUTION
    // STUDENT: (void)row;
    // STUDENT: throw netlabs::NotImplemented("lab03-ex2");
    return rules;
}

std::string nft_match(const PortForward& row)
{
    switch (row.protocol) {
    case Protocol::tcp: return "tcp dport " + row.service.to_string();
    case Protocol::udp: return "udp dport " + row.service.to_string();
    case Protocol::tcp_udp: return "meta l4proto { tcp, udp } th dport " + row.service.to_string();
    }
    return {};
}

std::string ruleset(const Table& table, const Router& router, const std::string& source)
{
    const std::string lan = "iifname \"" + router.lan_if + "\"", wan = "iifname \"" + router.wan_if + "\"";
    std::ostringstream out;
    out << "# lab03-portfwd: the port forwards of " << source << " as nftables (OpenWrt fw4 shape).\n"
        << "# LAN " << router.lan.to_string() << " on " << router.lan_if << ", WAN " << router.wan_ip.to_string()
        << " on " << router.wan_if << ". Load it on the router with: nft -f FILE\n"
        << "table inet fw4\n"
        << "flush table inet fw4\n\n"
        << "table inet fw4 {\n"
        << "    chain forward {\n"
        << "        type filter hook forward priority filter; policy drop;\n"
        << "        ct state established,related accept comment \"!fw4: replies of allowed connections\"\n"
        << "        " << lan << " accept comment \"!fw4: the LAN may go anywhere\"\n"
        << "        " << wan << " ct status dnat accept comment \"!fw4: Accept port forwards\"\n"
        << "    }\n\n"
        << "    chain dstnat {\n"
        << "        type nat hook prerouting priority dstnat; policy accept;\n"
        << "        " << wan << " jump dstnat_wan\n";
    if (router.reflection) out << "        " << lan << " jump dstnat_lan\n";
    out << "    }\n\n"
        << "    chain dstnat_wan {\n";
    for (const auto& row : table.rows)
        for (const auto& rule : dnat_rules(row)) out << "        " << rule << '\n';
    out << "    }\n\n";
    const std::string lan_net = router.lan.to_string();
    if (router.reflection) {
        out << "    chain dstnat_lan {\n";
        for (const auto& row : table.rows)
            for (const auto& rule : dnat_rules(row))  // each ends with its comment's closing quote
                out << "        ip saddr " << lan_net << " ip daddr " << router.wan_ip.to_string() << ' '
                    << rule.substr(0, rule.size() - 1) << " (reflection)\"\n";
        out << "    }\n\n";
    }
    out << "    chain srcnat {\n"
        << "        type nat hook postrouting priority srcnat; policy accept;\n"
        << "        oifname \"" << router.wan_if << "\" ip saddr " << lan_net
        << " masquerade comment \"!fw4: the LAN leaves with the WAN address\"\n";
    if (router.reflection)
        out << "        oifname \"" << router.lan_if << "\" ip saddr " << lan_net << " ip daddr " << lan_net
            << " ct status dnat masquerade comment \"!fw4: reflection: replies come back through the router\"\n";
    out << "    }\n"
        << "}\n";
    return out.str();
}

} // namespace netlabs::lab03
