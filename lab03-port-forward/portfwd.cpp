// lab03-portfwd: the router's port-forwarding page, as a program (seed 001).
//
// A table in the page's own columns, one forward a line:
//
//   # service port  protocol  internal IP      port  description
//   5000-5000       TCP       192.168.99.123   5000  lab02 server
//
//   lab03-portfwd forwards.txt                 the nftables ruleset a router loads (nft -f)
//   lab03-portfwd forwards.txt --add "5000 TCP 192.168.99.123 5000 web"
//                                              the page's "add" button: check the row, append it
//   lab03-portfwd forwards.txt --explain "198.51.100.8:40000 -> 203.0.113.123:5000/tcp"
//                                              what the router does to one packet
//
// Every mistake in the table is one line, "forwards.txt:3: what is wrong",
// and exit 2: a router page that refuses a bad row is kinder than a forward
// that silently goes nowhere.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <regex>
#include <sstream>

#include "explain.hpp"
#include "netlabs/cli.hpp"
#include "netlabs/errors.hpp"
#include "nftables.hpp"
#include "port_forward.hpp"

using namespace netlabs::lab03;

namespace {

struct Options {
    std::string table;
    std::string add;
    std::string explain;
    std::string output;
    std::string lan = "192.168.99.0/24";
    std::string lan_ip = "192.168.99.1";
    std::string lan_if = "eth0";
    std::string wan_if = "eth1";
    std::string wan_ip = "203.0.113.123";
    bool reflection = false;
};

asio::ip::address_v4 parse_v4(const std::string& text, const std::string& option)
{
    std::error_code ec;
    const auto address = asio::ip::make_address_v4(text, ec);
    if (ec) throw netlabs::UsageError("invalid " + option + " '" + text + "': must be an IPv4 address");
    return address;
}

std::string check_interface(const std::string& name, const std::string& option)
{
    static const std::regex valid("[A-Za-z0-9._-]{1,15}");
    if (!std::regex_match(name, valid))
        throw netlabs::UsageError("invalid " + option + " '" + name + "': an interface name, e.g. eth0 (at most 15 characters)");
    return name;
}

Router make_router(const Options& opt)
{
    Router r;
    r.lan = parse_lan(opt.lan);
    r.lan_ip = parse_v4(opt.lan_ip, "--lan-ip");
    if (!r.lan.is_host(r.lan_ip))
        throw netlabs::UsageError("invalid --lan-ip '" + opt.lan_ip + "': not a host of the LAN " + r.lan.to_string());
    r.wan_ip = parse_v4(opt.wan_ip, "--wan-ip");
    if (r.lan.contains(r.wan_ip))
        throw netlabs::UsageError("invalid --wan-ip '" + opt.wan_ip + "': it is in the LAN " + r.lan.to_string());
    r.lan_if = check_interface(opt.lan_if, "--lan-if");
    r.wan_if = check_interface(opt.wan_if, "--wan-if");
    if (r.lan_if == r.wan_if) throw netlabs::UsageError("invalid --wan-if '" + opt.wan_if + "': the same as --lan-if");
    r.reflection = opt.reflection;
    return r;
}

void print_warnings(const Table& table)
{
    for (const auto& w : table.warnings) std::cerr << "lab03-portfwd: " << w << std::endl;
}

// The "add" button: the row is checked against the table as it is, then appended.
int add_row(const Options& opt, const Router& router)
{
    const bool exists = std::filesystem::exists(opt.table);
    std::string text;
    if (exists) {
        std::ifstream in(opt.table);
        std::ostringstream all;
        all << in.rdbuf();
        text = all.str();
        if (!text.empty() && text.back() != '\n') text += '\n';
    } else {
        text = "# service port  protocol  internal IP  internal port  description\n";
    }
    if (opt.add.find('\n') != std::string::npos || opt.add.find('#') != std::string::npos)
        throw netlabs::UsageError("invalid --add '" + opt.add + "': one row, without '#' or a newline");
    text += opt.add + '\n';
    std::istringstream check(text);
    const Table table = read_table(check, opt.table, router.lan);  // the new row's errors carry its line number
    std::ofstream out(opt.table, std::ios::app);
    if (!exists) out << "# service port  protocol  internal IP  internal port  description\n";
    out << opt.add << '\n';
    out.close();
    if (!out) throw std::runtime_error("cannot write " + opt.table);
    const PortForward& row = table.rows.back();
    std::cout << opt.table << ':' << row.line << ": added " << row.to_string() << std::endl;
    if (!table.warnings.empty() && table.warnings.back().starts_with(opt.table + ":" + std::to_string(row.line) + ":"))
        std::cerr << "lab03-portfwd: " << table.warnings.back() << std::endl;
    return netlabs::exit_ok;
}

int run(const Options& opt)
{
    const Router router = make_router(opt);
    if (!opt.add.empty()) {
        if (!opt.explain.empty() || !opt.output.empty())
            throw netlabs::UsageError("--add changes the table only: run --explain or --output after it");
        return add_row(opt, router);
    }
    const Table table = read_table_file(opt.table, router.lan);
    if (!opt.explain.empty()) {
        const Packet packet = parse_packet(opt.explain);
        std::cout << explain(decide(table, router, packet), packet, router) << std::flush;
        return netlabs::exit_ok;
    }
    print_warnings(table);
    const std::string rules = ruleset(table, router, std::filesystem::path(opt.table).filename().string());
    if (opt.output.empty()) {
        std::cout << rules << std::flush;
        return netlabs::exit_ok;
    }
    std::ofstream out(opt.output);
    out << rules;
    out.close();
    if (!out) throw std::runtime_error("cannot write " + opt.output);
    const auto n = table.rows.size();
    std::cout << "wrote " << opt.output << ": " << n << (n == 1 ? " forward" : " forwards")
              << (router.reflection ? " with reflection" : "") << "; load it on the router with: nft -f "
              << opt.output << std::endl;
    return netlabs::exit_ok;
}

} // namespace

int main(int argc, char** argv)
{
    Options opt;
    CLI::App app{"lab03-portfwd: the router's port-forwarding page as a program. Reads a table in the page's\n"
                 "columns (SERVICE-PORT[-LAST] TCP|UDP|TCP+UDP INTERNAL-IP INTERNAL-PORT [DESCRIPTION], '#'\n"
                 "comments), checks it, and prints the nftables ruleset a router loads (OpenWrt fw4 shape).",
                 "lab03-portfwd"};
    app.add_option("table", opt.table, "the table file, e.g. forwards.txt")->required();
    app.add_option("--add", opt.add, "check one row and append it to the table (the page's 'add' button)");
    app.add_option("--explain", opt.explain,
                   "what happens to one packet: 'SRC:PORT -> DST:PORT/tcp', e.g. "
                   "'198.51.100.8:40000 -> 203.0.113.123:5000/tcp'");
    app.add_option("-o,--output", opt.output, "write the ruleset to this file instead of printing it");
    app.add_option("--lan", opt.lan, "the LAN; internal IPs must be in it")->capture_default_str();
    app.add_option("--lan-ip", opt.lan_ip, "the router's LAN address")->capture_default_str();
    app.add_option("--lan-if", opt.lan_if, "the router's LAN interface")->capture_default_str();
    app.add_option("--wan-if", opt.wan_if, "the router's WAN interface")->capture_default_str();
    app.add_option("--wan-ip", opt.wan_ip, "the router's public (WAN) address")->capture_default_str();
    app.add_flag("--reflection", opt.reflection,
                 "NAT reflection (hairpin): the LAN may use the public address too");
    return netlabs::run_main(app, argc, argv, [&] { return run(opt); });
}
