// Fuzzes the topology file of the virtual network (common/netlab/src/
// topology.cpp): what `netlabs-net up FILE` reads, and its IPv4 and CIDR
// parsing. Whatever parses is consistent: every interface on a network the
// file declares, with an address inside it; addresses and networks print
// back to text that parses to the same value.
#include <cstdint>
#include <string>

#include "fuzz.hpp"
#include "netlabs/errors.hpp"
#include "netlabs/netlab/topology.hpp"

namespace netlab = netlabs::netlab;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view text = fuzz::text(data, size);
    try {
        // nft=router.nft resolves in lab05-http/, where that file exists.
        const netlab::Topology t =
            netlab::parse_topology(text, "fuzz.txt", std::string(NETLABS_FUZZ_SOURCE_DIR) + "/lab05-http");
        fuzz::check(!t.hosts.empty(), "a topology has a host");
        for (const auto& host : t.hosts) {
            fuzz::check(netlab::name_problem(host.name, 15).empty(), "host names are valid");
            fuzz::check(t.find_host(host.name) == &host, "host names are unique");
            for (const auto& i : host.interfaces) {
                const netlab::Network* n = t.find_network(i.network);
                fuzz::check(n != nullptr, "an interface is on a declared network");
                fuzz::check(n->cidr.contains(i.address), "an interface's address is in its network");
            }
        }
    } catch (const netlabs::UsageError&) {  // TopologyError and the address errors
    }
    if (size < 64) {
        try {
            const netlab::Ipv4 a = netlab::parse_ipv4(text);
            fuzz::check(netlab::parse_ipv4(a.to_string()) == a, "parse_ipv4 round trip");
        } catch (const netlabs::UsageError&) {
        }
        try {
            const netlab::Cidr c = netlab::parse_cidr(text);
            const netlab::Cidr again = netlab::parse_cidr(c.to_string());
            fuzz::check(again.network == c.network && again.prefix == c.prefix, "parse_cidr round trip");
            fuzz::check(c.contains(c.network) && c.contains(c.broadcast()), "a network holds its ends");
        } catch (const netlabs::UsageError&) {
        }
    }
    return 0;
}
