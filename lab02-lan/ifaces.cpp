// lab02-ifaces: this machine's interfaces and addresses, and which one a
// friend on the same LAN should use (seed 001: "find your internal IP"; seed
// 003: "an IP address belongs to an interface").
//
// The seed finds the internal IP with `ipconfig` (Windows) or
// `ifconfig | grep inet` (macOS) and the gateway with `route -n get default`.
// This program asks the kernel itself (getifaddrs, /proc/net/route) and says
// what each address is for:
//
//   lo       127.0.0.1/8          loopback
//   eth0     192.168.99.123/24    private    <- use this one on your LAN
//   default gateway: 192.168.99.1 (via eth0)
#include <iostream>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "classify.hpp"
#include "gateway.hpp"
#include "interfaces.hpp"
#include "lan_address.hpp"
#include "netlabs/cli.hpp"
#include "netlabs/errors.hpp"

using namespace netlabs::lab02;
// Keys in the order written: interfaces first, as in the text output.
using json = nlohmann::ordered_json;

namespace {

struct Options {
    bool as_json = false;
    bool ipv4_only = false;
};

// The same interfaces without their IPv6 addresses, for --ipv4.
std::vector<Interface> only_ipv4(std::vector<Interface> interfaces)
{
    for (auto& i : interfaces) std::erase_if(i.addresses, [](const auto& a) { return !a.address.is_v4(); });
    return interfaces;
}

std::string pad(const std::string& text, std::size_t width)
{
    return text.size() < width ? text + std::string(width - text.size(), ' ') : text + ' ';
}

// One line per address, as `ip -br addr` does; an interface without any
// address gets a line too.
void print_table(const std::vector<Interface>& interfaces, const std::optional<LanAddress>& lan)
{
    std::size_t width = 20, kind_width = 10;  // columns as wide as their widest entry
    for (const auto& i : interfaces)
        for (const auto& a : i.addresses) {
            width = std::max(width, a.to_string().size());
            kind_width = std::max(kind_width, to_string(classify(a.address)).size());
        }
    for (const auto& i : interfaces) {
        const std::string down = i.up ? "" : " (interface down)";
        if (i.addresses.empty()) {
            std::cout << pad(i.name, 9) << pad("-", width + 1) << "no IP address" << down << '\n';
            continue;
        }
        for (const auto& a : i.addresses) {
            std::string kind(to_string(classify(a.address)));
            std::string line = pad(i.name, 9) + pad(a.to_string(), width + 1);
            if (lan && lan->address == &a) line += pad(kind, kind_width + 1) + "<- use this one on your LAN";
            else line += kind;
            std::cout << line << down << '\n';
        }
    }
}

void print_gateway(const std::optional<Gateway>& gateway)
{
    if (gateway)
        std::cout << "default gateway: " << gateway->address.to_string() << " (via " << gateway->interface << ")\n";
    else if (can_read_default_gateway())
        std::cout << "default gateway: none (no default route: this host reaches only the networks it is on)\n";
    else
        std::cout << "default gateway: not read on this system; " << how_to_find_gateway() << '\n';
}

// What each kind of address on this machine means, then the advice.
void print_advice(const std::vector<Interface>& interfaces, const std::optional<LanAddress>& lan)
{
    std::set<AddressKind> seen;
    std::cout << "\nWhat the kinds mean:\n";
    for (const auto& i : interfaces)
        for (const auto& a : i.addresses)
            if (seen.insert(classify(a.address)).second)
                std::cout << "  " << explain(classify(a.address)) << '\n';

    std::cout << '\n';
    if (lan) {
        const auto kind = classify(lan->address->address);
        std::cout << "A friend on the same LAN connects to " << lan->address->address.to_string() << " ("
                  << lan->interface->name << ", " << to_string(kind) << ").\n";
    } else {
        std::cout << "No LAN address here: this machine is on no LAN right now, so a friend cannot reach it;\n"
                     "programs on this machine itself use 127.0.0.1.\n";
    }
    if (seen.count(AddressKind::loopback))
        std::cout << "Not 127.0.0.1 (loopback): it means \"this machine\" on every machine, so on the "
                     "friend's machine it is the friend's own.\n";
    if (seen.count(AddressKind::link_local))
        std::cout << "Not a link-local address (169.254.x.x, fe80::): a host gives itself one when no DHCP "
                     "answered; it works on one link only, and IPv6 ones need the interface too (%eth0).\n";
    if (lan)
        std::cout << "DHCP may move this address tomorrow: run lab02-ifaces again, "
                     "or let lab02-client --discover find the server.\n";
}

json to_json(const std::vector<Interface>& interfaces, const std::optional<LanAddress>& lan,
                       const std::optional<Gateway>& gateway)
{
    json out;
    out["interfaces"] = json::array();
    for (const auto& i : interfaces) {
        json addresses = json::array();
        for (const auto& a : i.addresses) {
            const auto kind = classify(a.address);
            addresses.push_back({
                {"address", a.address.to_string()},
                {"prefix", a.prefix},
                {"family", a.address.is_v4() ? "ipv4" : "ipv6"},
                {"kind", to_string(kind)},
                {"meaning", netlabs::lab02::explain(kind)},
                {"broadcast", a.broadcast ? json(a.broadcast->to_string()) : json()},
                {"use_on_lan", lan && lan->address == &a},
            });
        }
        out["interfaces"].push_back(
            {{"name", i.name}, {"up", i.up}, {"loopback", i.loopback}, {"addresses", addresses}});
    }
    out["lan_address"] = lan ? json{{"interface", lan->interface->name},
                                              {"address", lan->address->address.to_string()}}
                             : json();
    out["default_gateway"] =
        gateway ? json{{"address", gateway->address.to_string()}, {"interface", gateway->interface}}
                : json();
    out["default_gateway_known"] = can_read_default_gateway();
    return out;
}

int run(const Options& opt)
{
    std::vector<Interface> interfaces = list_interfaces();
    if (opt.ipv4_only) interfaces = only_ipv4(std::move(interfaces));
    const std::optional<Gateway> gateway = default_gateway();
    const std::optional<LanAddress> lan = choose_lan_address(interfaces, gateway);

    if (opt.as_json) {
        std::cout << to_json(interfaces, lan, gateway).dump(2) << '\n';
        return netlabs::exit_ok;
    }
    print_table(interfaces, lan);
    print_gateway(gateway);
    print_advice(interfaces, lan);
    return netlabs::exit_ok;
}

} // namespace

int main(int argc, char** argv)
{
    Options opt;
    CLI::App app{"lab02-ifaces: list this machine's interfaces and addresses, say what kind each\n"
                 "address is, which one a friend on your LAN should use, and the default gateway\n"
                 "(like 'ip -br addr', 'ifconfig | grep inet' or 'ipconfig').",
                 "lab02-ifaces"};
    app.add_flag("--json", opt.as_json, "print the same as JSON, for programs");
    app.add_flag("-4,--ipv4", opt.ipv4_only, "show IPv4 addresses only");
    return netlabs::run_main(app, argc, argv, [&] { return run(opt); });
}
