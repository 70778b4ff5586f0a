// lab02's pieces, checked directly: the routing-table reader, the beacon
// format, netmasks, address classification, and which address a friend
// should use.
// Doc: docs/en/lab02.md, "Your addresses" and "Finding the server".
#include <bit>
#include <string>
#include <utility>

#include "classify.hpp"
#include "discovery.hpp"
#include "gateway.hpp"
#include "interfaces.hpp"
#include "lan_address.hpp"
#include "netlabs/errors.hpp"
#include "support.hpp"

using namespace netlabs::lab02;

namespace {

// /proc/net/route as the desktop of the lab's LAN has it (little-endian).
const char* desktop_routes =
    "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n"
    "eth0\t00000000\t0163A8C0\t0003\t0\t0\t0\t00000000\t0\t0\t0\n"
    "eth0\t0063A8C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n";

InterfaceAddress v4(const char* address, int prefix)
{
    return {asio::ip::make_address(address), prefix, std::nullopt};
}

} // namespace

TEST_CASE("the default gateway is read from /proc/net/route", "[lab02][pieces][gateway]")
{
    if constexpr (std::endian::native != std::endian::little) SKIP("the sample table is little-endian");
    const auto gateway = parse_default_gateway(desktop_routes);
    INFO("route table:\n" << desktop_routes);
    REQUIRE(gateway.has_value());
    CHECK(gateway->address.to_string() == "192.168.99.1");  // 0163A8C0 read backwards: C0.A8.63.01
    CHECK(gateway->interface == "eth0");
}

TEST_CASE("no default route means no gateway, and the lowest metric wins", "[lab02][pieces][gateway]")
{
    if constexpr (std::endian::native != std::endian::little) SKIP("the sample tables are little-endian");
    const std::string header = "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n";
    CHECK_FALSE(parse_default_gateway(header).has_value());
    CHECK_FALSE(parse_default_gateway(header + "eth0\t0063A8C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n"));
    CHECK_FALSE(parse_default_gateway(""));
    // A default route that is down (flags 0002, no RTF_UP) is not used.
    CHECK_FALSE(parse_default_gateway(header + "eth0\t00000000\t0163A8C0\t0002\t0\t0\t0\t00000000\t0\t0\t0\n"));

    const auto two = parse_default_gateway(header +
                                           "wlan0\t00000000\t0101A8C0\t0003\t0\t0\t600\t00000000\t0\t0\t0\n"
                                           "eth0\t00000000\t0163A8C0\t0003\t0\t0\t100\t00000000\t0\t0\t0\n");
    REQUIRE(two.has_value());
    CHECK(two->address.to_string() == "192.168.99.1");
    CHECK(two->interface == "eth0");
}

TEST_CASE("a beacon is one line: tag, name, TCP port", "[lab02][pieces][discovery][ex2]")
{
    CHECK(encode_beacon({"desktop", 5000}) == "netlabs-lab02 desktop 5000\n");
    CHECK(parse_beacon("netlabs-lab02 desktop 5000\n") == Beacon{"desktop", 5000});
    CHECK(parse_beacon("netlabs-lab02 desktop 5000") == Beacon{"desktop", 5000});
    CHECK(parse_beacon("netlabs-lab02 desktop 5000\r\n") == Beacon{"desktop", 5000});
    for (const char* other : {"", "hello", "netlabs-lab02", "netlabs-lab02 desktop", "netlabs-lab03 desktop 5000",
                              "netlabs-lab02 desktop 0", "netlabs-lab02 desktop 70000", "netlabs-lab02 desktop 05000",
                              "netlabs-lab02 desk top 5000", "netlabs-lab02  desktop 5000", "netlabs-lab02 desktop 5000x"}) {
        INFO("datagram '" << other << "' is not a beacon");
        CHECK_FALSE(parse_beacon(other).has_value());
    }
}

TEST_CASE("a server name is one word", "[lab02][pieces][discovery][ex2]")
{
    CHECK(check_server_name("desktop-1.lan_2") == "desktop-1.lan_2");
    CHECK_THROWS_WITH(check_server_name("two words"),
                      "invalid --name 'two words': use only letters, digits, '.', '_' and '-' (one word)");
    CHECK_THROWS_WITH(check_server_name(""), "invalid --name '': empty");
    CHECK_THROWS_AS(check_server_name(std::string(64, 'x')), netlabs::UsageError);
    const std::string name = default_server_name();
    INFO("default name: '" << name << "'");
    CHECK(parse_beacon(encode_beacon({name, 5000})).has_value());
}

