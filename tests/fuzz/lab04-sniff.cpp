// Fuzzes lab04-sniff's readers (lab04-firewall/): captured frames, which any
// host on the wire writes (packet.cpp, lab04-ex4), the tcpdump-style filter
// language (filter.cpp), and pcap files (pcap.cpp). The first byte chooses.
// A decoded frame never claims more than it holds; a pcap record is never
// longer than the snap length nor than the packet on the wire.
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "filter.hpp"
#include "fuzz.hpp"
#include "netlabs/not_implemented.hpp"
#include "packet.hpp"
#include "pcap.hpp"

namespace {

// A TCP SYN from 198.51.100.8:40000 to 192.168.99.123:5000, in an Ethernet frame.
const std::vector<std::uint8_t> syn = {
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0x08, 0x00,                                           // Ethernet
    0x45, 0, 0, 40, 0, 1, 0, 0, 64, 6, 0, 0, 198, 51, 100, 8, 192, 168, 99, 123,                 // IPv4
    0x9c, 0x40, 0x13, 0x88, 0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x02, 0xff, 0xff, 0, 0, 0, 0};          // TCP

void check_frame(std::span<const std::uint8_t> bytes)
{
    const lab04::Frame f = lab04::decode(bytes);
    fuzz::check(f.length == bytes.size(), "a frame's length is its bytes");
    fuzz::check(f.payload <= bytes.size() || f.truncated, "a whole frame's payload is within it");
    (void)lab04::describe(f);
    static const lab04::Filter filters[] = {lab04::Filter::parse("tcp port 5000"),
                                            lab04::Filter::parse("icmp or (udp and not port 53)"),
                                            lab04::Filter::parse("src net 198.51.100.0/24 && dst host 192.168.99.123")};
    for (const auto& filter : filters) (void)filter.matches(f);
}

void read_pcap(std::span<const std::uint8_t> bytes)
{
    const int fd = ::memfd_create("fuzz.pcap", 0);
    if (fd < 0) return;
    if (::write(fd, bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size())) {
        try {
            lab04::PcapReader reader("/proc/self/fd/" + std::to_string(fd));
            for (int i = 0; i < 1000; ++i) {
                const auto packet = reader.next();
                if (!packet) break;
                fuzz::check(packet->data.size() <= lab04::pcap_snaplen, "a record within the snap length");
                fuzz::check(packet->wire_length >= packet->data.size(), "a record keeps no more than was on the wire");
                check_frame(packet->data);
            }
        } catch (const std::runtime_error&) {
        }
    }
    ::close(fd);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::uint8_t mode = fuzz::take_byte(data, size);
    const std::span<const std::uint8_t> bytes(data, size);
    try {
        switch (mode % 3) {
        case 0: {
            const lab04::Filter filter = lab04::Filter::parse(fuzz::text(data, size));
            (void)filter.matches(lab04::decode(syn));
            (void)filter.matches(lab04::decode(std::span(syn).first(20)));
            break;
        }
        case 1:
            check_frame(bytes);
            break;
        default:
            read_pcap(bytes);
            break;
        }
    } catch (const std::invalid_argument&) {  // a filter that does not parse
    } catch (const netlabs::NotImplemented&) {  // the student edition's stub
    }
    return 0;
}
