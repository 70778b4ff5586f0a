// Endpoint parsing: what is accepted, and the one-line message for what is not.
// The messages are part of the course: the docs quote them and the programs
// print them, so the tests pin them exactly.
#include "catch.hpp"

#include <string>

#include "netlabs/endpoint.hpp"
#include "netlabs/errors.hpp"

using netlabs::Endpoint;
using netlabs::make_endpoint;
using netlabs::parse_endpoint;
using netlabs::parse_host;
using netlabs::parse_port;
using netlabs::UsageError;

namespace {

// The message parse_host throws for `text`, or "" when it accepts it.
std::string host_error(const std::string& text)
{
    try {
        parse_host(text);
    } catch (const UsageError& error) {
        return error.what();
    }
    return "";
}

} // namespace

TEST_CASE("parse_port accepts 0 to 65535", "[common][endpoint]")
{
    CHECK(parse_port("0") == 0);  // 0 asks the OS for any free port
    CHECK(parse_port("1") == 1);
    CHECK(parse_port("8000") == 8000);
    CHECK(parse_port("65535") == 65535);
}

TEST_CASE("parse_port names the bad port and why", "[common][endpoint]")
{
    CHECK_THROWS_WITH(parse_port(""), "invalid port '': empty");
    CHECK_THROWS_WITH(parse_port("abc"), "invalid port 'abc': not a number");
    CHECK_THROWS_WITH(parse_port("8000x"), "invalid port '8000x': not a number");
    CHECK_THROWS_WITH(parse_port(" 80"), "invalid port ' 80': not a number");
    CHECK_THROWS_WITH(parse_port("80 "), "invalid port '80 ': not a number");
    CHECK_THROWS_WITH(parse_port("+80"), "invalid port '+80': not a number");
    CHECK_THROWS_WITH(parse_port("-1"), "invalid port '-1': must be 0-65535");
    CHECK_THROWS_WITH(parse_port("65536"), "invalid port '65536': must be 0-65535");
    CHECK_THROWS_WITH(parse_port("70000"), "invalid port '70000': must be 0-65535");
    CHECK_THROWS_AS(parse_port("70000"), UsageError);
}

TEST_CASE("parse_port does not overflow on a huge number", "[common][endpoint]")
{
    // A parser that reads into an int first wraps around here, and may even
    // land inside 0-65535 (4294967296 + 80 wraps to 80 in 32 bits).
    CHECK_THROWS_WITH(parse_port("99999999999999999999"),
                      "invalid port '99999999999999999999': must be 0-65535");
    CHECK_THROWS_WITH(parse_port("4294967376"), "invalid port '4294967376': must be 0-65535");
    CHECK_THROWS_WITH(parse_port("18446744073709559616"),
                      "invalid port '18446744073709559616': must be 0-65535");
}

TEST_CASE("a message stays on one line even with a newline in the input", "[common][endpoint]")
{
    CHECK_THROWS_WITH(parse_port("80\n"), "invalid port '80\\x0a': not a number");
}

TEST_CASE("parse_host accepts IPv4, IPv6 and host names unchanged", "[common][endpoint]")
{
    for (const char* host : {"127.0.0.1", "0.0.0.0", "255.255.255.255", "192.168.99.123", "::", "::1",
                             "fe80::1", "fe80::1%eth0", "2001:db8::8:800:200c:417a",
                             "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7::", "::ffff:192.168.1.2",
                             "localhost", "LAB01-Server", "example.com", "example.com.", "a",
                             "xn--bcher-kva.example", "3com.net"}) {
        INFO("parse_host(\"" << host << "\") should accept it and return it unchanged");
        CHECK(parse_host(host) == host);
    }
}

TEST_CASE("parse_host: digits and dots are an IPv4 address, checked strictly", "[common][endpoint]")
{
    CHECK_THROWS_WITH(parse_host("210.10.94.277"),
                      "invalid IPv4 address '210.10.94.277': 277 is more than 255");
    CHECK_THROWS_WITH(parse_host("256.0.0.1"), "invalid IPv4 address '256.0.0.1': 256 is more than 255");
    CHECK_THROWS_WITH(parse_host("1.2.3.99999999999"),
                      "invalid IPv4 address '1.2.3.99999999999': 99999999999 is more than 255");
    CHECK_THROWS_WITH(parse_host("1.2.3"), "invalid IPv4 address '1.2.3': needs 4 numbers, got 3");
    CHECK_THROWS_WITH(parse_host("1.2.3.4.5"), "invalid IPv4 address '1.2.3.4.5': needs 4 numbers, got 5");
    // A port typed where a host belongs is digits only, so an IPv4 attempt.
    CHECK_THROWS_WITH(parse_host("8000"), "invalid IPv4 address '8000': needs 4 numbers, got 1");
    CHECK_THROWS_WITH(parse_host("1.2..3"), "invalid IPv4 address '1.2..3': empty number between dots");
    CHECK_THROWS_WITH(parse_host(".1.2.3"), "invalid IPv4 address '.1.2.3': starts with a dot");
    CHECK_THROWS_WITH(parse_host("1.2.3."), "invalid IPv4 address '1.2.3.': ends with a dot");
    // inet_aton reads 010 as octal 8: say so rather than guess.
    CHECK_THROWS_WITH(parse_host("01.2.3.4"),
                      "invalid IPv4 address '01.2.3.4': leading zero in '01' (some tools read it as octal)");
    CHECK_THROWS_WITH(parse_host("10.0.0.010"),
                      "invalid IPv4 address '10.0.0.010': leading zero in '010' (some tools read it as octal)");
}

