// lab02 on the virtual network: the lab's home LAN, 192.168.99.0/24 on a
// bridge, with the router 192.168.99.1, the desktop 192.168.99.123 (the
// seed's server), the laptop 192.168.99.10 and the phone 192.168.99.11.
// Doc: docs/en/lab02.md, every block with host=...
//
// Each test brings up its own copy of the topology under a unique name
// (netlabs-net up), runs the programs on its hosts (netlabs-net exec) and
// tears it all down when it ends. Every host has its own network stack, so
// port 5000 and the default broadcast are safe here, even with tests in
// parallel, and nothing leaves the virtual network.
//
// The discovery tests of lab02-ex2 announce with lab02-harness-server, a
// finished stand-in for lab02-server (harness_server.cpp), so they do not
// need lab02-ex1; the test of lab02-server's own note runs the real one.
//
// Where the virtual network cannot run (no netlabs-net in this build, or a
// kernel that refuses unprivileged namespaces), these tests are skipped, with
// netlabs-net's own reason.
#include <filesystem>
#include <memory>

#include <unistd.h>

#include <nlohmann/json.hpp>

#include "virtual_network.hpp"
#include "support.hpp"

using namespace lab02;

namespace {

const std::string desktop = "desktop", laptop = "laptop", phone = "phone";

// One running copy of lab02's topology (tests/support/netlab.hpp).
struct Netlab : netlabs::test::VirtualNetwork {
    Netlab() : netlabs::test::VirtualNetwork("lab02-lan/topology.txt", "l2") {}
};

const std::string refused_from_another_host =
    "connection refused (is lab02-server running there, on that port? is it bound to 127.0.0.1? a server on "
    "127.0.0.1 accepts only this machine; bind 0.0.0.0 or the LAN address)";

} // namespace

TEST_CASE("LAN: a server bound to 127.0.0.1 answers its own machine only", "[lab02][lan][bind][ex1]")
{
    Netlab lab;
    auto server = lab.start_on(desktop, {bin("lab02-server"), "--bind", "127.0.0.1", "--port", "5000"});
    CHECK(server->wait_listening().to_string() == "127.0.0.1:5000");

    const Result here = lab.run_on(desktop, {bin("lab02-client"), "127.0.0.1", "5000", "hi from the desktop"});
    INFO("on the desktop: lab02-client 127.0.0.1 5000 ...\n" << here.describe());
    CHECK(here.exit_code == 0);
    CHECK(here.out == "Received: hi from the desktop\n");

    const Result there = lab.run_on(laptop, {bin("lab02-client"), "192.168.99.123", "5000", "hi from the laptop"});
    INFO("on the laptop: lab02-client 192.168.99.123 5000 ... (the server is bound to 127.0.0.1)\n"
         << there.describe());
    CHECK(there.exit_code == 1);
    CHECK(there.err == "lab02-client: connect 192.168.99.123:5000: " + refused_from_another_host + "\n");

    INFO("even the desktop itself cannot reach it through its LAN address");
    const Result via_lan = lab.run_on(desktop, {bin("lab02-client"), "192.168.99.123", "5000", "hi"});
    CHECK(via_lan.exit_code == 1);
    CHECK_THAT(via_lan.err, match::Contains("connection refused"));
}

TEST_CASE("LAN: a server bound to 0.0.0.0 answers the laptop, the phone and itself", "[lab02][lan][bind][ex1]")
{
    Netlab lab;
    auto server = lab.start_on(desktop, {bin("lab02-server"), "--bind", "0.0.0.0", "--port", "5000"});
    CHECK(server->wait_listening().to_string() == "0.0.0.0:5000");
    server->wait_for_line("^Every interface of this machine: clients connect to .*192\\.168\\.99\\.123:5000");

    const Result from_laptop =
        lab.run_on(laptop, {bin("lab02-client"), "192.168.99.123", "5000", "hello from the laptop"});
    INFO("on the laptop\n" << from_laptop.describe());
    CHECK(from_laptop.exit_code == 0);
    CHECK(from_laptop.out == "Received: hello from the laptop\n");
    server->wait_for_line("^\\[192\\.168\\.99\\.10:\\d+\\] hello from the laptop$");

    const Result from_phone = lab.run_on(phone, {bin("lab02-client"), "192.168.99.123", "5000", "and the phone"});
    INFO("on the phone\n" << from_phone.describe());
    CHECK(from_phone.out == "Received: and the phone\n");
    server->wait_for_line("^\\[192\\.168\\.99\\.11:\\d+\\] and the phone$");

    const Result from_itself = lab.run_on(desktop, {bin("lab02-client"), "127.0.0.1", "5000", "and itself"});
    INFO("on the desktop\n" << from_itself.describe());
    CHECK(from_itself.out == "Received: and itself\n");
}

TEST_CASE("LAN: a server bound to 192.168.99.123 answers the LAN, not 127.0.0.1", "[lab02][lan][bind][ex1]")
{
    Netlab lab;
    auto server = lab.start_on(desktop, {bin("lab02-server"), "--bind", "192.168.99.123", "--port", "5000"});
    CHECK(server->wait_listening().to_string() == "192.168.99.123:5000");

    const Result from_laptop = lab.run_on(laptop, {bin("lab02-client"), "192.168.99.123", "5000", "hi"});
    INFO("on the laptop\n" << from_laptop.describe());
    CHECK(from_laptop.exit_code == 0);
    CHECK(from_laptop.out == "Received: hi\n");

    const Result loop = lab.run_on(desktop, {bin("lab02-client"), "127.0.0.1", "5000", "hi"});
    INFO("on the desktop, to 127.0.0.1\n" << loop.describe());
    CHECK(loop.exit_code == 1);
    CHECK(loop.err == "lab02-client: connect 127.0.0.1:5000: connection refused (is lab02-server running, and on "
                      "that port?)\n");
}

