// The capstone on the virtual network (lab05-http/topology.txt): the friend
// POSTs to 203.0.113.123:5000 through the router's forward and the desktop's
// firewall, and each broken layer shows the friend what the doc says.
// Doc: docs/en/lab05.md, "The friend posts across the internet" and "When a
// request fails". Skipped where the virtual network cannot run.
#include <memory>

#include "lab05.hpp"
#include "virtual_network.hpp"

using namespace lab05::test;

namespace {

// One running copy of lab05's topology, gone when the test ends
// (tests/support/virtual_network.hpp).
class Lab05Net : public netlabs::test::VirtualNetwork {
public:
    Lab05Net() : VirtualNetwork("lab05-http/topology.txt", "l5") {}

    // Starts a server on `host` and waits for its ready line.
    std::unique_ptr<Process> start_on(const std::string& host, const std::vector<std::string>& argv) const
    {
        auto p = VirtualNetwork::start_on(host, argv);
        p->wait_listening();
        return p;
    }
    // Runs a command that must succeed (a setup step), with what it said on failure.
    void must(const std::string& host, const std::vector<std::string>& argv) const
    {
        const Result r = run_on(host, argv);
        INFO("setup step on " << host << ": " << argv.front() << "\n" << r.describe());
        REQUIRE(r.exit_code == 0);
    }
};

const std::string public_url = "http://203.0.113.123:5000";
const std::string refused = "lab05-client: connect 203.0.113.123:5000: connection refused";

} // namespace

TEST_CASE("the friend POSTs through the router and the firewall, and GETs it back", "[lab05][net][ex1]")
{
    INFO("see docs/en/lab05.md#the-friend-posts-across-the-internet");
    Lab05Net net;
    auto server = net.start_on("desktop", {"lab05-server"});
    const Result post = net.run_on("friend", {"lab05-client", "post", public_url + "/messages", "--json",
                                              R"({"name": "friend", "text": "hello from the hotspot"})"});
    INFO("friend: lab05-client post " << public_url << "/messages\n" << post.describe());
    REQUIRE(post.exit_code == 0);
    CHECK(post.out == "HTTP/1.1 201 Created\n{\"id\":1,\"name\":\"friend\",\"text\":\"hello from the hotspot\"}\n");

    const Result list = net.run_on("friend", {"lab05-client", "get", public_url + "/messages"});
    CHECK(list.out == "HTTP/1.1 200 OK\n[{\"id\":1,\"name\":\"friend\",\"text\":\"hello from the hotspot\"}]\n");
    const Result who = net.run_on("friend", {"lab05-client", "get", public_url + "/whoami"});
    INFO("DNAT keeps the friend's address: " << who.describe());
    CHECK_THAT(who.out, match::Contains(R"({"ip":"198.51.100.8","port":)"));
    server->wait_for_line(R"(^198\.51\.100\.8:\d+ "POST /messages HTTP/1\.1" 201 \d+$)");
}