TEST_CASE("a netmask's prefix length counts its one bits", "[lab02][pieces][interfaces]")
{
    CHECK(prefix_length(asio::ip::make_address("255.255.255.0")) == 24);
    CHECK(prefix_length(asio::ip::make_address("255.0.0.0")) == 8);
    CHECK(prefix_length(asio::ip::make_address("255.255.255.255")) == 32);
    CHECK(prefix_length(asio::ip::make_address("0.0.0.0")) == 0);
    CHECK(prefix_length(asio::ip::make_address("ffff:ffff:ffff:ffff::")) == 64);
}

TEST_CASE("an address is classified by the block it is in, on both sides of each block's edge",
          "[lab02][pieces][address][ex3]")
{
    // The whole table, edge by edge: tests/labs/lab02/test_classify.cpp.
    const std::pair<const char*, const char*> cases[] = {
        {"0.0.0.0", "unspecified"},      {"0.1.2.3", "reserved"},          {"127.0.0.1", "loopback"},
        {"127.255.255.255", "loopback"}, {"128.0.0.1", "public"},          {"10.1.2.3", "private"},
        {"11.0.0.0", "public"},          {"172.15.255.255", "public"},     {"172.16.0.1", "private"},
        {"172.31.255.255", "private"},   {"172.32.0.0", "public"},         {"192.168.99.123", "private"},
        {"192.169.0.0", "public"},       {"100.64.0.1", "shared"},         {"100.127.255.255", "shared"},
        {"100.128.0.0", "public"},       {"169.254.7.7", "link-local"},    {"192.0.2.1", "documentation"},
        {"198.51.100.8", "documentation"}, {"203.0.113.7", "documentation"}, {"203.0.114.0", "public"},
        {"224.0.0.1", "multicast"},      {"239.255.255.250", "multicast"}, {"240.0.0.1", "reserved"},
        {"255.255.255.255", "reserved"}, {"198.19.0.1", "reserved"},       {"198.20.0.0", "public"},
        {"192.0.0.8", "reserved"},       {"8.8.8.8", "public"},            {"111.222.33.123", "public"},
        {"::", "unspecified"},           {"::1", "loopback"},              {"fd12:3456::1", "private"},
        {"fe80::1", "link-local"},       {"febf:ffff::1", "link-local"},   {"fec0::1", "public"},
        {"2001:db8::1", "documentation"}, {"ff02::1", "multicast"},        {"2606:4700:4700::1111", "public"},
        {"::ffff:192.168.1.2", "private"}, {"::ffff:127.0.0.1", "loopback"}, {"::ffff:8.8.8.8", "public"},
    };
    for (const auto& [address, expected] : cases) {
        INFO("classify(" << address << "): expected " << expected);
        CHECK(std::string(to_string(netlabs::lab02::classify(asio::ip::make_address(address)))) == expected);
    }
}

TEST_CASE("a friend on the LAN is told the private IPv4 address, not loopback or link-local",
          "[lab02][pieces][interfaces][ex3]")
{
    std::vector<Interface> interfaces = {
        {"lo", true, true, {v4("127.0.0.1", 8), {asio::ip::make_address("::1"), 128, std::nullopt}}},
        {"docker0", true, false, {v4("172.17.0.1", 16)}},
        {"eth0", true, false, {v4("192.168.99.123", 24), {asio::ip::make_address("fe80::1"), 64, std::nullopt}}},
        {"eth1", true, false, {v4("169.254.7.7", 16)}},
    };
    const Gateway via_eth0{asio::ip::make_address_v4("192.168.99.1"), "eth0"};

    auto lan = choose_lan_address(interfaces, via_eth0);
    REQUIRE(lan.has_value());
    INFO("with the default gateway on eth0, eth0's address is the one the LAN knows");
    CHECK(lan->interface->name == "eth0");
    CHECK(lan->address->address.to_string() == "192.168.99.123");

    lan = choose_lan_address(interfaces, std::nullopt);
    REQUIRE(lan.has_value());
    CHECK(lan->address->address.to_string() == "172.17.0.1");  // no gateway: the first private one

    interfaces[1].up = false;
    interfaces[2].addresses.erase(interfaces[2].addresses.begin());  // eth0 lost its IPv4 address
    CHECK_FALSE(choose_lan_address(interfaces, via_eth0).has_value());  // link-local and loopback never
}
