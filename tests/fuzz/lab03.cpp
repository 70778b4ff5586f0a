// Fuzzes lab03's readers (lab03-port-forward/): the port-forwarding table
// (port_forward.cpp, lab03-ex1) and the nftables rules made from it
// (nftables.cpp, lab03-ex2), lab03-forward's 8080:2988 specs (forward_spec.cpp),
// and --explain's packets (explain.cpp, lab03-ex3). The first byte chooses.
// A row prints back to a row that parses the same; every rule made for `nft -f`
// is one line whose only quotes are its comment's.
#include <algorithm>
#include <cstdint>
#include <sstream>
#include <string>

#include "explain.hpp"
#include "forward_spec.hpp"
#include "fuzz.hpp"
#include "netlabs/errors.hpp"
#include "netlabs/not_implemented.hpp"
#include "nftables.hpp"
#include "port_forward.hpp"

namespace pf = netlabs::lab03;

namespace {

void check_table(const pf::Table& table, const pf::Lan& lan)
{
    for (const auto& row : table.rows) {
        const pf::PortForward again = pf::parse_row(row.to_string(), lan);
        fuzz::check(again.to_string() == row.to_string(), "a row prints back to the same row");
        fuzz::check(row.service.size() == row.internal.size(), "service and internal ranges have one length");
        for (const auto& rule : pf::dnat_rules(row)) {
            fuzz::check(rule.find('\n') == std::string::npos, "an nft rule is one line");
            fuzz::check(std::count(rule.begin(), rule.end(), '"') == 2, "an nft rule's only quotes are its comment's");
        }
    }
    pf::Router router;
    router.lan = lan;
    (void)pf::ruleset(table, router, "fuzz.txt");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::uint8_t mode = fuzz::take_byte(data, size);
    const std::string_view text = fuzz::text(data, size);
    try {
        switch (mode % 4) {
        case 0: {
            std::istringstream in{std::string(text)};
            const pf::Lan lan;
            check_table(pf::read_table(in, "fuzz.txt", lan), lan);
            break;
        }
        case 1: {
            const auto nl = text.find('\n');
            if (nl == std::string_view::npos) return 0;
            const pf::Lan lan = pf::parse_lan(text.substr(0, nl));  // a LAN, then the table
            fuzz::check(pf::parse_lan(lan.to_string()).to_string() == lan.to_string(), "parse_lan round trip");
            std::istringstream in{std::string(text.substr(nl + 1))};
            check_table(pf::read_table(in, "fuzz.txt", lan), lan);
            break;
        }
        case 2: {
            const pf::Packet packet = pf::parse_packet(text);
            fuzz::check(pf::parse_packet(packet.to_string()) == packet, "parse_packet round trip");
            std::istringstream in{"5000-5000 TCP 192.168.99.123 5000 lab02 server\n6000-6010 UDP 192.168.99.10 7000-7010\n"};
            const pf::Table table = pf::read_table(in, "seed.txt", pf::Lan{});
            for (bool reflection : {false, true}) {
                pf::Router router;
                router.reflection = reflection;
                (void)pf::explain(pf::decide(table, router, packet), packet, router);
            }
            break;
        }
        default:
            try {
                (void)lab03::parse_forward(text);
            } catch (const netlabs::UsageError&) {
            }
            try {
                (void)lab03::parse_listen(text);
            } catch (const netlabs::UsageError&) {
            }
            (void)lab03::parse_target(text);
            break;
        }
    } catch (const netlabs::UsageError&) {
    } catch (const netlabs::NotImplemented&) {  // the student edition's stubs
    }
    return 0;
}
