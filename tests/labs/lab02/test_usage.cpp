// Every lab02 program: --help, one clear line with exit 2 for bad input, and
// exit 1 with a hint for a bind that cannot work. Doc: docs/en/lab02.md,
// "When it does not work".
//
// Safety: every case that gets as far as a socket binds on loopback or fails
// before sending anything; announce cases name --announce-to 127.0.0.1.
#include "interfaces.hpp"
#include "support.hpp"

using namespace lab02;

TEST_CASE("every lab02 program explains itself with --help", "[lab02][usage]")
{
    check_help({"lab02-ifaces", "lab02-server", "lab02-client"});
}

TEST_CASE("bad input is refused with exit 2 and one line naming it", "[lab02][usage]")
{
    const std::vector<UsageCase> cases = {
        {{"lab02-server", "--port", "70000"}, "lab02-server: invalid port '70000': must be 0-65535"},
        {{"lab02-server", "--idle-timeout", "-1"},
         "lab02-server: invalid --idle-timeout '-1': must be a number of seconds from 0 to 86400, e.g. 2.5"},
        {{"lab02-server", "--client-timeout", "nan"},
         "lab02-server: invalid --client-timeout 'nan': must be a number of seconds from 0 to 86400, e.g. 2.5"},
        {{"lab02-server", "--bind", "192.168.99.277"},
         "lab02-server: invalid IPv4 address '192.168.99.277': 277 is more than 255"},
        {{"lab02-server", "--bind", "localhost"},
         "lab02-server: invalid --bind 'localhost': give an IP address of this machine (127.0.0.1, 0.0.0.0 or a "
         "LAN address)"},
        {{"lab02-server", "--announce", "--announce-to", "127.0.0.1", "--name", "two words"},
         "lab02-server: invalid --name 'two words': use only letters, digits, '.', '_' and '-' (one word)"},
        {{"lab02-server", "--announce", "--announce-to", "127.0.0.1", "--announce-interval", "0"},
         "lab02-server: invalid --announce-interval '0': must be at least 0.01 seconds"},
        {{"lab02-server", "--announce", "--announce-to", "127.0.0.1", "--announce-interval", "often"},
         "lab02-server: invalid --announce-interval 'often': must be a number of seconds from 0 to 86400, e.g. 2.5"},
        {{"lab02-server", "--announce", "--name", "desk"},
         "lab02-server: --announce needs --announce-to: where the beacons go, e.g. the LAN's broadcast address "
         "(192.168.99.255 on lab02's LAN; lab02-ifaces shows it), or 127.0.0.1"},
        {{"lab02-server", "--announce", "--announce-to", "::1"},
         "lab02-server: invalid --announce-to '::1': give an IPv4 address, e.g. 192.168.99.255 or 127.0.0.1"},
        {{"lab02-server", "--announce", "--announce-to", "127.0.0.1", "--discovery-port", "0"},
         "lab02-server: invalid --discovery-port '0': beacons need a fixed port"},
        {{"lab02-client", "127.0.0.1", "70000", "hi"}, "lab02-client: invalid port '70000': must be 0-65535"},
        {{"lab02-client", "210.10.94.277", "5000", "hi"},
         "lab02-client: invalid IPv4 address '210.10.94.277': 277 is more than 255"},
        {{"lab02-client", "127.0.0.1", "0", "hi"}, "lab02-client: invalid port '0': a client must name the server's port"},
        {{"lab02-client", "127.0.0.1", "5000"}, "lab02-client: missing MESSAGE: give at least one message to send"},
        {{"lab02-client", "127.0.0.1"}, "lab02-client: missing PORT and MESSAGE after '127.0.0.1'"},
        {{"lab02-client"},
         "lab02-client: missing HOST, PORT and MESSAGE: lab02-client HOST PORT MESSAGE..., or lab02-client "
         "--discover MESSAGE..."},
        {{"lab02-client", "--discover"}, "lab02-client: missing MESSAGE: give at least one message to send"},
        {{"lab02-client", "--discover", "--discovery-port", "x", "hi"}, "lab02-client: invalid port 'x': not a number"},
        {{"lab02-client", "--timeout", "soon", "127.0.0.1", "5000", "hi"},
         "lab02-client: invalid --timeout 'soon': must be a number of seconds from 0 to 86400, e.g. 2.5"},
    };
    check_usage_errors(cases);
}

TEST_CASE("an unknown option is a usage error too", "[lab02][usage]")
{
    for (const char* program : {"lab02-ifaces", "lab02-server", "lab02-client"}) {
        const Result r = run({bin(program), "--colour", "blue"});
        INFO(program << "\n" << r.describe());
        CHECK(r.exit_code == 2);
        CHECK_THAT(r.err, match::StartsWith(std::string(program) + ": "));
        CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    }
}

TEST_CASE("binding an address this machine does not have fails with exit 1 and says so", "[lab02][usage][bind][ex1]")
{
    // A documentation address (RFC 5737) that this machine does not have:
    // bind() fails at once; nothing is sent anywhere.
    std::string absent;
    for (const char* candidate : {"198.51.100.254", "203.0.113.254", "192.0.2.254"}) {
        bool here = false;
        for (const auto& i : netlabs::lab02::list_interfaces())
            for (const auto& a : i.addresses) here = here || a.address.to_string() == candidate;
        if (!here) {
            absent = candidate;
            break;
        }
    }
    REQUIRE_FALSE(absent.empty());
    const Result r = run({bin("lab02-server"), "--bind", absent, "--port", "0"});
    INFO(r.describe());
    CHECK(r.exit_code == 1);
    CHECK(r.err == "lab02-server: bind " + absent + ":0: cannot assign requested address (that address is not on "
                   "any interface of this machine; lab02-ifaces lists the addresses it has)\n");
}

TEST_CASE("binding a port another server holds fails with exit 1 and says so", "[lab02][usage][bind][ex1]")
{
    Process first({bin("lab02-server"), "--port", "0"});
    const auto ep = first.wait_listening();
    const Result second = run({bin("lab02-server"), "--port", port_of(ep)});
    INFO(second.describe());
    CHECK(second.exit_code == 1);
    CHECK_THAT(second.err, match::StartsWith("lab02-server: bind 127.0.0.1:" + port_of(ep) + ": address already in use ("));
}