TEST_CASE("each broken layer, as the friend sees it", "[lab05][net][ex3]")
{
    INFO("see docs/en/lab05.md#when-a-request-fails");
    Lab05Net net;
    const std::vector<std::string> hello{"lab05-client", "--timeout", "1", "get", public_url + "/hello"};

    {
        auto local_only = net.start_on("desktop", {"lab05-server", "--host", "127.0.0.1"});
        const Result r = net.run_on("friend", hello);
        INFO("the server on 127.0.0.1: expected refused; " << r.describe());
        CHECK(r.exit_code == 1);
        CHECK_THAT(r.err, match::StartsWith(refused));
        const Result doctor = net.run_on("desktop", {"lab05-doctor", "http://192.168.99.123:5000/hello"});
        INFO("lab05-doctor on the desktop: " << doctor.describe());
        CHECK(doctor.exit_code == 1);
        CHECK_THAT(doctor.out, match::Contains("FAIL  server   listens on 127.0.0.1:5000 only"));
    }
    auto server = net.start_on("desktop", {"lab05-server"});
    REQUIRE(net.run_on("friend", hello).exit_code == 0);

    net.must("desktop", {"nft", "flush", "chain", "inet", "lab04", "services"});
    const Result dropped = net.run_on("friend", hello);
    INFO("the firewall without the 5000 rule (policy drop): expected a timeout; " << dropped.describe());
    CHECK(dropped.exit_code == 1);
    CHECK_THAT(dropped.err, match::Contains(": timed out after 1 s"));

    net.must("desktop", {"nft", "add", "rule", "inet", "lab04", "services", "tcp", "dport", "5000", "reject", "with", "tcp", "reset"});
    const Result rejected = net.run_on("friend", hello);
    INFO("the firewall rejecting with a TCP reset: expected refused; " << rejected.describe());
    CHECK_THAT(rejected.err, match::StartsWith(refused));

    net.must("desktop", {"nft", "flush", "chain", "inet", "lab04", "services"});
    net.must("desktop", {"nft", "add", "rule", "inet", "lab04", "services", "tcp", "dport", "5000", "accept"});
    REQUIRE(net.run_on("friend", hello).exit_code == 0);

    net.must("router", {"nft", "flush", "chain", "inet", "fw4", "dstnat_wan"});
    const Result no_forward = net.run_on("friend", hello);
    INFO("the router without the forward: expected refused (by the router); " << no_forward.describe());
    CHECK_THAT(no_forward.err, match::StartsWith(refused));

    const Result hairpin = net.run_on("laptop", hello);
    INFO("the laptop on the LAN using the public address (hairpin): expected refused; " << hairpin.describe());
    CHECK_THAT(hairpin.err, match::StartsWith(refused));
    const Result lan = net.run_on("laptop", {"lab05-client", "get", "http://192.168.99.123:5000/hello"});
    INFO("the LAN address works from the LAN: " << lan.describe());
    CHECK(lan.exit_code == 0);
}

TEST_CASE("the forward points to an old DHCP address", "[lab05][net][ex3]")
{
    INFO("see docs/en/lab05.md#the-forward-points-to-an-old-dhcp-address");
    Lab05Net net;
    auto server = net.start_on("desktop", {"lab05-server"});
    const std::vector<std::string> hello{"lab05-client", "--timeout", "10", "get", public_url + "/hello"};
    REQUIRE(net.run_on("friend", hello).exit_code == 0);

    // A new DHCP lease, by hand: the desktop moves to .77; the router's forward still says .123.
    net.must("desktop", {"ip", "addr", "flush", "dev", "eth0"});
    net.must("desktop", {"ip", "addr", "add", "192.168.99.77/24", "dev", "eth0"});
    net.must("desktop", {"ip", "route", "add", "default", "via", "192.168.99.1"});
    net.must("desktop", {"arping", "-U", "-c", "1", "-I", "eth0", "192.168.99.77"});  // the client's announcement
    net.must("router", {"ip", "neigh", "flush", "dev", "eth0"});  // forget the desktop's old MAC now

    const Result moved = net.run_on("friend", hello, std::chrono::seconds(30));
    INFO("the desktop moved to 192.168.99.77, the forward points to .123 (nobody): expected no route to host "
         "(the router's ARP for .123 goes unanswered, and it sends ICMP host unreachable); "
         << moved.describe());
    CHECK(moved.exit_code == 1);
    CHECK(moved.err ==
          "lab05-client: connect 203.0.113.123:5000: no route to host (an ICMP 'unreachable' came back: a firewall "
          "that rejects, or no machine has that address any more (did DHCP move the server?))\n");

    const Result doctor = net.run_on("friend", {"lab05-doctor", "--timeout", "10", public_url + "/hello"},
                                     std::chrono::seconds(30));
    INFO("lab05-doctor on the friend's side: " << doctor.describe());
    CHECK(doctor.exit_code == 1);
    CHECK_THAT(doctor.out, match::Contains("FAIL  connect  connect 203.0.113.123:5000: no route to host\n"));
    CHECK_THAT(doctor.out, match::Contains("first broken layer: connect. fix: the forward or this URL points to an "
                                           "address nobody has (DHCP moved the server? reserve its address)"));

    const Result lan = net.run_on("laptop", {"lab05-client", "get", "http://192.168.99.77:5000/hello"});
    INFO("the server itself is fine, at the desktop's new address (it listens on 0.0.0.0): " << lan.describe());
    CHECK(lan.exit_code == 0);

    // The fix, a DHCP reservation: the next lease brings the old address back,
    // and the client announces it. Without the announcement the friend's GET
    // could fail here: a lookup of .123 that a late SYN of the failed tries
    // started while .123 was gone may still be running, its probes spent, and
    // it fails what waits on it (the next test case makes that happen).
    net.must("desktop", {"ip", "addr", "flush", "dev", "eth0"});
    net.must("desktop", {"ip", "addr", "add", "192.168.99.123/24", "dev", "eth0"});
    net.must("desktop", {"ip", "route", "add", "default", "via", "192.168.99.1"});
    net.must("desktop", {"arping", "-U", "-c", "1", "-I", "eth0", "192.168.99.123"});
    const Result back = net.run_on("friend", hello);
    INFO("the desktop back at 192.168.99.123: expected the forward to work again; " << back.describe());
    CHECK(back.exit_code == 0);
    CHECK(back.out == "HTTP/1.1 200 OK\nhello from lab05-server\n");
}

