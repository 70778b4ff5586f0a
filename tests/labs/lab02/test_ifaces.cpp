// lab02-ifaces on this machine: every interface and address, what kind each
// is, the one for the LAN, the default gateway. Doc: docs/en/lab02.md, "Your
// addresses". (The lab's own LAN, with known addresses: test_lan.cpp.)
#include <regex>
#include <sstream>

#include <nlohmann/json.hpp>

#include "support.hpp"

using namespace lab02;

namespace {

std::vector<std::string> lines_of(const std::string& text)
{
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

} // namespace

TEST_CASE("lab02-ifaces lists lo with 127.0.0.1/8 as loopback", "[lab02][ifaces][ex3]")
{
    const Result r = run({bin("lab02-ifaces")});
    INFO(r.describe());
    REQUIRE(r.exit_code == 0);
    CHECK(r.err.empty());
    bool found = false;
    for (const auto& line : lines_of(r.out))
        found = found || std::regex_match(line, std::regex("lo\\s+127\\.0\\.0\\.1/8\\s+loopback"));
    INFO("expected a line 'lo  127.0.0.1/8  loopback', as 'ip -br addr' shows it");
    CHECK(found);
    CHECK_THAT(r.out, match::Contains("\n  loopback: this machine only; packets never leave it\n"));
    CHECK_THAT(r.out, match::Contains("\nNot 127.0.0.1 (loopback): "));
}

TEST_CASE("lab02-ifaces gives one gateway line, and a gateway it gives is real", "[lab02][ifaces][ex3]")
{
    const Result r = run({bin("lab02-ifaces")});
    INFO(r.describe());
    REQUIRE(r.exit_code == 0);
    std::vector<std::string> gateway_lines;
    for (const auto& line : lines_of(r.out))
        if (line.rfind("default gateway: ", 0) == 0) gateway_lines.push_back(line);
    REQUIRE(gateway_lines.size() == 1);
    const std::string& line = gateway_lines.front();
    if (line.rfind("default gateway: none (", 0) == 0) return;  // a machine without a default route

    std::smatch m;
    REQUIRE(std::regex_match(line, m, std::regex("default gateway: (\\d+\\.\\d+\\.\\d+\\.\\d+) \\(via (\\S+)\\)")));
    asio::error_code ec;
    const auto gateway = asio::ip::make_address_v4(m[1].str(), ec);
    CHECK_FALSE(ec);
    CHECK_FALSE(gateway.is_loopback());
    INFO("the gateway's interface " << m[2] << " must be one of the interfaces listed");
    CHECK_THAT(r.out, match::Contains("\n" + m[2].str() + " "));
}

TEST_CASE("lab02-ifaces --json is JSON with the same facts", "[lab02][ifaces][json][ex3]")
{
    const Result r = run({bin("lab02-ifaces"), "--json"});
    INFO(r.describe());
    REQUIRE(r.exit_code == 0);
    nlohmann::json doc;
    REQUIRE_NOTHROW(doc = nlohmann::json::parse(r.out));
    REQUIRE(doc["interfaces"].is_array());

    bool loopback_found = false;
    int marked = 0;
    for (const auto& i : doc["interfaces"]) {
        CHECK(i["name"].is_string());
        CHECK(i["up"].is_boolean());
        for (const auto& a : i["addresses"]) {
            CHECK((a["family"] == "ipv4" || a["family"] == "ipv6"));
            CHECK(a["kind"].is_string());
            CHECK(a["meaning"].is_string());
            if (a["address"] == "127.0.0.1") {
                loopback_found = true;
                CHECK(a["kind"] == "loopback");
                CHECK(a["prefix"] == 8);
            }
            if (a["use_on_lan"] == true) {
                ++marked;
                CHECK(doc["lan_address"]["address"] == a["address"]);
                CHECK(doc["lan_address"]["interface"] == i["name"]);
            }
        }
    }
    CHECK(loopback_found);
    CHECK(marked == (doc["lan_address"].is_null() ? 0 : 1));
    CHECK((doc["default_gateway"].is_null() || doc["default_gateway"]["address"].is_string()));

    INFO("the text output recommends the same address as the JSON");
    const Result text = run({bin("lab02-ifaces")});
    if (doc["lan_address"].is_null()) {
        CHECK_THAT(text.out, match::Contains("No LAN address here"));
    } else {
        const std::string address = doc["lan_address"]["address"];
        CHECK_THAT(text.out, match::Contains("A friend on the same LAN connects to " + address + " ("));
    }
}

TEST_CASE("lab02-ifaces --ipv4 shows no IPv6 address", "[lab02][ifaces][ex3]")
{
    const Result r = run({bin("lab02-ifaces"), "--ipv4"});
    INFO(r.describe());
    REQUIRE(r.exit_code == 0);
    for (const auto& line : lines_of(r.out)) {
        if (line.empty()) break;  // the table ends at the first blank line
        INFO("line: " << line);
        CHECK(line.find("::") == std::string::npos);
    }
}
