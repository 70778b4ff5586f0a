// lab04-sniff: decoding frames, the filter language, pcap files, and a
// capture on the virtual network (seed 004).
// Doc: docs/en/lab04.md#watching-packets-seed-004.
#include <csignal>
#include <cstdlib>

#include "filter.hpp"
#include "netlabs/process.hpp"
#include "packet.hpp"
#include "pcap.hpp"
#include "support.hpp"

using namespace lab04::test;

namespace {

const char* const sniff_doc = "see docs/en/lab04.md#watching-packets-seed-004";
// The captures on the virtual network (ex4) filter on "tcp" only: a port in a
// filter goes through parse_port_range (lab04-ex1), and the test's
// connection is the only TCP on its hosts anyway.

using Bytes = std::vector<std::uint8_t>;

void put16(Bytes& b, std::uint16_t v)
{
    b.push_back(static_cast<std::uint8_t>(v >> 8));
    b.push_back(static_cast<std::uint8_t>(v));
}

void put32(Bytes& b, std::uint32_t v)
{
    put16(b, static_cast<std::uint16_t>(v >> 16));
    put16(b, static_cast<std::uint16_t>(v));
}

// An Ethernet frame holding an IPv4 packet with `l4` after its header.
Bytes ipv4_frame(std::uint8_t protocol, const std::string& src, const std::string& dst, const Bytes& l4,
                 std::size_t padding = 0)
{
    Bytes b(12, 0xaa);
    put16(b, 0x0800);
    b.push_back(0x45);
    b.push_back(0);
    put16(b, static_cast<std::uint16_t>(20 + l4.size()));
    put32(b, 0);  // id, flags, fragment offset
    b.push_back(64);
    b.push_back(protocol);
    put16(b, 0);  // checksum (not checked)
    put32(b, lab04::parse_ipv4(src));
    put32(b, lab04::parse_ipv4(dst));
    b.insert(b.end(), l4.begin(), l4.end());
    b.insert(b.end(), padding, 0);
    return b;
}

Bytes tcp(std::uint16_t sport, std::uint16_t dport, std::uint8_t flags, std::size_t payload = 0)
{
    Bytes b;
    put16(b, sport);
    put16(b, dport);
    put32(b, 1);
    put32(b, 0);
    b.push_back(0x50);  // data offset 5 words
    b.push_back(flags);
    put16(b, 64240);
    put32(b, 0);
    b.insert(b.end(), payload, 'x');
    return b;
}

Bytes udp(std::uint16_t sport, std::uint16_t dport, std::size_t payload)
{
    Bytes b;
    put16(b, sport);
    put16(b, dport);
    put16(b, static_cast<std::uint16_t>(8 + payload));
    put16(b, 0);
    b.insert(b.end(), payload, 'u');
    return b;
}

Bytes icmp(std::uint8_t type, std::uint8_t code, std::size_t payload)
{
    Bytes b{type, code, 0, 0, 0, 1, 0, 1};
    b.insert(b.end(), payload, 'i');
    return b;
}

// A decoded TCP frame, written out field by field (so that the filter's
// tests need no decoder).
lab04::Frame tcp_frame(const std::string& src, std::uint16_t sport, const std::string& dst, std::uint16_t dport,
                       std::uint8_t flags)
{
    lab04::Frame f;
    f.ethertype = 0x0800;
    f.length = 54;
    f.ipv4 = true;
    f.protocol = 6;
    f.source = lab04::parse_ipv4(src);
    f.destination = lab04::parse_ipv4(dst);
    f.has_ports = true;
    f.source_port = sport;
    f.destination_port = dport;
    f.tcp_flags = flags;
    return f;
}

const lab04::Frame syn = tcp_frame("192.168.99.10", 44498, "192.168.99.123", 80, 0x02);
const lab04::Frame synack = tcp_frame("192.168.99.123", 80, "192.168.99.10", 44498, 0x12);

bool matches(const std::string& filter, const lab04::Frame& f) { return lab04::Filter::parse(filter).matches(f); }

} // namespace

