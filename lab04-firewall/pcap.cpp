// Reading and writing pcap files. Fields are written in this machine's byte
// order, as libpcap does; the magic number tells a reader which order it was.
#include "pcap.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace lab04 {

namespace {

constexpr std::uint32_t magic_micro = 0xa1b2c3d4, magic_nano = 0xa1b23c4d;

std::uint32_t swap32(std::uint32_t v)
{
    return (v >> 24) | ((v >> 8) & 0xff00) | ((v << 8) & 0xff0000) | (v << 24);
}

} // namespace

PcapWriter::PcapWriter(const std::string& path) : path_(path)
{
    file_ = std::fopen(path.c_str(), "wb");
    if (!file_) throw std::runtime_error("cannot write " + path + ": " + std::strerror(errno));
    struct {
        std::uint32_t magic;
        std::uint16_t major, minor;
        std::int32_t zone;
        std::uint32_t sigfigs, snaplen, linktype;
    } header{magic_micro, 2, 4, 0, 0, pcap_snaplen, linktype_ethernet};
    static_assert(sizeof header == 24);
    if (std::fwrite(&header, sizeof header, 1, file_) != 1 || std::fflush(file_) != 0)
        throw std::runtime_error("cannot write " + path + ": " + std::strerror(errno));
}

PcapWriter::~PcapWriter()
{
    if (file_) std::fclose(file_);
}

void PcapWriter::write(const Captured& p)
{
    const std::uint32_t record[4] = {p.seconds, p.microseconds, static_cast<std::uint32_t>(p.data.size()),
                                     std::max<std::uint32_t>(p.wire_length, static_cast<std::uint32_t>(p.data.size()))};
    if (std::fwrite(record, sizeof record, 1, file_) != 1 ||
        (!p.data.empty() && std::fwrite(p.data.data(), p.data.size(), 1, file_) != 1) || std::fflush(file_) != 0)
        throw std::runtime_error("cannot write " + path_ + ": " + std::strerror(errno));
}

PcapReader::PcapReader(const std::string& path) : path_(path)
{
    file_ = std::fopen(path.c_str(), "rb");
    if (!file_) throw std::runtime_error("cannot read " + path + ": " + std::strerror(errno));
    std::uint8_t header[24];
    if (std::fread(header, sizeof header, 1, file_) != 1)
        throw std::runtime_error(path + ": not a pcap file (shorter than its 24-byte header)");
    std::uint32_t magic;
    std::memcpy(&magic, header, 4);
    if (magic == magic_micro || magic == magic_nano) {
        swapped_ = false;
    } else if (swap32(magic) == magic_micro || swap32(magic) == magic_nano) {
        swapped_ = true;
        magic = swap32(magic);
    } else {
        char hex[16];
        std::snprintf(hex, sizeof hex, "0x%08x", magic);
        throw std::runtime_error(path + ": not a pcap file (magic " + hex + "; pcapng is not read here)");
    }
    nanoseconds_ = magic == magic_nano;
    const std::uint32_t linktype = u32(header + 20);
    if ((linktype & 0xffff) != linktype_ethernet)
        throw std::runtime_error(path + ": link type " + std::to_string(linktype) + " is not Ethernet (1)");
}

PcapReader::~PcapReader()
{
    if (file_) std::fclose(file_);
}

std::uint32_t PcapReader::u32(const std::uint8_t* p) const
{
    std::uint32_t v;
    std::memcpy(&v, p, 4);
    return swapped_ ? swap32(v) : v;
}

std::optional<Captured> PcapReader::next()
{
    std::uint8_t record[16];
    const std::size_t got = std::fread(record, 1, sizeof record, file_);
    if (got == 0) return std::nullopt;
    if (got != sizeof record) throw std::runtime_error(path_ + ": the last packet record is cut short");
    Captured p;
    p.seconds = u32(record);
    p.microseconds = nanoseconds_ ? u32(record + 4) / 1000 : u32(record + 4);
    const std::uint32_t kept = u32(record + 8);
    p.wire_length = u32(record + 12);
    if (kept > pcap_snaplen) throw std::runtime_error(path_ + ": a packet record of " + std::to_string(kept) + " bytes");
    // A record cannot keep more of a packet than the packet had: such a file
    // is broken (or made up), and its "length" would lie about the frame.
    if (kept > p.wire_length)
        throw std::runtime_error(path_ + ": a packet record keeps " + std::to_string(kept) + " bytes of a " +
                                 std::to_string(p.wire_length) + "-byte packet");
    p.data.resize(kept);
    if (kept > 0 && std::fread(p.data.data(), kept, 1, file_) != 1)
        throw std::runtime_error(path_ + ": the last packet is cut short");
    return p;
}

} // namespace lab04