TEST_CASE("parse_host: IPv6 addresses say what is wrong", "[common][endpoint]")
{
    CHECK(host_error("1::2::3") == "invalid IPv6 address '1::2::3': '::' may appear only once");
    CHECK(host_error("::g") == "invalid IPv6 address '::g': 'g' is not a hex digit");
    CHECK(host_error("12345::1") == "invalid IPv6 address '12345::1': group '12345' has more than 4 hex digits");
    CHECK(host_error("1:2:3:4:5:6:7") ==
          "invalid IPv6 address '1:2:3:4:5:6:7': needs 8 groups, got 7 (or '::' for a run of zeros)");
    CHECK(host_error("1:2:3:4:5:6:7:8:9") ==
          "invalid IPv6 address '1:2:3:4:5:6:7:8:9': has 9 groups, at most 8 are allowed");
    CHECK(host_error("fe80::1%") ==
          "invalid IPv6 address 'fe80::1%': empty zone after '%' (an interface name such as eth0)");
    CHECK(host_error("::ffff:1.2.3.256") ==
          "invalid IPv6 address '::ffff:1.2.3.256': IPv4 part '1.2.3.256': 256 is more than 255");
    CHECK(host_error("[::1]") ==
          "invalid IPv6 address '[::1]': brackets belong only around an address with a port, e.g. [::1]:8000");
    // Every one of these is something inet_pton rejects too.
    for (const char* bad : {":1", "1:", ":::", "1:::2", "1:2:3:4:5:6:7:8::", "::1.2.3.4:5"}) {
        INFO("parse_host(\"" << bad << "\") should fail as an IPv6 address");
        CHECK(host_error(bad).rfind("invalid IPv6 address '" + std::string(bad) + "': ", 0) == 0);
    }
}

TEST_CASE("parse_host: a host with a port attached is caught", "[common][endpoint]")
{
    CHECK_THROWS_WITH(parse_host("127.0.0.1:8000"),
                      "invalid host '127.0.0.1:8000': a host has no ':PORT' part; give the port separately");
}

TEST_CASE("parse_host: host names follow RFC 1123", "[common][endpoint]")
{
    CHECK_THROWS_WITH(parse_host(""), "invalid host '': empty");
    CHECK_THROWS_WITH(parse_host("a_b"), "invalid host name 'a_b': '_' is not allowed in a host name");
    CHECK_THROWS_WITH(parse_host("my server"), "invalid host name 'my server': ' ' is not allowed in a host name");
    CHECK_THROWS_WITH(parse_host("-lab"), "invalid host name '-lab': label '-lab' starts with '-'");
    CHECK_THROWS_WITH(parse_host("lab-.net"), "invalid host name 'lab-.net': label 'lab-' ends with '-'");
    CHECK_THROWS_WITH(parse_host("a..b"), "invalid host name 'a..b': empty label between dots");
    CHECK_THROWS_WITH(parse_host("caf\xc3\xa9.example"),
                      "invalid host name 'caf\xc3\xa9.example': non-ASCII letters are not allowed in a "
                      "host name (use its xn-- form)");

    std::string label63(63, 'a');
    CHECK(parse_host(label63 + ".example") == label63 + ".example");
    std::string label64(64, 'a');
    CHECK_THROWS_WITH(parse_host(label64),
                      "invalid host name '" + label64 + "': label 'aaaaaaaaaa...' is longer than 63 characters");

    // 4 labels of 63 plus 3 dots = 255 characters: too long; 253 is the limit.
    std::string name253 = label63 + "." + label63 + "." + label63 + "." + std::string(61, 'a');
    REQUIRE(name253.size() == 253);
    CHECK(parse_host(name253) == name253);
    CHECK(parse_host(name253 + ".") == name253 + ".");  // the trailing dot does not count
    std::string name255 = label63 + "." + label63 + "." + label63 + "." + label63;
    CHECK_THROWS_WITH(parse_host(name255),
                      "invalid host name '" + name255 + "': longer than 253 characters (255)");
}

TEST_CASE("parse_endpoint reads HOST:PORT and [IPv6]:PORT", "[common][endpoint]")
{
    CHECK(parse_endpoint("127.0.0.1:8000") == Endpoint{"127.0.0.1", 8000});
    CHECK(parse_endpoint("localhost:8000") == Endpoint{"localhost", 8000});
    CHECK(parse_endpoint("[::1]:8000") == Endpoint{"::1", 8000});
    CHECK(parse_endpoint("[fe80::1%eth0]:80") == Endpoint{"fe80::1%eth0", 80});
    CHECK(parse_endpoint("0.0.0.0:0") == Endpoint{"0.0.0.0", 0});
    CHECK(parse_endpoint("192.168.99.123:65535") == Endpoint{"192.168.99.123", 65535});
}