TEST_CASE("a lookup begun while the address was gone: the announcement answers it", "[lab05][net][ex3]")
{
    INFO("see docs/en/lab05.md#the-forward-points-to-an-old-dhcp-address");
    Lab05Net net;
    auto server = net.start_on("desktop", {"lab05-server"});
    net.must("desktop", {"ip", "addr", "flush", "dev", "eth0"});
    net.must("desktop", {"ip", "addr", "add", "192.168.99.77/24", "dev", "eth0"});
    net.must("router", {"ip", "neigh", "flush", "dev", "eth0"});
    // One question, then 10 s of silence before the router gives up: a lookup
    // that outlives the friend's try and the desktop's return, without a race.
    net.must("router", {"sysctl", "-w", "net.ipv4.neigh.eth0.mcast_solicit=1"});
    net.must("router", {"sysctl", "-w", "net.ipv4.neigh.eth0.retrans_time_ms=10000"});

    const Result gave_up =
        net.run_on("friend", {"lab05-client", "--timeout", "1", "get", public_url + "/hello"});
    INFO("the friend gives up before the router does: " << gave_up.describe());
    CHECK(gave_up.exit_code == 1);
    CHECK_THAT(gave_up.err, match::StartsWith("lab05-client: GET " + public_url + "/hello: timed out after 1 s"));
    const Result pending = net.run_on("router", {"ip", "neigh", "show", "192.168.99.123", "dev", "eth0"});
    INFO("the router, still asking for .123 with nobody there: " << pending.describe());
    REQUIRE(pending.out == "192.168.99.123 INCOMPLETE \n");

    net.must("desktop", {"ip", "addr", "flush", "dev", "eth0"});
    net.must("desktop", {"ip", "addr", "add", "192.168.99.123/24", "dev", "eth0"});
    net.must("desktop", {"ip", "route", "add", "default", "via", "192.168.99.1"});
    net.must("desktop", {"arping", "-U", "-c", "1", "-I", "eth0", "192.168.99.123"});
    const Result learned = net.run_on("router", {"ip", "neigh", "show", "192.168.99.123", "dev", "eth0"});
    INFO("the router took the desktop's hardware address from the announcement: " << learned.describe());
    CHECK_THAT(learned.out, match::Matches("192\\.168\\.99\\.123 lladdr [0-9a-f:]{17} (STALE|DELAY|PROBE|REACHABLE) \n"));

    // Without the announcement this GET waits on the lookup, which gives up
    // 10 s after it began: the client times out first (tried: it does).
    const Result back = net.run_on("friend", {"lab05-client", "--timeout", "5", "get", public_url + "/hello"});
    INFO("the friend, the desktop back and announced: " << back.describe());
    CHECK(back.exit_code == 0);
    CHECK(back.out == "HTTP/1.1 200 OK\nhello from lab05-server\n");
}
