// lab04-sniff: capture packets on an interface, decode them, filter them,
// and write or read pcap files (seed 004, without pcapy).
//
//   lab04-sniff -i eth0 -c 10 tcp port 80        like: tcpdump -n -i eth0 -c 10 tcp port 80
//   lab04-sniff -i eth0 -w web.pcap tcp port 80  then: lab04-sniff -r web.pcap  (or tcpdump -r, Wireshark)
//
// An AF_PACKET socket receives every frame the interface sends or receives,
// as bytes. Opening one needs CAP_NET_RAW: root, or root of a user namespace
// that owns the network namespace, as on the hosts of the virtual network.
#include <cerrno>
#include <csignal>
#include <cstring>
#include <ctime>
#include <iostream>
#include <string>
#include <vector>

#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <poll.h>
#include <sys/inotify.h>
#include <sys/socket.h>
#include <unistd.h>

#include "filter.hpp"
#include "netlabs/cli.hpp"
#include "netlabs/errors.hpp"
#include "packet.hpp"
#include "pcap.hpp"

namespace {

volatile std::sig_atomic_t stop_signal = 0;
void on_signal(int signal) { stop_signal = signal; }

struct Options {
    std::string interface = "any";
    long count = 0;                // 0: until SIGINT
    std::string write_file, read_file;
    bool no_timestamp = false;
    bool seed004 = false;
    std::string wait = "0";
    std::vector<std::string> filter;
};

std::string timestamp(const lab04::Captured& p)
{
    const std::time_t t = p.seconds;
    std::tm tm{};
    ::localtime_r(&t, &tm);
    char text[32];
    std::snprintf(text, sizeof text, "%02d:%02d:%02d.%06u ", tm.tm_hour, tm.tm_min, tm.tm_sec, p.microseconds);
    return text;
}

// What is printed for a frame that passed the filter.
void show(const Options& opt, const lab04::Captured& p, const lab04::Frame& f)
{
    if (opt.seed004) {
        // Seed 004's callback, as the post writes it: only tcp.dport == 80.
        if (f.ipv4 && f.protocol == 6 && f.has_ports && f.destination_port == 80)
            std::cout << "HTTP packet found!\nSource IP: " << lab04::to_string(f.source)
                      << "\nDestination IP: " << lab04::to_string(f.destination) << "\n";
        return;
    }
    std::cout << (opt.no_timestamp ? "" : timestamp(p)) << lab04::describe(f) << "\n";
}

// Waits until `fd` (an inotify descriptor) reports a change, or the deadline.
bool wait_for_change(int fd, std::chrono::steady_clock::time_point deadline)
{
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) return false;
    char buffer[4096];
    (void)!::read(fd, buffer, sizeof buffer);
    return true;
}

int read_file(const Options& opt, const lab04::Filter& filter)
{
    const auto wait = netlabs::parse_seconds(opt.wait, "--wait");
    // With -c N and --wait, a file still being written (a capture running
    // with -w) is followed until it holds N matching packets: inotify says
    // when it grows, so nothing polls on a timer.
    int notify = -1;
    if (wait.count() > 0 && opt.count > 0) {
        notify = ::inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
        if (notify >= 0 && ::inotify_add_watch(notify, opt.read_file.c_str(), IN_MODIFY | IN_CLOSE_WRITE) < 0) {
            ::close(notify);
            notify = -1;
        }
    }
    const auto deadline = std::chrono::steady_clock::now() + wait;
    long shown = 0;
    try {
        lab04::PcapReader reader(opt.read_file);
        while (opt.count == 0 || shown < opt.count) {
            auto p = reader.next();
            if (!p) {
                if (notify < 0 || !wait_for_change(notify, deadline)) break;
                continue;
            }
            const auto f = lab04::decode(p->data);
            if (!filter.matches(f)) continue;
            show(opt, *p, f);
            ++shown;
        }
    } catch (...) {
        if (notify >= 0) ::close(notify);
        throw;
    }
    if (notify >= 0) ::close(notify);
    if (opt.count > 0 && shown < opt.count && wait.count() > 0)
        throw std::runtime_error(opt.read_file + ": " + std::to_string(shown) + " of " + std::to_string(opt.count) +
                                 " packets after " + opt.wait + " s (--wait)");
    return netlabs::exit_ok;
}