TEST_CASE("parse_endpoint names the bad part", "[common][endpoint]")
{
    CHECK_THROWS_WITH(parse_endpoint(""), "invalid endpoint '': empty");
    CHECK_THROWS_WITH(parse_endpoint("[::1"), "invalid endpoint '[::1': missing ']'");
    CHECK_THROWS_WITH(parse_endpoint(":8000"), "invalid endpoint ':8000': empty host");
    CHECK_THROWS_WITH(parse_endpoint("[]:8000"), "invalid endpoint '[]:8000': empty host");
    CHECK_THROWS_WITH(parse_endpoint("127.0.0.1"),
                      "invalid endpoint '127.0.0.1': missing ':PORT' (e.g. 127.0.0.1:8000)");
    CHECK_THROWS_WITH(parse_endpoint("localhost"),
                      "invalid endpoint 'localhost': missing ':PORT' (e.g. localhost:8000)");
    CHECK_THROWS_WITH(parse_endpoint("127.0.0.1:"), "invalid endpoint '127.0.0.1:': missing port after ':'");
    CHECK_THROWS_WITH(parse_endpoint("::1:8000"),
                      "invalid endpoint '::1:8000': write an IPv6 address in brackets, e.g. [::1]:8000");
    CHECK_THROWS_WITH(parse_endpoint("fe80::1"),
                      "invalid endpoint 'fe80::1': write an IPv6 address in brackets, e.g. [fe80::1]:8000");
    CHECK_THROWS_WITH(parse_endpoint("[::1]8000"), "invalid endpoint '[::1]8000': missing ':' after ']'");
    CHECK_THROWS_WITH(parse_endpoint("[::1]"),
                      "invalid endpoint '[::1]': missing ':PORT' after ']' (e.g. [::1]:8000)");
    CHECK_THROWS_WITH(parse_endpoint("[127.0.0.1]:80"),
                      "invalid endpoint '[127.0.0.1]:80': brackets are only for IPv6 addresses, e.g. [::1]:8000");
}

TEST_CASE("parse_endpoint passes on the host's or the port's own message", "[common][endpoint]")
{
    CHECK_THROWS_WITH(parse_endpoint("210.10.94.277:8000"),
                      "invalid IPv4 address '210.10.94.277': 277 is more than 255");
    CHECK_THROWS_WITH(parse_endpoint("127.0.0.1:70000"), "invalid port '70000': must be 0-65535");
    CHECK_THROWS_WITH(parse_endpoint("127.0.0.1:-1"), "invalid port '-1': must be 0-65535");
    CHECK_THROWS_WITH(parse_endpoint("[::1]:http"), "invalid port 'http': not a number");
    CHECK_THROWS_WITH(parse_endpoint("[::g]:80"), "invalid IPv6 address '::g': 'g' is not a hex digit");
    CHECK_THROWS_WITH(parse_endpoint("a_b:80"), "invalid host name 'a_b': '_' is not allowed in a host name");
}

TEST_CASE("make_endpoint checks the host and the port given apart", "[common][endpoint]")
{
    CHECK(make_endpoint("127.0.0.1", "8000") == Endpoint{"127.0.0.1", 8000});
    CHECK(make_endpoint("::1", "0") == Endpoint{"::1", 0});
    CHECK_THROWS_WITH(make_endpoint("127.0.0.1", "70000"), "invalid port '70000': must be 0-65535");
    CHECK_THROWS_WITH(make_endpoint("1.2.3", "80"), "invalid IPv4 address '1.2.3': needs 4 numbers, got 3");
    CHECK_THROWS_WITH(make_endpoint("", "80"), "invalid host '': empty");
}

TEST_CASE("Endpoint::to_string puts IPv6 in brackets, and parses back", "[common][endpoint]")
{
    CHECK(Endpoint{"127.0.0.1", 8000}.to_string() == "127.0.0.1:8000");
    CHECK(Endpoint{"::1", 8000}.to_string() == "[::1]:8000");
    CHECK(Endpoint{"localhost", 8000}.to_string() == "localhost:8000");
    CHECK(Endpoint{"fe80::1%eth0", 80}.to_string() == "[fe80::1%eth0]:80");

    for (const Endpoint& endpoint : {Endpoint{"127.0.0.1", 0}, Endpoint{"::1", 65535},
                                     Endpoint{"localhost", 8000}, Endpoint{"fe80::1%eth0", 80},
                                     Endpoint{"::ffff:192.168.1.2", 5000}}) {
        INFO("round trip of " << endpoint.to_string());
        CHECK(parse_endpoint(endpoint.to_string()) == endpoint);
    }
}
