// The pieces of lab03-portfwd, called directly: one row (lab03-ex1), its
// nftables rules (lab03-ex2), where one packet goes (lab03-ex3).
// Doc: docs/en/lab03.md, "The port-forwarding page" and the two sections after it.
#include <sstream>

#include "explain.hpp"
#include "netlab.hpp"
#include "nftables.hpp"
#include "port_forward.hpp"

using namespace netlabs::lab03;
using lab03::source;

namespace {

const Lan home;  // 192.168.99.0/24

const char* const doc_rows = "docs/en/lab03.md#the-port-forwarding-page";
const char* const doc_rules = "docs/en/lab03.md#from-a-row-to-nftables";
const char* const doc_packet = "docs/en/lab03.md#where-does-a-packet-go";

// The message parse_row refuses `row` with, or "(accepted)".
std::string refusal(const std::string& row)
{
    try {
        parse_row(row, home);
        return "(accepted)";
    } catch (const RowError& e) {
        return e.what();
    }
}

Table table_of(const std::string& text)
{
    std::istringstream in(text);
    return read_table(in, "forwards.txt", home);
}

Packet packet(const std::string& text) { return parse_packet(text); }

// A row built by hand, not by parse_row: the tests of lab03-ex2 and lab03-ex3
// pass without lab03-ex1.
PortForward row(PortRange service, Protocol protocol, const std::string& ip, PortRange internal,
                const std::string& description, int line = 1)
{
    PortForward r;
    r.service = service;
    r.protocol = protocol;
    r.internal_ip = asio::ip::make_address_v4(ip);
    r.internal = internal;
    r.description = description;
    r.line = line;
    return r;
}

Table table_of(std::vector<PortForward> rows)
{
    Table t;
    t.rows = std::move(rows);
    return t;
}

} // namespace

TEST_CASE("row: seed 001's row, column by column", "[lab03][ex1][table]")
{
    INFO("parse_row(\"5000-5000 TCP+UDP 192.168.99.123 5000 비고\") in lab03-port-forward/port_forward.cpp; see "
         << doc_rows);
    const PortForward row = parse_row("5000-5000 TCP+UDP 192.168.99.123 5000 비고", home);
    CHECK(row.service.first == 5000);
    CHECK(row.service.last == 5000);
    CHECK(row.protocol == Protocol::tcp_udp);
    CHECK(row.internal_ip.to_string() == "192.168.99.123");
    CHECK(row.internal.first == 5000);
    CHECK(row.internal.last == 5000);
    CHECK(row.description == "비고");
}

TEST_CASE("row: one port, ranges, a description of several words, no description", "[lab03][ex1][table]")
{
    INFO("see " << doc_rows);
    const PortForward one = parse_row("  8080   tcp  192.168.99.50   80   web server on the NAS  ", home);
    CHECK(one.service.first == 8080);
    CHECK(one.service.last == 8080);
    CHECK(one.protocol == Protocol::tcp);
    CHECK(one.internal.first == 80);
    INFO("the description is the rest of the line, without the spaces around it");
    CHECK(one.description == "web server on the NAS");

    const PortForward range = parse_row("6000-6010 UDP 192.168.99.7 7000-7010", home);
    CHECK(range.protocol == Protocol::udp);
    CHECK(range.internal.first == 7000);
    CHECK(range.internal.last == 7010);
    CHECK(range.description.empty());

    INFO("one internal port for a range of service ports: the range starts there, port by port");
    const PortForward from = parse_row("6000-6002 UDP 192.168.99.7 7000 game", home);
    CHECK(from.internal.first == 7000);
    CHECK(from.internal.last == 7002);
}