int capture(const Options& opt, const lab04::Filter& filter)
{
    unsigned index = 0;
    if (opt.interface != "any") {
        index = ::if_nametoindex(opt.interface.c_str());
        if (index == 0)
            throw netlabs::UsageError("no interface '" + opt.interface + "' on this host (ip -br link lists them)");
    }
    // Protocol 0 first: the socket receives nothing until it is bound to the
    // interface, so no frame of another interface slips in before the bind.
    const int fd = ::socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        const int e = errno;
        throw std::runtime_error(std::string("cannot capture: socket(AF_PACKET): ") + std::strerror(e) +
                                 (e == EPERM ? " (capturing needs CAP_NET_RAW: run it on a host of the virtual "
                                               "network, ./netlabs net exec lab04 desktop -- lab04-sniff ..., or as root)"
                                             : ""));
    }
    sockaddr_ll where{};
    where.sll_family = AF_PACKET;
    where.sll_protocol = htons(ETH_P_ALL);
    where.sll_ifindex = static_cast<int>(index);
    if (::bind(fd, reinterpret_cast<sockaddr*>(&where), sizeof where) != 0) {
        const int e = errno;
        ::close(fd);
        throw std::runtime_error("cannot capture on " + opt.interface + ": bind: " + std::strerror(e));
    }

    std::unique_ptr<lab04::PcapWriter> writer;
    if (!opt.write_file.empty()) writer = std::make_unique<lab04::PcapWriter>(opt.write_file);

    // SIGINT and SIGTERM end the capture; they are let in only while waiting
    // in ppoll, so a signal can never slip between the check and the wait.
    sigset_t blocked, waiting;
    sigemptyset(&blocked);
    sigaddset(&blocked, SIGINT);
    sigaddset(&blocked, SIGTERM);
    ::sigprocmask(SIG_BLOCK, &blocked, &waiting);
    struct sigaction action{};
    action.sa_handler = on_signal;
    ::sigaction(SIGINT, &action, nullptr);
    ::sigaction(SIGTERM, &action, nullptr);

    std::cout << "listening on " << opt.interface << ", link-type EN10MB (Ethernet), snapshot length "
              << lab04::pcap_snaplen << " bytes" << std::endl;
    long captured = 0;
    std::vector<std::uint8_t> buffer(lab04::pcap_snaplen);
    while (stop_signal == 0 && (opt.count == 0 || captured < opt.count)) {
        pollfd p{fd, POLLIN, 0};
        const int ready = ::ppoll(&p, 1, nullptr, &waiting);
        if (ready < 0) {
            if (errno == EINTR) continue;
            throw std::runtime_error(std::string("capture: poll: ") + std::strerror(errno));
        }
        const ssize_t n = ::recv(fd, buffer.data(), buffer.size(), MSG_TRUNC | MSG_DONTWAIT);
        if (n < 0) {
            if (errno == EAGAIN || errno == EINTR) continue;
            throw std::runtime_error(std::string("capture: recv: ") + std::strerror(errno));
        }
        timespec now{};
        ::clock_gettime(CLOCK_REALTIME, &now);
        lab04::Captured packet;
        packet.seconds = static_cast<std::uint32_t>(now.tv_sec);
        packet.microseconds = static_cast<std::uint32_t>(now.tv_nsec / 1000);
        packet.wire_length = static_cast<std::uint32_t>(n);
        packet.data.assign(buffer.begin(), buffer.begin() + std::min<ssize_t>(n, static_cast<ssize_t>(buffer.size())));
        const auto frame = lab04::decode(packet.data);
        if (!filter.matches(frame)) continue;
        ++captured;
        if (writer) writer->write(packet);
        else show(opt, packet, frame);
    }
    ::close(fd);
    std::cerr << captured << (captured == 1 ? " packet" : " packets") << " captured\n";
    return netlabs::exit_ok;
}

} // namespace

int main(int argc, char** argv)
{
    Options opt;
    CLI::App app{"lab04-sniff: capture, decode and filter packets (tcpdump's options and filter words).\n"
                 "  lab04-sniff [-i IFACE] [-c N] [-w FILE] [-t] [FILTER...]\n"
                 "  lab04-sniff -r FILE [-c N [--wait S]] [-t] [FILTER...]\n"
                 "FILTER: [tcp|udp|icmp|ip|arp] [src|dst] [host|net|port] VALUE, with and/or/not and ( ),\n"
                 "        e.g. 'tcp port 80', 'host 192.168.99.123 and not port 22'",
                 "lab04-sniff"};
    app.add_option("-i", opt.interface, "interface to capture on (any: all of this host's)")->capture_default_str();
    app.add_option("-c", opt.count, "stop after N matching packets")->check(CLI::PositiveNumber);
    app.add_option("-w", opt.write_file, "write the packets to a pcap file instead of printing them");
    app.add_option("-r", opt.read_file, "read packets from a pcap file instead of capturing");
    app.add_flag("-t", opt.no_timestamp, "print no timestamps");
    app.add_option("--wait", opt.wait, "with -r and -c N: wait up to S seconds for a file still being written")
        ->capture_default_str();
    app.add_flag("--seed004", opt.seed004, "print as seed 004's callback does: 'HTTP packet found!' for tcp dport 80");
    app.add_option("FILTER", opt.filter, "filter words, e.g. tcp port 80");
    return netlabs::run_main(app, argc, argv, [&]() -> int {
        std::string text;
        for (const auto& w : opt.filter) text += (text.empty() ? "" : " ") + w;
        lab04::Filter filter;
        try {
            filter = lab04::Filter::parse(text);
        } catch (const std::invalid_argument& e) {
            throw netlabs::UsageError("invalid filter '" + text + "': " + e.what());
        }
        if (!opt.read_file.empty() && !opt.write_file.empty())
            throw netlabs::UsageError("-r and -w together: read a file or capture into one, not both");
        if (!opt.read_file.empty()) return read_file(opt, filter);
        return capture(opt, filter);
    });
}