TEST_CASE("sniff: frames are decoded header by header, addresses dotted", "[lab04][sniff][decode][ex4]")
{
    INFO("lab04-firewall/packet.cpp, decode; " << sniff_doc);
    const auto decoded_syn = lab04::decode(ipv4_frame(6, "192.168.99.10", "192.168.99.123", tcp(44498, 80, 0x02)));
    CHECK(decoded_syn.ipv4);
    CHECK(decoded_syn.ethertype == 0x0800);
    CHECK(decoded_syn.protocol == 6);
    CHECK(decoded_syn.source == lab04::parse_ipv4("192.168.99.10"));
    CHECK(decoded_syn.destination_port == 80);
    CHECK(decoded_syn.tcp_flags == 0x02);
    CHECK(decoded_syn.length == 54);
    CHECK(lab04::describe(decoded_syn) == "IP 192.168.99.10.44498 > 192.168.99.123.80: Flags [S], length 0");
    const auto decoded_synack = lab04::decode(ipv4_frame(6, "192.168.99.123", "192.168.99.10", tcp(80, 44498, 0x12)));
    CHECK(lab04::describe(decoded_synack) == "IP 192.168.99.123.80 > 192.168.99.10.44498: Flags [S.], length 0");
    INFO("the IPv4 header's length is its IHL field, in 4-byte words: options move the TCP header");
    Bytes with_options = ipv4_frame(6, "1.2.3.4", "5.6.7.8", tcp(7, 8, 0x02));
    with_options[14] = 0x46;  // IHL 6: 4 bytes of options after the 20
    with_options.insert(with_options.begin() + 34, {1, 1, 1, 0});
    with_options[17] = static_cast<std::uint8_t>(with_options[17] + 4);  // total length
    CHECK(lab04::describe(lab04::decode(with_options)) == "IP 1.2.3.4.7 > 5.6.7.8.8: Flags [S], length 0");
    INFO("a later fragment carries no transport header");
    Bytes fragment = ipv4_frame(17, "1.2.3.4", "5.6.7.8", Bytes(16, 0));
    fragment[20] = 0x00;
    fragment[21] = 0xb9;  // fragment offset 185 (x 8 bytes)
    const auto frag = lab04::decode(fragment);
    CHECK(frag.fragment);
    CHECK_FALSE(frag.has_ports);
    const auto data = lab04::decode(ipv4_frame(6, "1.2.3.4", "5.6.7.8", tcp(1, 2, 0x18, 15)));
    CHECK(data.payload == 15);
    CHECK(lab04::describe(data) == "IP 1.2.3.4.1 > 5.6.7.8.2: Flags [P.], length 15");
    CHECK(lab04::describe(lab04::decode(ipv4_frame(6, "1.2.3.4", "5.6.7.8", tcp(1, 2, 0x14)))) ==
          "IP 1.2.3.4.1 > 5.6.7.8.2: Flags [R.], length 0");

    INFO("Ethernet pads short frames to 60 bytes: the IPv4 total length says where the packet ends");
    const auto padded = lab04::decode(ipv4_frame(6, "1.2.3.4", "5.6.7.8", tcp(1, 2, 0x10), 6));
    CHECK(padded.payload == 0);
    CHECK_FALSE(padded.truncated);

    CHECK(lab04::describe(lab04::decode(ipv4_frame(17, "192.168.99.10", "255.255.255.255", udp(40000, 5001, 23)))) ==
          "IP 192.168.99.10.40000 > 255.255.255.255.5001: UDP, length 23");
    CHECK(lab04::describe(lab04::decode(ipv4_frame(1, "198.51.100.8", "192.168.99.123", icmp(8, 0, 56)))) ==
          "IP 198.51.100.8 > 192.168.99.123: ICMP echo request, length 64");
    CHECK(lab04::describe(lab04::decode(ipv4_frame(1, "192.168.99.123", "198.51.100.8", icmp(3, 3, 28)))) ==
          "IP 192.168.99.123 > 198.51.100.8: ICMP port unreachable, length 36");

    Bytes arp(12, 0xff);
    put16(arp, 0x0806);
    arp.resize(42);
    CHECK(lab04::describe(lab04::decode(arp)) == "ARP, length 42");

    INFO("a frame shorter than its headers say is marked, never read past its end");
    Bytes cut = ipv4_frame(6, "1.2.3.4", "5.6.7.8", tcp(1, 2, 0x02));
    cut.resize(14 + 20 + 10);
    const auto truncated = lab04::decode(cut);
    CHECK(truncated.truncated);
    CHECK_FALSE(truncated.has_ports);
    CHECK(lab04::describe(lab04::decode(Bytes(10, 0))) == "[truncated frame], length 10");
}

