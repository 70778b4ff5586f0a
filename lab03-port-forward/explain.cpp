// Where one packet goes: the router's decision, written out. See explain.hpp.
#include "explain.hpp"

#include "netlabs/endpoint.hpp"
#include "netlabs/not_implemented.hpp"

namespace netlabs::lab03 {
namespace {

std::string protocol_name(Protocol p) { return p == Protocol::udp ? "udp" : "tcp"; }

// "198.51.100.8:40000" -> address and port, the IPv4 address checked strictly.
void parse_side(std::string_view text, std::string_view full, asio::ip::address_v4& address, std::uint16_t& port)
{
    const Endpoint e = parse_endpoint(text);
    std::error_code ec;
    address = asio::ip::make_address_v4(e.host, ec);
    if (ec)
        throw UsageError("invalid packet '" + std::string(full) + "': '" + e.host + "' is not an IPv4 address");
    if (e.port == 0) throw UsageError("invalid packet '" + std::string(full) + "': port 0 is not on the wire");
    port = e.port;
}

} // namespace

std::string Packet::to_string() const
{
    return source.to_string() + ":" + std::to_string(source_port) + " -> " + destination.to_string() + ":" +
           std::to_string(destination_port) + "/" + protocol_name(protocol);
}

Packet parse_packet(std::string_view text)
{
    const std::string shown(text);
    const auto arrow = text.find(" -> ");
    const auto slash = text.rfind('/');
    if (arrow == std::string_view::npos || slash == std::string_view::npos || slash < arrow)
        throw UsageError("invalid packet '" + shown +
                         "': write SOURCE:PORT -> DESTINATION:PORT/tcp, e.g. '198.51.100.8:40000 -> "
                         "203.0.113.123:5000/tcp'");
    Packet p;
    parse_side(text.substr(0, arrow), text, p.source, p.source_port);
    parse_side(text.substr(arrow + 4, slash - arrow - 4), text, p.destination, p.destination_port);
    const std::string_view protocol = text.substr(slash + 1);
    if (protocol == "tcp" || protocol == "TCP") p.protocol = Protocol::tcp;
    else if (protocol == "udp" || protocol == "UDP") p.protocol = Protocol::udp;
    else throw UsageError("invalid packet '" + shown + "': protocol '" + std::string(protocol) + "' must be tcp or udp");
    return p;
}

Verdict decide(const Table& table, const Router& router, const Packet& packet)
{
    Verdict v;
    v.after = packet;
    // BEGIN SOLUTION lab03-ex3
    const bool from_lan = router.lan.contains(packet.source);
    if (packet.destination == router.wan_ip) {
        // To the public address: dstnat looks at it when it comes in on the
        // WAN, and on the LAN only with reflection.
        if (!from_lan || router.reflection) {
            for (const auto& row : table.rows) {
                if (!covers(row.protocol, packet.protocol) || !row.service.contains(packet.destination_port)) continue;
                v.rule = &row;
                v.after.destination = row.internal_ip;
                v.after.destination_port = row.internal_port(packet.destination_port);
                v.kind = Verdict::Kind::forwarded;
                if (from_lan) {
                    // The reply must come back through the router: the source becomes the router.
                    v.after.source = router.lan_ip;
                    v.kind = Verdict::Kind::reflected;
                }
                return v;
            }
        }
        v.kind = Verdict::Kind::to_router;
    } else if (from_lan) {
        if (router.lan.contains(packet.destination)) {
            v.kind = Verdict::Kind::on_lan;
        } else {
            v.kind = Verdict::Kind::masqueraded;
            v.after.source = router.wan_ip;
        }
    } else {
        v.kind = Verdict::Kind::not_ours;
    }
    // END SOLUTION
    // STUDENT: (void)table;
    // STUDENT: (void)router;
    // STUDENT: throw netlabs::NotImplemented("lab03-ex3");
    return v;
}

std::string explain(const Verdict& v, const Packet& packet, const Router& router)
{
    std::string out = packet.to_string() + "\n";
    const std::string port = std::to_string(packet.destination_port);
    switch (v.kind) {
    case Verdict::Kind::forwarded:
    case Verdict::Kind::reflected:
        out += "  dstnat: line " + std::to_string(v.rule->line) + " (" + v.rule->to_string() + ")\n";
        if (v.kind == Verdict::Kind::reflected)
            out += "  srcnat: reflection, from the LAN: the source becomes the router " + router.lan_ip.to_string() +
                   ", so that the reply comes back through it\n";
        out += "  becomes " + v.after.to_string() + "\n";
        out += "  forward: accepted (ct status dnat); " + v.after.destination.to_string() + " sees the client as " +
               v.after.source.to_string() + "\n";
        break;
    case Verdict::Kind::to_router:
        if (router.lan.contains(packet.source) && !router.reflection)
            out += "  from the LAN to the public address: dstnat runs on the WAN side only (no --reflection)\n";
        out += "  no rule: the router itself answers, " +
               std::string(packet.protocol == Protocol::tcp ? "connection refused" : "ICMP port unreachable") +
               " (nothing listens on its port " + port + ")\n";
        break;
    case Verdict::Kind::masqueraded:
        out += "  srcnat: masquerade, from the LAN to the internet\n";
        out += "  becomes " + v.after.to_string() + "\n";
        break;
    case Verdict::Kind::on_lan:
        out += "  from the LAN to the LAN: the hosts talk directly, the router never sees it\n";
        break;
    case Verdict::Kind::not_ours:
        out += "  not for this router: " + packet.destination.to_string() + " is not its WAN address " +
               router.wan_ip.to_string() + "; the internet routes it elsewhere\n";
        break;
    }
    return out;
}

} // namespace netlabs::lab03
