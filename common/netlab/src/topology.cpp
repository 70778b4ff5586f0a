#include "netlabs/netlab/topology.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "netlabs/endpoint.hpp"

namespace netlabs::netlab {
namespace {

std::vector<std::string_view> words_of(std::string_view line)
{
    std::vector<std::string_view> words;
    std::size_t at = 0;
    while (at < line.size()) {
        while (at < line.size() && (line[at] == ' ' || line[at] == '\t' || line[at] == '\r')) ++at;
        std::size_t end = at;
        while (end < line.size() && line[end] != ' ' && line[end] != '\t' && line[end] != '\r') ++end;
        if (end > at) words.push_back(line.substr(at, end - at));
        at = end;
    }
    return words;
}

std::uint32_t mask_of(int prefix)
{
    return prefix == 0 ? 0 : ~std::uint32_t{0} << (32 - prefix);
}

class Parser {
public:
    Parser(const std::string& source, const std::filesystem::path& base_dir)
        : base_dir_(base_dir)
    {
        topology_.source = source;
    }

    void line(std::string_view text, int number)
    {
        line_ = number;
        if (auto hash = text.find('#'); hash != std::string_view::npos) text = text.substr(0, hash);
        const auto words = words_of(text);
        if (words.empty()) return;
        if (words[0] == "network") return network(words);
        if (words[0] == "host") return host(words);
        fail("unknown word '" + std::string(words[0]) + "': a line starts with 'network' or 'host'");
    }

    Topology finish()
    {
        if (topology_.hosts.empty())
            throw TopologyError(topology_.source + ": no hosts: add a line 'host NAME NET=ADDR'");
        return std::move(topology_);
    }

private:
    [[noreturn]] void fail(const std::string& why) const
    {
        throw TopologyError(topology_.source + ":" + std::to_string(line_) + ": " + why);
    }

    // Runs `parse`, turning its UsageError into a file:line error.
    template <typename F>
    auto checked(F parse) const
    {
        try {
            return parse();
        } catch (const TopologyError&) {
            throw;
        } catch (const UsageError& e) {
            fail(e.what());
        }
    }

    void network(const std::vector<std::string_view>& words)
    {
        if (words.size() != 3) fail("expected 'network NAME CIDR', e.g. 'network home 192.168.99.0/24'");
        const std::string name(words[1]);
        if (auto why = name_problem(name, 12); !why.empty()) fail("network name '" + name + "' " + why);
        if (topology_.find_network(name)) fail("network " + name + " is declared twice");
        Network net{name, checked([&] { return parse_cidr(words[2]); })};
        for (const auto& other : topology_.networks) {
            const int shorter = std::min(other.cidr.prefix, net.cidr.prefix);
            if ((other.cidr.network.value & mask_of(shorter)) == (net.cidr.network.value & mask_of(shorter)))
                fail("network " + name + " (" + net.cidr.to_string() + ") overlaps network " + other.name +
                     " (" + other.cidr.to_string() + ")");
        }
        topology_.networks.push_back(std::move(net));
    }

    void host(const std::vector<std::string_view>& words)
    {
        if (words.size() < 3)
            fail("expected 'host NAME NET=ADDR [NET=ADDR...] [gateway=IP] [forward] [nft=FILE]'");
        Host h;
        h.name = std::string(words[1]);
        if (auto why = name_problem(h.name, 15); !why.empty()) fail("host name '" + h.name + "' " + why);
        if (topology_.find_host(h.name)) fail("host " + h.name + " is declared twice");
        const std::size_t index = topology_.hosts.size();

        for (std::size_t i = 2; i < words.size(); ++i) {
            const std::string_view word = words[i];
            if (word == "forward") {
                h.forward = true;
                continue;
            }
            const auto eq = word.find('=');
            if (eq == std::string_view::npos || eq == 0)
                fail("unknown attribute '" + std::string(word) + "' of host " + h.name +
                     ": expected NET=ADDR, gateway=IP, forward or nft=FILE");
            const std::string key(word.substr(0, eq));
            const std::string_view value = word.substr(eq + 1);
            if (key == "gateway") {
                if (h.gateway) fail("host " + h.name + " has two gateways");
                h.gateway = checked([&] { return parse_ipv4(value); });
            } else if (key == "nft") {
                if (value.empty()) fail("nft= needs a file name, e.g. nft=router.nft");
                if (!h.nft.empty()) fail("host " + h.name + " has two nft files");
                h.nft = base_dir_ / std::string(value);
                std::error_code ec;
                if (!std::filesystem::is_regular_file(h.nft, ec))
                    fail("nft file " + std::string(value) + " not found (looked for " + h.nft.string() + ")");
            } else if (const Network* net = topology_.find_network(key)) {
                for (const auto& iface : h.interfaces)
                    if (iface.network == key) fail("host " + h.name + " is on network " + key + " twice");
                Interface iface;
                iface.network = key;
                iface.address = checked([&] { return parse_ipv4(value); });
                iface.prefix = net->cidr.prefix;
                const std::string shown = iface.address.to_string();
                if (!net->cidr.contains(iface.address))
                    fail("address " + shown + " is not in network " + key + " (" + net->cidr.to_string() + ")");
                if (iface.address == net->cidr.network)
                    fail("address " + shown + " is the address of network " + key + " itself: pick a host address");
                if (iface.address == net->cidr.broadcast())
                    fail("address " + shown + " is the broadcast address of network " + key);
                for (const auto& other : topology_.hosts)
                    for (const auto& o : other.interfaces)
                        if (o.address == iface.address)
                            fail("address " + shown + " is already used by host " + other.name);
                const std::size_t n = h.interfaces.size();
                iface.name = "eth" + std::to_string(n);
                iface.outer = "v" + std::to_string(index) + "-" + std::to_string(n);
                h.interfaces.push_back(std::move(iface));
            } else {
                fail("unknown network '" + key + "' for host " + h.name + " (declare it first with 'network " + key +
                     " CIDR'; or did you mean gateway= or nft=?)");
            }
        }
        if (h.interfaces.empty()) fail("host " + h.name + " is on no network: add NET=ADDR");
        if (h.interfaces.size() > 16) fail("host " + h.name + " has more than 16 interfaces");
        if (h.gateway) {
            bool on_link = false;
            for (const auto& iface : h.interfaces) {
                if (iface.address == *h.gateway) fail("gateway " + h.gateway->to_string() + " is host " + h.name + " itself");
                if (topology_.find_network(iface.network)->cidr.contains(*h.gateway)) on_link = true;
            }
            if (!on_link)
                fail("gateway " + h.gateway->to_string() + " is not on any network of host " + h.name);
        }
        if (topology_.hosts.size() >= 100) fail("more than 100 hosts");
        topology_.hosts.push_back(std::move(h));
    }

