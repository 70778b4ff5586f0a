// Every lab01 program: --help, and one clear line with exit 2 for bad input.
// Doc: docs/en/lab01.md, "When it does not work".
#include "support.hpp"

using namespace lab01;

TEST_CASE("every lab01 program explains itself with --help", "[lab01][usage]")
{
    check_help({"lab01-server", "lab01-client", "lab01-echo-async", "lab01-udp"});
}

TEST_CASE("bad input is refused with exit 2 and one line naming it", "[lab01][usage]")
{
    const std::vector<UsageCase> cases = {
        {{"lab01-client", "--port", "70000"}, "lab01-client: invalid port '70000': must be 0-65535"},
        {{"lab01-client", "--port", "-1"}, "lab01-client: invalid port '-1': must be 0-65535"},
        {{"lab01-client", "--port", "abc"}, "lab01-client: invalid port 'abc': not a number"},
        {{"lab01-client", "--host", "210.10.94.277"},
         "lab01-client: invalid IPv4 address '210.10.94.277': 277 is more than 255"},
        {{"lab01-client", "--port", "0"}, "lab01-client: invalid port '0': a client must name the server's port"},
        {{"lab01-client", "--timeout", "soon"},
         "lab01-client: invalid --timeout 'soon': must be a number of seconds from 0 to 86400, e.g. 2.5"},
        {{"lab01-client", "--framing", "xml"}, "lab01-client: invalid framing 'xml': must be none, line or length"},
        {{"lab01-server", "--port", "65536"}, "lab01-server: invalid port '65536': must be 0-65535"},
        {{"lab01-server", "--host", ""}, "lab01-server: invalid host '': empty"},
        {{"lab01-server", "--backlog", "0"}, "lab01-server: invalid --backlog '0': must be 1-4096"},
        {{"lab01-server", "--backlog", "abc"}, "lab01-server: invalid --backlog 'abc': must be a whole number"},
        {{"lab01-echo-async", "--port", "99999"}, "lab01-echo-async: invalid port '99999': must be 0-65535"},
        {{"lab01-udp", "client", "--port", "x1"}, "lab01-udp: invalid port 'x1': not a number"},
        // Checked before any socket: ClosedTcpPort is not needed, nothing connects.
        {{"lab01-client", "--repeat", "-1"}, "lab01-client: invalid --repeat '-1': must be a whole number from 1 to 16777216"},
        {{"lab01-client", "--repeat", "16777217"},
         "lab01-client: invalid --repeat '16777217': must be a whole number from 1 to 16777216"},
        {{"lab01-client", "--pieces", "0"}, "lab01-client: invalid --pieces '0': must be a whole number from 1 to 1000"},
        {{"lab01-client", "--framing", "line", "two\nlines"},
         "lab01-client: invalid message for --framing line: a line-framed message cannot contain a newline"},
        {{"lab01-server", "--client-timeout", "-1"},
         "lab01-server: invalid --client-timeout '-1': must be a number of seconds from 0 to 86400, e.g. 2.5"},
        {{"lab01-echo-async", "--idle-timeout", "nan"},
         "lab01-echo-async: invalid --idle-timeout 'nan': must be a number of seconds from 0 to 86400, e.g. 2.5"},
        {{"lab01-echo-async", "--client-timeout", "x"},
         "lab01-echo-async: invalid --client-timeout 'x': must be a number of seconds from 0 to 86400, e.g. 2.5"},
        // An unknown option before the subcommand is named, not "A subcommand is required".
        {{"lab01-udp", "--bogus"}, "lab01-udp: unknown option '--bogus' (see --help)"},
        {{"lab01-udp", "bogus"}, "lab01-udp: unknown subcommand 'bogus' (see --help)"},
    };
    check_usage_errors(cases);
}

TEST_CASE("an unknown option is a usage error too", "[lab01][usage]")
{
    const Result r = run({bin("lab01-server"), "--colour", "blue"});
    INFO(r.describe());
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, match::StartsWith("lab01-server: "));
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
}
