// lab03-forward's command line: --help, the LISTEN:TARGET forms, and one
// clear line with exit 2 for each bad value.
// Doc: docs/en/lab03.md, "A forwarder in userspace"; code: lab03-port-forward/forward_spec.cpp.
#include "forward_spec.hpp"
#include "netlabs/errors.hpp"
#include "test_forward_support.hpp"

using namespace fwd;

TEST_CASE("lab03-forward explains itself with --help", "[lab03][forward][usage]")
{
    check_help({"lab03-forward"});
}

TEST_CASE("LISTEN:TARGET: seed 003's 8080:2988 and the longer forms", "[lab03][forward][usage]")
{
    using netlabs::Endpoint;
    struct Case {
        std::string text;
        Endpoint listen, target;
    };
    const std::vector<Case> cases = {
        {"8080:2988", {"0.0.0.0", 8080}, {"127.0.0.1", 2988}},
        {"5000:192.168.99.123:5000", {"0.0.0.0", 5000}, {"192.168.99.123", 5000}},
        {"127.0.0.1:0:127.0.0.1:2988", {"127.0.0.1", 0}, {"127.0.0.1", 2988}},
        {"[::1]:8080:[::1]:2988", {"::1", 8080}, {"::1", 2988}},
        {"8080:localhost:2988", {"0.0.0.0", 8080}, {"localhost", 2988}},
    };
    for (const auto& c : cases) {
        INFO("parse_forward(\"" << c.text << "\"); where to look: lab03-port-forward/forward_spec.cpp");
        const lab03::ForwardSpec spec = lab03::parse_forward(c.text);
        CHECK(spec.listen.to_string() == c.listen.to_string());
        CHECK(spec.target.to_string() == c.target.to_string());
    }
    CHECK(lab03::parse_listen("5000").to_string() == "0.0.0.0:5000");
    CHECK(lab03::parse_target("2988").to_string() == "127.0.0.1:2988");
    CHECK(lab03::parse_target("192.168.99.123:5000").to_string() == "192.168.99.123:5000");
}

TEST_CASE("bad forwards and options are refused with exit 2 and one line naming them", "[lab03][forward][usage]")
{
    const std::string p = "lab03-forward: ";
    const std::string forms = "(e.g. 8080:2988, 8080:192.168.99.123:5000 or 127.0.0.1:8080:127.0.0.1:2988";
    const std::vector<UsageCase> cases = {
        {{"lab03-forward", "8080:70000"}, p + "invalid port '70000': must be 0-65535"},
        {{"lab03-forward", "abc:2988"}, p + "invalid port 'abc': not a number"},
        {{"lab03-forward", "8080:0"}, p + "invalid target port '0': the target must be a real port, 1-65535"},
        {{"lab03-forward", "8080"}, p + "invalid forward '8080': missing ':TARGET' " + forms + ")"},
        {{"lab03-forward", "1:2:3:4:5"},
         p + "invalid forward '1:2:3:4:5': expected LISTEN:TARGET with 2 to 4 fields, got 5 " + forms +
             "; an IPv6 address goes in brackets)"},
        {{"lab03-forward", "210.10.94.277:8080:127.0.0.1:2988"},
         p + "invalid IPv4 address '210.10.94.277': 277 is more than 255"},
        {{"lab03-forward", "localhost:8080:127.0.0.1:2988"},
         p + "invalid listen address 'localhost': give an IP address to bind, e.g. 0.0.0.0 or 127.0.0.1"},
        {{"lab03-forward", "8080:bad_host:2988"}, p + "invalid host name 'bad_host': '_' is not allowed in a host name"},
        {{"lab03-forward"}, p + "missing what to forward: give LISTEN:TARGET (e.g. 8080:2988) or --listen and --to"},
        {{"lab03-forward", "--listen", "5000"}, p + "missing --to: where should --listen 5000 relay to?"},
        {{"lab03-forward", "--to", "5000"}, p + "missing --listen: which port should relay to 5000?"},
        {{"lab03-forward", "8080:2988", "--to", "5000"},
         p + "invalid forward '8080:2988': give LISTEN:TARGET or --listen and --to, not both"},
        {{"lab03-forward", "--listen", "0.0.0.0:99999", "--to", "5000"}, p + "invalid port '99999': must be 0-65535"},
        {{"lab03-forward", "--listen", "5000", "--to", "1:2:3"},
         p + "invalid --to '1:2:3': expected PORT or HOST:PORT, e.g. 192.168.99.123:5000 (an IPv6 address goes in brackets)"},
        {{"lab03-forward", "8080:2988", "--max-connections", "0"},
         p + "invalid --max-connections '0': must be a whole number from 1 to 100000"},
        {{"lab03-forward", "8080:2988", "--connect-timeout", "soon"},
         p + "invalid --connect-timeout 'soon': must be a number of seconds from 0 to 86400, e.g. 2.5"},
        {{"lab03-forward", "8080:2988", "--threads", "0"},
         p + "invalid --threads '0': must be a whole number from 1 to 100000"},
        {{"lab03-forward", "8080:2988", "--threads", "65"}, p + "invalid --threads '65': must be 1-64"},
        {{"lab03-forward", "8080:2988", "--udp", "--threads", "2"},
         p + "invalid --threads '2': --udp runs on one thread"},
        {{"lab03-forward", "8080:2988", "--udp", "--splice"}, p + "invalid --splice: it is for TCP, not --udp"},
        {{"lab03-forward", "8080:2988", "--udp", "--udp-idle", "-1"},
         p + "invalid --udp-idle '-1': must be a number of seconds from 0 to 86400, e.g. 2.5"},
    };
    check_usage_errors(cases);
}
