// lab04 on the virtual network: each rule's effect on real traffic.
//
//   friend 198.51.100.8 --- isp --- router 203.0.113.123 --- desktop 192.168.99.123
//                                   (forwards 5000, 8000, 22)   laptop 192.168.99.10
//
// Each test brings up its own copy of lab04's topology, starts echo servers
// (lab01-echo-async) on the desktop, loads a rule file's nftables ruleset
// there (nft -f inside the desktop's namespace, as lab04-firewall apply does)
// and sends with
// lab02-client --timeout 2 from the friend or the laptop. Neither program
// holds an exercise of this lab. A dropped connection is the client's
// 2 s timeout; a rejected one is "connection refused" at once.
// The rulesets come from lab04::to_nft (lab04-ex3) and the rule files are
// read by the tests' stand-in (support.hpp), not by lab04-firewall, which
// would need lab04-ex1 too: these tests grade lab04-ex3 on its own. (The doc
// runs lab04-firewall explain and apply on the same files.)
// Doc: docs/en/lab04.md, every block with host=...
#include "evaluate.hpp"
#include "support.hpp"

using namespace lab04::test;

namespace {

const std::string router_public = "203.0.113.123", desktop_lan = "192.168.99.123";

void check_reaches(const Result& r, const std::string& what, const std::string& message)
{
    INFO(what << "\n" << r.describe());
    CHECK(r.exit_code == 0);
    CHECK(r.out == message + "\n");
}

void check_dropped(const Result& r, const std::string& what, const std::string& where)
{
    INFO(what << ": expected a timeout (the firewall drops the SYN and answers nothing)\n"
              << r.describe() << "\nsee docs/en/lab04.md#drop-or-reject");
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, match::StartsWith("lab02-client: connect " + where + ": timed out"));
}

void check_refused(const Result& r, const std::string& what, const std::string& where)
{
    INFO(what << ": expected 'connection refused' at once (the firewall answers with a TCP reset)\n"
              << r.describe() << "\nsee docs/en/lab04.md#drop-or-reject");
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, match::StartsWith("lab02-client: connect " + where + ": connection refused"));
}

} // namespace

TEST_CASE("net: with the desktop's firewall the friend reaches 5000, not 22", "[lab04][net][ex3]")
{
    Netlab lab;
    TempDir dir;
    auto s5000 = lab.echo_server("desktop", 5000);
    auto s22 = lab.echo_server("desktop", 22);

    INFO("before any rule, both forwards reach the desktop (the router forwards 5000 and 22)");
    check_reaches(lab.client("friend", router_public, 22, "ssh?"), "friend -> 203.0.113.123:22, no firewall", "ssh?");

    lab.apply("desktop", dir, "desktop");
    check_reaches(lab.client("friend", router_public, 5000, "hello"), "friend -> 203.0.113.123:5000 (allowed)", "hello");
    check_dropped(lab.client("friend", router_public, 22, "ssh?"), "friend -> 203.0.113.123:22 (default in deny)",
                  router_public + ":22");
    INFO("the laptop, on the LAN, is no exception: the rules say nothing about where a packet comes from");
    check_reaches(lab.client("laptop", desktop_lan, 5000, "from the laptop"), "laptop -> 192.168.99.123:5000",
                  "from the laptop");
    check_dropped(lab.client("laptop", desktop_lan, 22, "ssh?"), "laptop -> 192.168.99.123:22", desktop_lan + ":22");
}

TEST_CASE("net: drop is a timeout, reject is an immediate 'connection refused'", "[lab04][net][reject][ex3]")
{
    Netlab lab;
    TempDir dir;
    auto s8000 = lab.echo_server("desktop", 8000);
    auto s22 = lab.echo_server("desktop", 22);
    lab.apply("desktop", dir, "desktop");
    check_refused(lab.client("friend", router_public, 8000, "hi"), "friend -> 203.0.113.123:8000 (in reject tcp port 8000)",
                  router_public + ":8000");
    check_dropped(lab.client("friend", router_public, 22, "hi"), "friend -> 203.0.113.123:22 (dropped by the default)",
                  router_public + ":22");
}

TEST_CASE("net: outbound rules block what the desktop starts, not its answers", "[lab04][net][outbound][ex3]")
{
    Netlab lab;
    TempDir dir;
    auto s5000 = lab.echo_server("desktop", 5000);
    auto s7000 = lab.echo_server("friend", 7000);

    check_reaches(lab.client("desktop", "198.51.100.8", 7000, "out"), "desktop -> friend:7000, no firewall", "out");
    lab.apply("desktop", dir, "outbound");
    INFO("outbound.rules: default out deny, and no 'out allow' rule at all (seed 000's 'pass out' is not needed)");
    check_dropped(lab.client("desktop", "198.51.100.8", 7000, "out"), "desktop -> friend:7000 (default out deny)",
                  "198.51.100.8:7000");
    check_reaches(lab.client("friend", router_public, 5000, "answer me"),
                  "friend -> 203.0.113.123:5000: the desktop's answer leaves as part of an allowed connection",
                  "answer me");
}

TEST_CASE("net: seed 002's order lets the blocked laptop in, the block first keeps it out", "[lab04][net][order][ex3]")
{
    Netlab lab;
    TempDir dir;
    auto s8000 = lab.echo_server("desktop", 8000);
    lab.apply("desktop", dir, "seed002");
    check_reaches(lab.client("laptop", desktop_lan, 8000, "still in"),
                  "laptop -> desktop:8000 with seed 002's order (ACCEPT 8000, then DROP the laptop)", "still in");

    lab.apply("desktop", dir, "seed002-fixed");
    check_dropped(lab.client("laptop", desktop_lan, 8000, "still in?"),
                  "laptop -> desktop:8000 with the DROP first", desktop_lan + ":8000");
    check_reaches(lab.client("friend", router_public, 8000, "friend"), "friend -> 8000 with the DROP first", "friend");
}

TEST_CASE("net: seed 000's pf rule names the router's address and never matches on the desktop",
          "[lab04][net][seed000][ex3]")
{
    Netlab lab;
    TempDir dir;
    auto s5000 = lab.echo_server("desktop", 5000);
    lab.apply("desktop", dir, "pf-as-written");
    check_dropped(lab.client("friend", router_public, 5000, "hi"),
                  "friend -> 203.0.113.123:5000 with 'in allow tcp to 203.0.113.123 port 5000': the router rewrote "
                  "the destination to 192.168.99.123 (port forwarding), so the rule never matches",
                  router_public + ":5000");
}