TEST_CASE("row: each bad column is refused with a message that names it", "[lab03][ex1][table]")
{
    INFO("parse_row throws RowError naming the bad part; see " << doc_rows);
    CHECK(refusal("5000 TCP 192.168.99.123") ==
          "missing an internal port: a row is SERVICE-PORT PROTOCOL INTERNAL-IP INTERNAL-PORT [DESCRIPTION]");
    CHECK(refusal("5000") ==
          "missing a protocol: a row is SERVICE-PORT PROTOCOL INTERNAL-IP INTERNAL-PORT [DESCRIPTION]");
    CHECK(refusal("70000 TCP 192.168.99.123 5000") == "invalid service port '70000': must be 1-65535");
    CHECK(refusal("0 TCP 192.168.99.123 5000") == "invalid service port '0': must be 1-65535");
    CHECK(refusal("50x0 TCP 192.168.99.123 5000") == "invalid service port '50x0': must be a number 1-65535");
    CHECK(refusal("5000 TCP 192.168.99.123 0") == "invalid internal port '0': must be 1-65535");
    CHECK(refusal("5010-5000 TCP 192.168.99.123 5000") ==
          "invalid service port range '5010-5000': the first port is greater than the last");
    CHECK(refusal("5000 SCTP 192.168.99.123 5000") == "invalid protocol 'SCTP': must be TCP, UDP or TCP+UDP");
    CHECK(refusal("5000 TCP 192.168.99.277 5000") == "invalid IPv4 address '192.168.99.277': 277 is more than 255");
    CHECK(refusal("5000 TCP desktop 5000") ==
          "invalid internal IP 'desktop': must be an IPv4 address on the LAN, e.g. 192.168.99.123");
    CHECK(refusal("5000 TCP 10.0.0.5 5000") ==
          "internal IP 10.0.0.5 is not in the LAN 192.168.99.0/24: the router forwards only to its own LAN");
    CHECK(refusal("5000 TCP 192.168.99.255 5000") ==
          "internal IP 192.168.99.255 is the LAN's network or broadcast address, not a host");
    CHECK(refusal("6000-6010 TCP 192.168.99.7 7000-7004") ==
          "service ports 6000-6010 (11 ports) and internal ports 7000-7004 (5 ports) differ in length");
    CHECK(refusal("6000-6010 TCP 192.168.99.7 65530") == "internal ports 65530-65540 go past 65535");
    CHECK(refusal("5000 TCP 192.168.99.123 5000 say \"hi\"") ==
          "invalid description 'say \"hi\"': no quotes, backslashes or control characters");
}

TEST_CASE("table: comments, blank lines, overlaps and the TCP+UDP warning", "[lab03][ex1][table]")
{
    INFO("read_table adds file:line to parse_row's message; see " << doc_rows);
    const Table t = table_of("# my router\n\n5000-5000 TCP+UDP 192.168.99.123 5000 비고  # the seed's row\n"
                             "6000-6002 UDP 192.168.99.7 6000 game\n");
    REQUIRE(t.rows.size() == 2);
    CHECK(t.rows[0].line == 3);
    CHECK(t.rows[0].description == "비고");
    CHECK(t.rows[1].line == 4);
    REQUIRE(t.warnings.size() == 1);
    CHECK(t.warnings[0] == "forwards.txt:3: warning: TCP+UDP also opens UDP port 5000 to the internet, but Flask / "
                           "lab02-server speaks only TCP: forward only what you serve (write TCP)");

    try {
        table_of("5000 TCP 192.168.99.123 5000 web\n\n4990-5005 TCP 192.168.99.7 4990-5005 other\n");
        FAIL("a second forward of TCP port 5000 was accepted");
    } catch (const netlabs::UsageError& e) {
        CHECK(std::string(e.what()) ==
              "forwards.txt:3: external TCP port 5000 is already forwarded by line 1 (5000-5000 TCP 192.168.99.123 "
              "5000 web): one public port can lead to one place only");
    }
    INFO("the same port for TCP and for UDP is two different forwards");
    CHECK(table_of("5000 TCP 192.168.99.123 5000\n5000 UDP 192.168.99.7 5000\n").rows.size() == 2);
}

TEST_CASE("rules: one row becomes its dstnat rule", "[lab03][ex2][nft]")
{
    INFO("dnat_rules(row) in lab03-port-forward/nftables.cpp; see " << doc_rules);
    const auto tcp = dnat_rules(row({5000, 5000}, Protocol::tcp, "192.168.99.123", {5000, 5000}, "lab02 server"));
    CHECK(tcp == std::vector<std::string>{
                     "meta nfproto ipv4 tcp dport 5000 dnat ip to 192.168.99.123:5000 comment \"lab02 server\""});

    const auto both = dnat_rules(row({5000, 5000}, Protocol::tcp_udp, "192.168.99.123", {5000, 5000}, "비고"));
    CHECK(both == std::vector<std::string>{"meta nfproto ipv4 meta l4proto { tcp, udp } th dport 5000 dnat ip to "
                                           "192.168.99.123:5000 comment \"비고\""});

    INFO("another port inside than outside (seed 003's 8080:2988)");
    const auto moved = dnat_rules(row({8080, 8080}, Protocol::tcp, "192.168.99.50", {2988, 2988}, "app"));
    CHECK(moved == std::vector<std::string>{
                       "meta nfproto ipv4 tcp dport 8080 dnat ip to 192.168.99.50:2988 comment \"app\""});

    INFO("a range kept as it is: the address changes, the ports stay");
    const auto range = dnat_rules(row({6000, 6010}, Protocol::udp, "192.168.99.7", {6000, 6010}, "game"));
    CHECK(range ==
          std::vector<std::string>{"meta nfproto ipv4 udp dport 6000-6010 dnat ip to 192.168.99.7 comment \"game\""});

    INFO("a range moved to other ports: one rule per port");
    const auto shifted = dnat_rules(row({6000, 6001}, Protocol::udp, "192.168.99.7", {7000, 7001}, "game"));
    CHECK(shifted == std::vector<std::string>{
                         "meta nfproto ipv4 udp dport 6000 dnat ip to 192.168.99.7:7000 comment \"game\"",
                         "meta nfproto ipv4 udp dport 6001 dnat ip to 192.168.99.7:7001 comment \"game\""});
}