    Topology topology_;
    std::filesystem::path base_dir_;
    int line_ = 0;
};

} // namespace

std::string Ipv4::to_string() const
{
    return std::to_string(value >> 24) + "." + std::to_string((value >> 16) & 0xff) + "." +
           std::to_string((value >> 8) & 0xff) + "." + std::to_string(value & 0xff);
}

Ipv4 parse_ipv4(std::string_view text)
{
    // parse_host names the bad part ("277 is more than 255"); it also accepts
    // host names and IPv6, which a topology does not.
    const std::string checked = parse_host(text);
    in_addr addr{};
    if (checked.find_first_not_of("0123456789.") != std::string::npos ||
        inet_pton(AF_INET, checked.c_str(), &addr) != 1)
        throw UsageError("invalid IPv4 address '" + checked + "': expected four numbers 0-255, e.g. 192.168.99.1");
    return Ipv4{ntohl(addr.s_addr)};
}

bool Cidr::contains(Ipv4 address) const
{
    return (address.value & mask_of(prefix)) == network.value;
}

Ipv4 Cidr::broadcast() const
{
    return Ipv4{network.value | ~mask_of(prefix)};
}

std::string Cidr::to_string() const
{
    return network.to_string() + "/" + std::to_string(prefix);
}

Cidr parse_cidr(std::string_view text)
{
    const auto slash = text.find('/');
    if (slash == std::string_view::npos)
        throw UsageError("invalid network '" + std::string(text) + "': expected ADDRESS/PREFIX, e.g. 192.168.99.0/24");
    Cidr cidr;
    cidr.network = parse_ipv4(text.substr(0, slash));
    const std::string_view bits = text.substr(slash + 1);
    if (bits.empty() || bits.size() > 2 || bits.find_first_not_of("0123456789") != std::string_view::npos)
        throw UsageError("invalid prefix length '" + std::string(bits) + "' in " + std::string(text) +
                         ": must be a number 8-30");
    cidr.prefix = std::stoi(std::string(bits));
    if (cidr.prefix < 8 || cidr.prefix > 30)
        throw UsageError("invalid prefix length '" + std::string(bits) + "' in " + std::string(text) +
                         ": must be 8-30 (a LAN needs room for two hosts)");
    if ((cidr.network.value & ~mask_of(cidr.prefix)) != 0) {
        Cidr fixed{Ipv4{cidr.network.value & mask_of(cidr.prefix)}, cidr.prefix};
        throw UsageError("invalid network '" + std::string(text) + "': host bits are set (did you mean " +
                         fixed.to_string() + "?)");
    }
    return cidr;
}

const Host* Topology::find_host(std::string_view name) const
{
    for (const auto& h : hosts)
        if (h.name == name) return &h;
    return nullptr;
}

const Network* Topology::find_network(std::string_view name) const
{
    for (const auto& n : networks)
        if (n.name == name) return &n;
    return nullptr;
}

std::string Topology::host_names() const
{
    std::string names;
    for (const auto& h : hosts) names += (names.empty() ? "" : ", ") + h.name;
    return names;
}

std::string name_problem(std::string_view name, std::size_t max)
{
    if (name.empty()) return "is empty";
    if (name.size() > max) return "is longer than " + std::to_string(max) + " characters";
    if (name[0] < 'a' || name[0] > 'z') return "must start with a lower-case letter";
    for (char c : name)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
            return "may hold only a-z, 0-9 and '-'";
    return {};
}

Topology parse_topology(std::string_view text, const std::string& source, const std::filesystem::path& base_dir)
{
    Parser parser(source, base_dir);
    int number = 0;
    std::size_t at = 0;
    while (at <= text.size()) {
        std::size_t end = text.find('\n', at);
        if (end == std::string_view::npos) end = text.size();
        parser.line(text.substr(at, end - at), ++number);
        at = end + 1;
    }
    return parser.finish();
}

Topology load_topology(const std::filesystem::path& file, const std::string& source)
{
    const std::string shown = source.empty() ? file.string() : source;
    std::ifstream in(file);
    if (!in) throw TopologyError("cannot read topology file " + shown + ": " + std::strerror(errno));
    std::ostringstream text;
    text << in.rdbuf();
    return parse_topology(text.str(), shown, file.parent_path());
}

} // namespace netlabs::netlab
