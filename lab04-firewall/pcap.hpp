// The classic pcap file format (what tcpdump -w writes and Wireshark opens):
// a 24-byte file header, then per packet a 16-byte record header (seconds,
// microseconds, bytes kept, bytes on the wire) and the frame.
#pragma once

#include <cstdint>
#include <cstdio>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace lab04 {

struct Captured {
    std::uint32_t seconds = 0, microseconds = 0;
    std::uint32_t wire_length = 0;    // the frame's length on the wire (>= data.size())
    std::vector<std::uint8_t> data;
};

inline constexpr std::uint32_t pcap_snaplen = 262144;
inline constexpr std::uint32_t linktype_ethernet = 1;

class PcapWriter {
public:
    // Creates (truncates) `path` and writes the file header. Throws
    // std::runtime_error naming the file.
    explicit PcapWriter(const std::string& path);
    ~PcapWriter();
    PcapWriter(const PcapWriter&) = delete;
    PcapWriter& operator=(const PcapWriter&) = delete;
    void write(const Captured& packet);  // and flushes: a reader sees whole records

private:
    std::FILE* file_ = nullptr;
    std::string path_;
};

class PcapReader {
public:
    // Opens `path`, checks the header (either byte order, microsecond or
    // nanosecond timestamps, Ethernet frames). Throws std::runtime_error:
    // "FILE: not a pcap file (magic 0x...)".
    explicit PcapReader(const std::string& path);
    ~PcapReader();
    PcapReader(const PcapReader&) = delete;
    PcapReader& operator=(const PcapReader&) = delete;
    std::optional<Captured> next();  // nullopt at the end; throws on a cut record, or one keeping more than the wire had

private:
    std::uint32_t u32(const std::uint8_t* p) const;
    std::FILE* file_ = nullptr;
    std::string path_;
    bool swapped_ = false, nanoseconds_ = false;
};

} // namespace lab04