TEST_CASE("sniff: the filter language, as tcpdump reads it", "[lab04][sniff][filter][ex1]")
{
    INFO(sniff_doc);
    INFO("tcp port 80 matches both directions of the connection (seed 004's callback checks only dport)");
    CHECK(matches("tcp port 80", syn));
    CHECK(matches("tcp port 80", synack));
    CHECK(matches("tcp dst port 80", syn));
    CHECK_FALSE(matches("tcp dst port 80", synack));
    CHECK(matches("src port 80", synack));
    CHECK_FALSE(matches("udp port 80", syn));
    CHECK(matches("host 192.168.99.123", syn));
    CHECK(matches("host 192.168.99.123", synack));
    CHECK(matches("src 192.168.99.10", syn));
    CHECK_FALSE(matches("src 192.168.99.10", synack));
    CHECK(matches("dst host 192.168.99.10", synack));
    CHECK(matches("net 192.168.99.0/24", syn));
    CHECK_FALSE(matches("net 10.0.0.0/8", syn));
    CHECK(matches("tcp", syn));
    CHECK(matches("ip", syn));
    CHECK_FALSE(matches("icmp", syn));
    CHECK_FALSE(matches("arp", syn));
    CHECK(matches("not port 22", syn));
    CHECK(matches("icmp or tcp and port 80", syn));
    CHECK_FALSE(matches("(icmp or tcp) and port 22", syn));
    CHECK(matches("udp or (tcp and dst port 80)", syn));
    CHECK(matches("! port 22 && host 192.168.99.10", syn));
    CHECK(matches("port 22 || port 80", syn));
    CHECK(matches("port 1-1024", syn));
    CHECK(matches("", syn));

    const std::vector<std::pair<std::string, std::string>> bad{
        {"tcp prot 80", "unexpected 'prot'"},
        {"prot 80", "unknown word 'prot' (expected tcp, udp, icmp, ip, arp, src, dst, host, net, port, not or '(')"},
        {"port", "'port' needs a value after it"},
        {"port 80 and", "the filter ends after 'and'"},
        {"(tcp", "a '(' is never closed"},
        {"tcp)", "unexpected ')'"},
        {"port 70000", "invalid port '70000': must be a number 1-65535"},
        {"host 192.168.99.277", "invalid IPv4 address '192.168.99.277': 277 is more than 255"},
        {"icmp port 80", "'icmp port': only tcp and udp have ports"},
        {"tcp host 1.2.3.4", "'tcp host': write 'tcp and host 1.2.3.4'"},
        {"net 10.0.0.1/8", "invalid network '10.0.0.1/8': the host bits are not zero (did you mean 10.0.0.0/8?)"},
    };
    for (const auto& [text, message] : bad) {
        std::string got = "(no error)";
        try {
            lab04::Filter::parse(text);
        } catch (const std::invalid_argument& e) {
            got = e.what();
        }
        INFO("filter: " << text << "\nexpected: " << message << "\n     got: " << got);
        CHECK(got == message);
    }
}

TEST_CASE("sniff: pcap files are written and read back, in either byte order", "[lab04][sniff][pcap]")
{
    INFO(sniff_doc);
    TempDir dir;
    const std::string file = dir.path() + "/two.pcap";
    {
        lab04::PcapWriter writer(file);
        writer.write({1700000000, 123456, 0, ipv4_frame(6, "192.168.99.10", "192.168.99.123", tcp(44498, 80, 0x02))});
        writer.write({1700000001, 5, 1000, Bytes(42, 1)});
    }
    lab04::PcapReader reader(file);
    const auto first = reader.next();
    REQUIRE(first);
    CHECK(first->seconds == 1700000000);
    CHECK(first->microseconds == 123456);
    CHECK(first->data == ipv4_frame(6, "192.168.99.10", "192.168.99.123", tcp(44498, 80, 0x02)));
    const auto second = reader.next();
    REQUIRE(second);
    CHECK(second->data.size() == 42);
    CHECK(second->wire_length == 1000);
    CHECK_FALSE(reader.next());

    INFO("a big-endian file (written on another machine) reads the same");
    Bytes big;
    put32(big, 0xa1b2c3d4);
    put16(big, 2);
    put16(big, 4);
    put32(big, 0);
    put32(big, 0);
    put32(big, 65535);
    put32(big, 1);
    put32(big, 7);
    put32(big, 9);
    put32(big, 14);
    put32(big, 14);
    big.insert(big.end(), 14, 0);
    const std::string be = dir.write("be.pcap", std::string(big.begin(), big.end()));
    lab04::PcapReader be_reader(be);
    const auto p = be_reader.next();
    REQUIRE(p);
    CHECK(p->seconds == 7);
    CHECK(p->microseconds == 9);
    CHECK(p->data.size() == 14);

    const std::string junk = dir.write("junk.pcap", std::string(24, 'j'));
    CHECK_THROWS_WITH(lab04::PcapReader(junk),
                      junk + ": not a pcap file (magic 0x6a6a6a6a; pcapng is not read here)");
}