TEST_CASE("rules: the ruleset has dstnat on the WAN, ct status dnat in forward, masquerade out", "[lab03][ex2][nft]")
{
    INFO("ruleset() puts each row's dnat_rules in dstnat_wan; see " << doc_rules);
    const Table t = table_of({row({5000, 5000}, Protocol::tcp, "192.168.99.123", {5000, 5000}, "lab02 server")});
    const std::string rules = ruleset(t, Router{}, "forwards.txt");
    CHECK_THAT(rules, match::Contains("    chain dstnat_wan {\n        meta nfproto ipv4 tcp dport 5000 dnat ip to "
                                      "192.168.99.123:5000 comment \"lab02 server\"\n    }\n"));
    CHECK_THAT(rules, match::Contains("iifname \"eth1\" jump dstnat_wan\n"));
    CHECK_THAT(rules, match::Contains("iifname \"eth1\" ct status dnat accept"));
    CHECK_THAT(rules, match::Contains("oifname \"eth1\" ip saddr 192.168.99.0/24 masquerade"));
    CHECK_THAT(rules, !match::Contains("dstnat_lan"));

    Router reflecting;
    reflecting.reflection = true;
    const std::string hairpin = ruleset(t, reflecting, "forwards.txt");
    CHECK_THAT(hairpin, match::Contains("        ip saddr 192.168.99.0/24 ip daddr 203.0.113.123 meta nfproto ipv4 tcp "
                                        "dport 5000 dnat ip to 192.168.99.123:5000 comment \"lab02 server "
                                        "(reflection)\"\n"));
    CHECK_THAT(hairpin, match::Contains("oifname \"eth0\" ip saddr 192.168.99.0/24 ip daddr 192.168.99.0/24 ct "
                                        "status dnat masquerade"));
}

TEST_CASE("packet: the friend's packet to a forwarded port goes to the desktop", "[lab03][ex3][explain]")
{
    INFO("decide(table, router, packet) in lab03-port-forward/explain.cpp; see " << doc_packet);
    const Table t = table_of({row({5000, 5000}, Protocol::tcp, "192.168.99.123", {5000, 5000}, "lab02 server", 1),
                              row({8080, 8080}, Protocol::tcp, "192.168.99.50", {2988, 2988}, "app", 2)});
    const Router r;
    const Verdict v = decide(t, r, packet("198.51.100.8:40000 -> 203.0.113.123:5000/tcp"));
    CHECK(v.kind == Verdict::Kind::forwarded);
    REQUIRE(v.rule != nullptr);
    CHECK(v.rule->line == 1);
    INFO("only the destination changes: the desktop sees the friend's own address");
    CHECK(v.after.to_string() == "198.51.100.8:40000 -> 192.168.99.123:5000/tcp");

    const Verdict moved = decide(t, r, packet("198.51.100.8:40001 -> 203.0.113.123:8080/tcp"));
    CHECK(moved.kind == Verdict::Kind::forwarded);
    CHECK(moved.after.to_string() == "198.51.100.8:40001 -> 192.168.99.50:2988/tcp");
}

TEST_CASE("packet: no rule, wrong protocol, not the router's address", "[lab03][ex3][explain]")
{
    INFO("see " << doc_packet);
    const Table t = table_of({row({5000, 5000}, Protocol::tcp, "192.168.99.123", {5000, 5000}, "lab02 server")});
    const Router r;
    const auto to_router = decide(t, r, packet("198.51.100.8:40000 -> 203.0.113.123:5001/tcp"));
    CHECK(to_router.kind == Verdict::Kind::to_router);
    CHECK(to_router.rule == nullptr);
    CHECK(to_router.after.to_string() == "198.51.100.8:40000 -> 203.0.113.123:5001/tcp");

    INFO("a TCP row does not forward UDP");
    CHECK(decide(t, r, packet("198.51.100.8:40000 -> 203.0.113.123:5000/udp")).kind == Verdict::Kind::to_router);
    CHECK(decide(t, r, packet("198.51.100.8:40000 -> 203.0.113.9:5000/tcp")).kind == Verdict::Kind::not_ours);
}

