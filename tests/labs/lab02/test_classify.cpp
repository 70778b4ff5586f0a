// lab02-ex3, address classification (lab02-lan/classify.cpp). Doc:
// docs/en/lab02.md, "Which address is mine?".
//
// The edges of each block are where a hand-written
// prefix check goes wrong (172.16/12 is not 172.16/16, 100.64/10 ends at
// 100.127.255.255), so the tests sit on both sides of them.
#include "catch.hpp"

#include <initializer_list>
#include <string>
#include <utility>

#include <asio/ip/address.hpp>

#include "classify.hpp"

using netlabs::lab02::AddressKind;

namespace {

// The kind's name for `text`, so that a failure reads
// "expected private, got public" rather than as enum numbers.
std::string kind_of(const char* text)
{
    return std::string(netlabs::lab02::to_string(netlabs::lab02::classify(asio::ip::make_address(text))));
}

void check_kinds(std::initializer_list<std::pair<const char*, const char*>> cases)
{
    for (const auto& [address, expected] : cases) {
        INFO("classify(" << address << "): expected " << expected);
        CHECK(kind_of(address) == expected);
    }
}

} // namespace

TEST_CASE("IPv4: unspecified, loopback and 0/8", "[lab02][classify][ex3]")
{
    check_kinds({
        {"0.0.0.0", "unspecified"},  // before 0/8: "any address" when binding
        {"0.0.0.1", "reserved"},
        {"0.255.255.255", "reserved"},
        {"1.0.0.0", "public"},
        {"127.0.0.1", "loopback"},
        {"127.255.255.255", "loopback"},
        {"126.255.255.255", "public"},
        {"128.0.0.0", "public"},
    });
}

TEST_CASE("IPv4: private (RFC 1918) and its edges", "[lab02][classify][ex3]")
{
    check_kinds({
        {"9.255.255.255", "public"},
        {"10.0.0.0", "private"},
        {"10.255.255.255", "private"},
        {"11.0.0.0", "public"},
        {"172.15.255.255", "public"},
        {"172.16.0.0", "private"},
        {"172.31.255.255", "private"},  // 172.16/12 runs to 172.31
        {"172.32.0.0", "public"},
        {"192.167.255.255", "public"},
        {"192.168.0.0", "private"},
        {"192.168.99.123", "private"},
        {"192.168.255.255", "private"},
        {"192.169.0.0", "public"},
    });
}

TEST_CASE("IPv4: shared (CGNAT) and link-local", "[lab02][classify][ex3]")
{
    check_kinds({
        {"100.63.255.255", "public"},
        {"100.64.0.0", "shared"},
        {"100.127.255.255", "shared"},  // 100.64/10 runs to 100.127
        {"100.128.0.0", "public"},
        {"169.253.255.255", "public"},
        {"169.254.0.1", "link-local"},
        {"169.254.169.254", "link-local"},
        {"169.255.0.0", "public"},
    });
}

TEST_CASE("IPv4: documentation (RFC 5737), the course's 'public' addresses", "[lab02][classify][ex3]")
{
    check_kinds({
        {"192.0.2.1", "documentation"},
        {"198.51.100.8", "documentation"},
        {"203.0.113.7", "documentation"},
        {"203.0.113.255", "documentation"},
        {"203.0.112.255", "public"},
        {"203.0.114.0", "public"},
        {"198.51.101.0", "public"},
    });
}

TEST_CASE("IPv4: multicast, reserved and public", "[lab02][classify][ex3]")
{
    check_kinds({
        {"223.255.255.255", "public"},
        {"224.0.0.0", "multicast"},
        {"239.255.255.250", "multicast"},
        {"240.0.0.0", "reserved"},
        {"255.255.255.254", "reserved"},
        {"255.255.255.255", "reserved"},
        {"192.0.0.8", "reserved"},
        {"192.0.1.0", "public"},
        {"198.17.255.255", "public"},
        {"198.18.0.0", "reserved"},
        {"198.19.255.255", "reserved"},  // 198.18/15 covers 198.18 and 198.19
        {"198.20.0.0", "public"},
        {"8.8.8.8", "public"},
        {"1.1.1.1", "public"},
        {"111.222.33.123", "public"},  // the seed's server address
    });
}

TEST_CASE("IPv6 blocks", "[lab02][classify][ex3]")
{
    check_kinds({
        {"::", "unspecified"},
        {"::1", "loopback"},
        {"::2", "public"},
        {"fc00::1", "private"},
        {"fd12:3456::1", "private"},
        {"fbff:ffff::1", "public"},
        {"fe00::1", "public"},
        {"fe80::1", "link-local"},
        {"febf:ffff::1", "link-local"},  // fe80::/10 runs to febf
        {"fec0::1", "public"},
        {"2001:db8::1", "documentation"},
        {"2001:db8:ffff::1", "documentation"},
        {"2001:db9::1", "public"},
        {"ff02::1", "multicast"},
        {"2606:4700:4700::1111", "public"},
    });
}

TEST_CASE("IPv4-mapped IPv6 addresses are classified as their IPv4 address", "[lab02][classify][ex3]")
{
    check_kinds({
        {"::ffff:192.168.1.2", "private"},
        {"::ffff:127.0.0.1", "loopback"},
        {"::ffff:203.0.113.7", "documentation"},
        {"::ffff:8.8.8.8", "public"},
        {"::ffff:100.64.0.1", "shared"},
    });
}

TEST_CASE("every kind has a name and a one-line explanation", "[lab02][classify]")
{
    CHECK(netlabs::lab02::to_string(AddressKind::link_local) == "link-local");
    CHECK(netlabs::lab02::to_string(AddressKind::private_) == "private");
    CHECK(netlabs::lab02::to_string(AddressKind::public_) == "public");
    CHECK(netlabs::lab02::explain(AddressKind::private_) ==
          "private (RFC 1918): used inside a LAN, not routed on the internet");
    CHECK(netlabs::lab02::explain(AddressKind::documentation) ==
          "documentation (RFC 5737): reserved for examples, never on the real internet");

    for (auto kind : {AddressKind::unspecified, AddressKind::loopback, AddressKind::private_,
                      AddressKind::shared, AddressKind::link_local, AddressKind::documentation,
                      AddressKind::multicast, AddressKind::reserved, AddressKind::public_}) {
        std::string name(netlabs::lab02::to_string(kind));
        std::string line(netlabs::lab02::explain(kind));
        INFO("kind " << name << ": " << line);
        // The explanation starts with the name, so a learner can match them up.
        CHECK(line.rfind(name, 0) == 0);
        CHECK(line.find('\n') == std::string::npos);
        CHECK(line.size() < 100);
    }
}