TEST_CASE("lab04-sniff: --help and bad usage", "[lab04][sniff][usage]")
{
    check_help({"lab04-sniff"});
    TempDir dir;
    check_usage_errors({
        {{"lab04-sniff", "-r", "x.pcap", "tcp", "prot", "80"}, "lab04-sniff: invalid filter 'tcp prot 80': unexpected 'prot'"},
        {{"lab04-sniff", "-r", "x.pcap", "-w", "y.pcap"},
         "lab04-sniff: -r and -w together: read a file or capture into one, not both"},
        {{"lab04-sniff", "-i", "nosuch0"}, "lab04-sniff: no interface 'nosuch0' on this host (ip -br link lists them)"},
        {{"lab04-sniff", "-r", "x.pcap", "--wait", "soon"},
         "lab04-sniff: invalid --wait 'soon': must be a number of seconds from 0 to 86400, e.g. 2.5"},
    });
    const Result missing = run({bin("lab04-sniff"), "-r", dir.path() + "/none.pcap"});
    CHECK(missing.exit_code == 1);
    CHECK(missing.err == "lab04-sniff: cannot read " + dir.path() + "/none.pcap: No such file or directory\n");
}

TEST_CASE("net: lab04-sniff sees both directions of a connection, and reads back the pcap it wrote",
          "[lab04][net][sniff][ex4]")
{
    INFO(sniff_doc);
    Netlab lab;
    TempDir dir;
    auto server = lab.echo_server("desktop", 80);
    auto sniff = lab.start_on("desktop", {bin("lab04-sniff"), "-i", "eth0", "-c", "3", "-t", "tcp"});
    sniff->wait_for_line("^listening on eth0, link-type EN10MB \\(Ethernet\\)");
    const std::string pcap = dir.path() + "/http.pcap";
    auto writer = lab.start_on("desktop", {bin("lab04-sniff"), "-i", "eth0", "-c", "3", "-w", pcap, "tcp"});
    writer->wait_for_line("^listening on eth0");

    const Result client = lab.client("laptop", "192.168.99.123", 80, "GET / HTTP/1.0");
    INFO(client.describe());
    CHECK(client.exit_code == 0);

    sniff->wait_for_line("^IP 192\\.168\\.99\\.10\\.\\d+ > 192\\.168\\.99\\.123\\.80: Flags \\[S\\], length 0$");
    sniff->wait_for_line("^IP 192\\.168\\.99\\.123\\.80 > 192\\.168\\.99\\.10\\.\\d+: Flags \\[S\\.\\], length 0$");
    sniff->wait_for_line("^IP 192\\.168\\.99\\.10\\.\\d+ > 192\\.168\\.99\\.123\\.80: Flags \\[\\.\\], length 0$");
    const Result ended = sniff->wait();
    CHECK(ended.exit_code == 0);
    CHECK(ended.err == "3 packets captured\n");

    const Result read = run({bin("lab04-sniff"), "-r", pcap, "-c", "3", "--wait", "10", "-t"});
    INFO(read.describe());
    CHECK(read.exit_code == 0);
    CHECK_THAT(read.out, match::Matches("IP 192\\.168\\.99\\.10\\.\\d+ > 192\\.168\\.99\\.123\\.80: Flags \\[S\\], length 0\n"
                                        "IP 192\\.168\\.99\\.123\\.80 > 192\\.168\\.99\\.10\\.\\d+: Flags \\[S\\.\\], length 0\n"
                                        "IP 192\\.168\\.99\\.10\\.\\d+ > 192\\.168\\.99\\.123\\.80: Flags \\[\\.\\], length 0\n"));
    const Result seed = run({bin("lab04-sniff"), "-r", pcap, "--seed004"});
    INFO("seed 004's callback prints only packets TO port 80: the SYN and the ACK, not the SYN-ACK\n" << seed.describe());
    CHECK(seed.out == "HTTP packet found!\nSource IP: 192.168.99.10\nDestination IP: 192.168.99.123\n"
                      "HTTP packet found!\nSource IP: 192.168.99.10\nDestination IP: 192.168.99.123\n");
}

