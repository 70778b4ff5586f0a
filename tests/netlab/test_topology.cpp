// The topology file format (common/netlab/README.md): what parses, and what a
// wrong line says (file:line and the bad part).
#include <filesystem>
#include <string>

#include "catch.hpp"
#include "paths.hpp"

#include "netlabs/netlab/state.hpp"
#include "netlabs/netlab/topology.hpp"

using namespace netlabs::netlab;

namespace {

const std::filesystem::path course_dir = netlabs::test::source_dir();

std::string error_of(const std::string& text)
{
    try {
        parse_topology(text, "t.txt", course_dir / "tests" / "netlab");
    } catch (const TopologyError& e) {
        return e.what();
    }
    return "(no error)";
}

} // namespace

TEST_CASE("lab02's topology is the home LAN of seed 001", "[netlab][topology]")
{
    const Topology t = load_topology(course_dir / "lab02-lan" / "topology.txt", "lab02-lan/topology.txt");
    REQUIRE(t.networks.size() == 1);
    CHECK(t.networks[0].name == "home");
    CHECK(t.networks[0].cidr.to_string() == "192.168.99.0/24");
    CHECK(t.networks[0].bridge() == "br-home");
    REQUIRE(t.host_names() == "router, desktop, laptop, phone");
    const Host& router = t.hosts[0];
    CHECK(router.forward);
    CHECK_FALSE(router.gateway);
    REQUIRE(router.interfaces.size() == 1);
    CHECK(router.interfaces[0].name == "eth0");
    CHECK(router.interfaces[0].address_text() == "192.168.99.1/24");
    const Host* desktop = t.find_host("desktop");
    REQUIRE(desktop);
    CHECK(desktop->interfaces[0].address_text() == "192.168.99.123/24");
    REQUIRE(desktop->gateway);
    CHECK(desktop->gateway->to_string() == "192.168.99.1");
    CHECK(t.find_host("laptop")->interfaces[0].address.to_string() == "192.168.99.10");
    CHECK(t.find_host("phone")->interfaces[0].address.to_string() == "192.168.99.11");
}

TEST_CASE("the smoke topology: a router on two networks with nftables", "[netlab][topology]")
{
    const Topology t = load_topology(course_dir / "tests" / "netlab" / "smoke.txt");
    const Host* router = t.find_host("router");
    REQUIRE(router);
    REQUIRE(router->interfaces.size() == 2);
    CHECK(router->interfaces[0].name == "eth0");
    CHECK(router->interfaces[0].network == "lan");
    CHECK(router->interfaces[1].name == "eth1");
    CHECK(router->interfaces[1].address_text() == "203.0.113.1/24");
    CHECK(router->forward);
    CHECK(router->nft.filename() == "smoke-router.nft");
    CHECK_FALSE(t.find_host("server")->gateway);
    // Interface names inside hosts and the bridge ends outside fit in 15 characters.
    for (const auto& h : t.hosts)
        for (const auto& i : h.interfaces) CHECK(i.outer.size() <= 15);
}

TEST_CASE("a wrong topology line names file:line and the bad part", "[netlab][topology]")
{
    const std::string net = "# a comment\nnetwork home 192.168.99.0/24\n";
    struct Case {
        std::string text, expected;
    };
    const Case cases[] = {
        {net + "host laptop home=192.168.98.10\n",
         "t.txt:3: address 192.168.98.10 is not in network home (192.168.99.0/24)"},
        {net + "host laptop home=192.168.99.277\n", "t.txt:3: invalid IPv4 address '192.168.99.277': 277 is more than 255"},
        {net + "host laptop lan=192.168.99.10\n", "t.txt:3: unknown network 'lan' for host laptop"},
        {net + "host laptop home=192.168.99.10 gateway=10.0.0.1\n",
         "t.txt:3: gateway 10.0.0.1 is not on any network of host laptop"},
        {net + "host laptop home=192.168.99.10\nhost laptop home=192.168.99.11\n", "t.txt:4: host laptop is declared twice"},
        {net + "host a home=192.168.99.10\nhost b home=192.168.99.10\n",
         "t.txt:4: address 192.168.99.10 is already used by host a"},
        {net + "host Laptop home=192.168.99.10\n", "t.txt:3: host name 'Laptop' must start with a lower-case letter"},
        {net + "host a-very-long-hostname home=192.168.99.10\n", "is longer than 15 characters"},
        {net + "hots laptop home=192.168.99.10\n", "t.txt:3: unknown word 'hots'"},
        {net + "host laptop home=192.168.99.10 fast\n", "t.txt:3: unknown attribute 'fast' of host laptop"},
        {net + "host laptop home=192.168.99.255\n", "t.txt:3: address 192.168.99.255 is the broadcast address"},
        {net + "host laptop\n", "t.txt:3: expected 'host NAME NET=ADDR"},
        {net + "host r home=192.168.99.1 nft=missing.nft\n", "t.txt:3: nft file missing.nft not found"},
        {"network home 192.168.99.5/24\n", "t.txt:1: invalid network '192.168.99.5/24': host bits are set (did you mean 192.168.99.0/24?)"},
        {net + "network other 192.168.0.0/16\n", "t.txt:3: network other (192.168.0.0/16) overlaps network home"},
        {"network abcdefghijklm 10.0.0.0/8\n", "t.txt:1: network name 'abcdefghijklm' is longer than 12 characters"},
        {"network home 10.0.0.0/31\n", "must be 8-30"},
        {net, "t.txt: no hosts"},
    };
    for (const auto& c : cases) {
        INFO("topology:\n" << c.text);
        CHECK_THAT(error_of(c.text), match::Contains(c.expected));
    }
}

TEST_CASE("instance names: [a-z0-9-]{1,32}, a lab number means the lab", "[netlab][topology]")
{
    CHECK(normalize_name("lab02") == "lab02");
    CHECK(normalize_name("2") == "lab02");
    CHECK(normalize_name("12") == "lab12");
    CHECK(normalize_name("t123-4") == "t123-4");
    CHECK_THROWS_AS(normalize_name("Lab02"), netlabs::UsageError);
    CHECK_THROWS_AS(normalize_name(""), netlabs::UsageError);
    CHECK_THROWS_AS(normalize_name("../x"), netlabs::UsageError);
    CHECK_THROWS_AS(normalize_name(std::string(33, 'a')), netlabs::UsageError);
}
