// Topology: the machines of a lab's virtual network, read from one small text
// file in the lab's folder (the format is in common/netlab/README.md):
//
//   # lab02: a home LAN (seed 001)
//   network home 192.168.99.0/24
//   host router   home=192.168.99.1    forward
//   host laptop   home=192.168.99.10   gateway=192.168.99.1
//
// A `network` is a LAN (a bridge); a `host` is a network namespace with one
// interface (eth0, eth1, ...) per NET=ADDR, in the order given.
//
// Every error is a TopologyError (a UsageError: exit 2) naming file:line and
// the bad part: "lab02-lan/topology.txt:4: address 192.168.98.10 is not in
// network home (192.168.99.0/24)".
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "netlabs/errors.hpp"

namespace netlabs::netlab {

class TopologyError : public UsageError {
public:
    using UsageError::UsageError;
};

// An IPv4 address in host byte order.
struct Ipv4 {
    std::uint32_t value = 0;
    std::string to_string() const;
    friend bool operator==(const Ipv4&, const Ipv4&) = default;
};

// "192.168.99.10" -> Ipv4. Throws UsageError naming the bad part
// ("invalid IPv4 address '192.168.99.277': 277 is more than 255").
Ipv4 parse_ipv4(std::string_view text);

struct Cidr {
    Ipv4 network;
    int prefix = 0;
    bool contains(Ipv4 address) const;
    Ipv4 broadcast() const;
    std::string to_string() const;  // "192.168.99.0/24"
};

// "192.168.99.0/24" -> Cidr. Host bits must be zero.
Cidr parse_cidr(std::string_view text);

struct Network {
    std::string name;  // [a-z][a-z0-9-]{0,11}
    Cidr cidr;
    std::string bridge() const { return "br-" + name; }  // at most 15 characters
};

struct Interface {
    std::string name;     // eth0, eth1 ... inside the host
    std::string outer;    // the veth's other end on the bridge: "v<host>-<if>"
    std::string network;  // a Network's name
    Ipv4 address;
    int prefix = 0;
    std::string address_text() const { return address.to_string() + "/" + std::to_string(prefix); }
};

struct Host {
    std::string name;  // [a-z][a-z0-9-]{0,14}
    std::vector<Interface> interfaces;
    std::optional<Ipv4> gateway;
    bool forward = false;
    std::filesystem::path nft;  // an nftables file to load with `nft -f`, or empty
};

struct Topology {
    std::string source;  // the file as shown in messages
    std::vector<Network> networks;
    std::vector<Host> hosts;

    const Host* find_host(std::string_view name) const;
    const Network* find_network(std::string_view name) const;
    std::string host_names() const;  // "router, desktop, laptop, phone"
};

// Parses the text of a topology file. `source` names it in messages;
// relative nft= paths are taken from `base_dir`, and must exist there.
Topology parse_topology(std::string_view text, const std::string& source,
                        const std::filesystem::path& base_dir);

// Reads and parses `file`; `source` (default: the path) names it in messages.
Topology load_topology(const std::filesystem::path& file, const std::string& source = {});

// Host and network names: [a-z][a-z0-9-]{0,max-1}. Returns why not, or "".
std::string name_problem(std::string_view name, std::size_t max);

} // namespace netlabs::netlab