TEST_CASE("net: tcpdump reads the pcap lab04-sniff writes", "[lab04][net][sniff][pcap][ex4]")
{
    INFO(sniff_doc);
    const auto tcpdump = tool("tcpdump");
    if (!tcpdump) SKIP("tcpdump is not installed (./netlabs setup installs it): lab04-sniff's pcap was not cross-checked");
    Netlab lab;
    TempDir dir;
    auto server = lab.echo_server("desktop", 80);
    const std::string pcap = dir.path() + "/http.pcap";
    auto writer = lab.start_on("desktop", {bin("lab04-sniff"), "-i", "eth0", "-c", "3", "-w", pcap, "tcp"});
    writer->wait_for_line("^listening on eth0");
    CHECK(lab.client("laptop", "192.168.99.123", 80, "GET / HTTP/1.0").exit_code == 0);
    CHECK(writer->wait().exit_code == 0);
    const Result theirs = run({*tcpdump, "-n", "-t", "-r", pcap});
    INFO("tcpdump -n -t -r " << pcap << "\n" << theirs.describe());
    CHECK(theirs.exit_code == 0);
    CHECK_THAT(theirs.out, match::Matches("IP 192\\.168\\.99\\.10\\.\\d+ > 192\\.168\\.99\\.123\\.80: Flags \\[S\\], .*\n"
                                          "IP 192\\.168\\.99\\.123\\.80 > 192\\.168\\.99\\.10\\.\\d+: Flags \\[S\\.\\], .*\n"
                                          "IP 192\\.168\\.99\\.10\\.\\d+ > 192\\.168\\.99\\.123\\.80: Flags \\[\\.\\], .*\n"));
}

TEST_CASE("net: a capture shows a drop as silence and a reject as a reset", "[lab04][net][sniff][reject][ex4]")
{
    INFO(sniff_doc);
    Netlab lab;
    TempDir dir;
    auto s22 = lab.echo_server("desktop", 22);
    auto s8000 = lab.echo_server("desktop", 8000);
    INFO("the desktop's firewall: desktop.rules as nftables, from the golden file (no lab04-ex1 or ex3 needed)");
    lab.load_nft("desktop", source_dir() + "/tests/labs/lab04/golden/desktop.nft");

    INFO("the desktop's capture sits before its firewall: it sees the dropped SYNs arrive, and sends nothing back");
    auto on_desktop = lab.start_on("desktop", {bin("lab04-sniff"), "-i", "eth0", "-t", "tcp"});
    on_desktop->wait_for_line("^listening on eth0");
    const Result dropped = lab.client("friend", "203.0.113.123", 22, "hi");
    CHECK(dropped.exit_code == 1);
    const Result seen = on_desktop->stop(SIGINT);
    INFO("lab04-sniff -i eth0 tcp on the desktop, stopped with SIGINT\n" << seen.describe());
    CHECK(seen.exit_code == 0);
    CHECK_THAT(seen.out, match::Contains("IP 198.51.100.8."));
    CHECK_THAT(seen.out, match::Contains(" > 192.168.99.123.22: Flags [S], length 0\n"));
    CHECK_THAT(seen.out, !match::Contains("192.168.99.123.22 > "));
    CHECK_THAT(seen.err, match::EndsWith(" packets captured\n"));

    INFO("from the friend's side, the reject is a reset that comes back at once");
    auto on_friend = lab.start_on("friend", {bin("lab04-sniff"), "-i", "eth0", "-c", "2", "-t", "tcp"});
    on_friend->wait_for_line("^listening on eth0");
    const Result refused = lab.client("friend", "203.0.113.123", 8000, "hi");
    CHECK(refused.exit_code == 1);
    on_friend->wait_for_line("^IP 198\\.51\\.100\\.8\\.\\d+ > 203\\.0\\.113\\.123\\.8000: Flags \\[S\\], length 0$");
    on_friend->wait_for_line("^IP 203\\.0\\.113\\.123\\.8000 > 198\\.51\\.100\\.8\\.\\d+: Flags \\[R\\.\\], length 0$");
}