TEST_CASE("packet: from the LAN, out through NAT, and back in by the public address", "[lab03][ex3][explain]")
{
    INFO("see " << doc_packet << " and docs/en/lab03.md#hairpin-the-public-address-from-inside");
    const Table t = table_of({row({5000, 5000}, Protocol::tcp, "192.168.99.123", {5000, 5000}, "lab02 server")});
    Router r;
    const auto out = decide(t, r, packet("192.168.99.123:41000 -> 192.0.2.80:80/tcp"));
    CHECK(out.kind == Verdict::Kind::masqueraded);
    CHECK(out.after.to_string() == "203.0.113.123:41000 -> 192.0.2.80:80/tcp");
    CHECK(decide(t, r, packet("192.168.99.10:41000 -> 192.168.99.123:5000/tcp")).kind == Verdict::Kind::on_lan);

    INFO("the laptop to the public address, without reflection: the router itself answers");
    const auto hairpin = decide(t, r, packet("192.168.99.10:41000 -> 203.0.113.123:5000/tcp"));
    CHECK(hairpin.kind == Verdict::Kind::to_router);

    INFO("with reflection: forwarded, and the source becomes the router's LAN address");
    r.reflection = true;
    const auto reflected = decide(t, r, packet("192.168.99.10:41000 -> 203.0.113.123:5000/tcp"));
    CHECK(reflected.kind == Verdict::Kind::reflected);
    CHECK(reflected.after.to_string() == "192.168.99.1:41000 -> 192.168.99.123:5000/tcp");
}

TEST_CASE("packet: explain says where it goes in words, as lab03-portfwd --explain prints it", "[lab03][ex3][explain]")
{
    INFO("decide(table, router, packet) in lab03-port-forward/explain.cpp, with rows built by hand; see " << doc_packet);
    const Table t = table_of({row({5000, 5000}, Protocol::tcp, "192.168.99.123", {5000, 5000}, "lab02 server", 1)});
    const Router r;
    const Packet hit = packet("198.51.100.8:40000 -> 203.0.113.123:5000/tcp");
    CHECK(explain(decide(t, r, hit), hit, r) ==
          "198.51.100.8:40000 -> 203.0.113.123:5000/tcp\n"
          "  dstnat: line 1 (5000-5000 TCP 192.168.99.123 5000 lab02 server)\n"
          "  becomes 198.51.100.8:40000 -> 192.168.99.123:5000/tcp\n"
          "  forward: accepted (ct status dnat); 192.168.99.123 sees the client as 198.51.100.8\n");
    const Packet miss = packet("198.51.100.8:40000 -> 203.0.113.123:5001/tcp");
    CHECK(explain(decide(t, r, miss), miss, r) ==
          "198.51.100.8:40000 -> 203.0.113.123:5001/tcp\n"
          "  no rule: the router itself answers, connection refused (nothing listens on its port 5001)\n");
}

TEST_CASE("rules: the real nft accepts the ruleset of every kind of row", "[lab03][ex2][nft]")
{
    INFO("ruleset() with rows built by hand, checked by nft -c -f on the router of the virtual network; see "
         << doc_rules);
    lab03::Netlab lab;
    lab03::TempDir dir;
    const Table t = table_of({row({5000, 5000}, Protocol::tcp_udp, "192.168.99.123", {5000, 5000}, "비고", 1),
                              row({8080, 8080}, Protocol::tcp, "192.168.99.50", {2988, 2988}, "seed 003", 2),
                              row({6000, 6010}, Protocol::udp, "192.168.99.7", {6000, 6010}, "game", 3),
                              row({7000, 7002}, Protocol::udp, "192.168.99.7", {17000, 17002}, "moved", 4)});
    for (const bool reflection : {false, true}) {
        Router r;
        r.reflection = reflection;
        const std::string rules = ruleset(t, r, "forwards.txt");
        const std::string file = dir.file("out.nft", rules);
        const auto check = lab.run_on(lab03::router, {"nft", "-c", "-f", file});
        INFO("nft -c -f out.nft (reflection: " << reflection << ")\n" << check.describe() << "\nthe ruleset:\n" << rules);
        CHECK(check.exit_code == 0);
    }
}