TEST_CASE("LAN: the laptop finds the desktop's server by its broadcast beacon", "[lab02][lan][discovery][ex2]")
{
    Netlab lab;
    auto server = lab.start_on(desktop, {bin("lab02-harness-server"), "--bind", "0.0.0.0", "--port", "5000",
                                         "--announce-to", "192.168.99.255", "--name", "desktop",
                                         "--announce-interval", "0.2"});
    server->wait_listening();
    server->wait_for_line("^beacons to 192\\.168\\.99\\.255:5001$");

    const Result found = lab.run_on(laptop, {bin("lab02-client"), "--discover", "--timeout", "10", "found you"});
    INFO("on the laptop: lab02-client --discover 'found you'\n" << found.describe());
    CHECK(found.exit_code == 0);
    CHECK_THAT(found.out, match::Contains("\nFound desktop at 192.168.99.123:5000\nReceived: found you\n"));
    server->wait_for_line("^\\[192\\.168\\.99\\.10:\\d+\\] found you$");
    CHECK(server->err().empty());  // every beacon went out
}

TEST_CASE("LAN: a server bound to its LAN address announces from that address", "[lab02][lan][discovery][ex2]")
{
    Netlab lab;
    auto server = lab.start_on(desktop, {bin("lab02-harness-server"), "--bind", "192.168.99.123", "--port", "5000",
                                         "--announce-to", "192.168.99.255", "--name", "desktop",
                                         "--announce-interval", "0.2"});
    server->wait_listening();
    server->wait_for_line("^beacons to 192\\.168\\.99\\.255:5001$");
    const Result found = lab.run_on(phone, {bin("lab02-client"), "--discover", "--timeout", "10", "from the phone"});
    INFO("on the phone: lab02-client --discover 'from the phone'\n" << found.describe());
    CHECK(found.exit_code == 0);
    CHECK_THAT(found.out, match::Contains("\nFound desktop at 192.168.99.123:5000\nReceived: from the phone\n"));
}

// lab02-server's own note, with its beacon: needs lab02-ex1 and lab02-ex2, so
// it counts for neither.
TEST_CASE("LAN: the beacon of a server on 127.0.0.1 is heard, and then the connection is refused",
          "[lab02][lan][discovery][bind][programs]")
{
    Netlab lab;
    auto server = lab.start_on(desktop, {bin("lab02-server"), "--bind", "127.0.0.1", "--port", "5000", "--announce",
                                         "--announce-to", "192.168.99.255", "--name", "desktop",
                                         "--announce-interval", "0.2"});
    server->wait_listening();
    server->wait_for_line("^Note: bound to 127\\.0\\.0\\.1, so hosts that hear the beacon will be refused; bind "
                          "0\\.0\\.0\\.0 or the LAN address\\.$");
    const Result r = lab.run_on(laptop, {bin("lab02-client"), "--discover", "--timeout", "10", "hi"});
    INFO("on the laptop: lab02-client --discover hi\n" << r.describe());
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.out, match::Contains("\nFound desktop at 192.168.99.123:5000\n"));
    CHECK(r.err == "lab02-client: connect 192.168.99.123:5000: " + refused_from_another_host + "\n");
}

TEST_CASE("LAN: lab02-ifaces on the desktop shows its private address and the router as gateway",
          "[lab02][lan][ifaces][ex3]")
{
    Netlab lab;
    const Result text = lab.run_on(desktop, {bin("lab02-ifaces"), "--ipv4"});
    INFO("on the desktop: lab02-ifaces --ipv4\n" << text.describe());
    REQUIRE(text.exit_code == 0);
    CHECK_THAT(text.out, match::Matches("(.*\n)?\\S+ +192\\.168\\.99\\.123/24 +private +<- use this one on your LAN\n(.*\n)*"));
    CHECK_THAT(text.out, match::Matches("(.*\n)*default gateway: 192\\.168\\.99\\.1 \\(via \\S+\\)\n(.*\n)*"));
    CHECK_THAT(text.out, match::Contains("A friend on the same LAN connects to 192.168.99.123 ("));

    const Result json = lab.run_on(desktop, {bin("lab02-ifaces"), "--json"});
    INFO(json.describe());
    REQUIRE(json.exit_code == 0);
    const auto doc = nlohmann::json::parse(json.out);
    CHECK(doc["lan_address"]["address"] == "192.168.99.123");
    CHECK(doc["default_gateway"]["address"] == "192.168.99.1");
}

TEST_CASE("LAN: an address nobody has on the LAN is 'no route to host', with a hint", "[lab02][lan][errors]")
{
    Netlab lab;
    // Nobody answers the laptop's ARP "who has 192.168.99.200?": after about
    // 3 s the kernel gives up with EHOSTUNREACH.
    const Result r = lab.run_on(laptop, {bin("lab02-client"), "--timeout", "15", "192.168.99.200", "5000", "hi"});
    INFO("on the laptop: lab02-client 192.168.99.200 5000 hi\n" << r.describe());
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, match::StartsWith("lab02-client: connect 192.168.99.200:5000: no route to host (no host "
                                        "answered at that address on the LAN"));
}
