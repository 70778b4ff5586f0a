// Fuzzes lab02's readers of outside input (lab02-lan/): the discovery beacon,
// a UDP datagram anyone on the LAN may send (discovery.cpp, lab02-ex2), and
// the routing table in /proc/net/route (gateway.cpp). The first byte chooses.
// A beacon that parses is a valid one, and encodes back to a datagram that
// parses to the same beacon.
#include <cstdint>
#include <string>

#include "discovery.hpp"
#include "fuzz.hpp"
#include "gateway.hpp"
#include "netlabs/errors.hpp"
#include "netlabs/not_implemented.hpp"

namespace lab02 = netlabs::lab02;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::uint8_t mode = fuzz::take_byte(data, size);
    const std::string_view text = fuzz::text(data, size);
    try {
        if (mode % 2 == 0) {
            if (const auto beacon = lab02::parse_beacon(text)) {
                fuzz::check(beacon->port != 0, "a beacon's port is 1-65535");
                fuzz::check(lab02::check_server_name(beacon->name) == beacon->name, "a beacon's name is valid");
                fuzz::check(lab02::parse_beacon(lab02::encode_beacon(*beacon)) == beacon, "beacon round trip");
            }
            try {
                (void)lab02::check_server_name(text);
            } catch (const netlabs::UsageError&) {
            }
        } else {
            if (const auto gateway = lab02::parse_default_gateway(text))
                fuzz::check(!gateway->interface.empty(), "a default route names its interface");
        }
    } catch (const netlabs::NotImplemented&) {  // the student edition's stub
    }
    return 0;
}
