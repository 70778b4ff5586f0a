#include "http_parse.hpp"

#include <cctype>

#include "netlabs/not_implemented.hpp"

namespace lab05 {
namespace {

[[maybe_unused]] bool is_digit(char c) { return c >= '0' && c <= '9'; }

[[maybe_unused]] int hex_value(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

bool equal_ignoring_case(std::string_view a, std::string_view b)
{
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
            return false;
    return true;
}

} // namespace

StatusLine parse_status_line(std::string_view line)
{
    StatusLine status;
    // BEGIN SOLUTION lab05-ex2
    const auto bad = [&](const std::string& why) {
        return ParseError("bad status line '" + std::string(line) + "': " + why);
    };
    if (line.size() < 12 || line.substr(0, 7) != "HTTP/1." || !is_digit(line[7]) || line[8] != ' ')
        throw bad("expected 'HTTP/1.x CODE REASON'");
    status.version = std::string(line.substr(0, 8));
    const std::string_view rest = line.substr(9);
    const std::size_t digits = rest.find(' ') == std::string_view::npos ? rest.size() : rest.find(' ');
    if (digits != 3 || !is_digit(rest[0]) || !is_digit(rest[1]) || !is_digit(rest[2]) || rest[0] < '1' ||
        rest[0] > '5')
        throw bad("the code must be 3 digits, 100-599");
    status.code = (rest[0] - '0') * 100 + (rest[1] - '0') * 10 + (rest[2] - '0');
    if (rest.size() > 3) status.reason = std::string(rest.substr(4));
    // END SOLUTION
    // STUDENT: (void)line;
    // STUDENT: throw netlabs::NotImplemented("lab05-ex2");
    return status;
}

Header parse_header_line(std::string_view line)
{
    Header header;
    // BEGIN SOLUTION lab05-ex2
    const auto bad = [&](const std::string& why) {
        return ParseError("bad header line '" + std::string(line) + "': " + why);
    };
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) throw bad("no ':'");
    std::string_view name = line.substr(0, colon), value = line.substr(colon + 1);
    if (name.empty()) throw bad("empty name");
    if (name.find_first_of(" \t") != std::string_view::npos) throw bad("a space or tab in the name");
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
    while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
    header.name = std::string(name);
    header.value = std::string(value);
    // END SOLUTION
    // STUDENT: (void)line;
    // STUDENT: throw netlabs::NotImplemented("lab05-ex2");
    return header;
}

std::optional<std::string> find_header(const Headers& headers, std::string_view name)
{
    for (const auto& h : headers)
        if (equal_ignoring_case(h.name, name)) return h.value;
    return std::nullopt;
}

BodyFraming body_framing(int status, const Headers& headers)
{
    BodyFraming framing;
    // BEGIN SOLUTION lab05-ex2
    if ((status >= 100 && status < 200) || status == 204 || status == 304) return {BodyFraming::length, 0};
    if (const auto encoding = find_header(headers, "Transfer-Encoding")) {
        if (!equal_ignoring_case(*encoding, "chunked"))
            throw ParseError("unsupported Transfer-Encoding '" + *encoding + "'");
        return {BodyFraming::chunked, 0};
    }
    if (const auto length = find_header(headers, "Content-Length")) {
        if (length->empty() || length->size() > 12)
            throw ParseError("bad Content-Length '" + *length + "': must be a number of bytes");
        std::size_t bytes = 0;
        for (char c : *length) {
            if (!is_digit(c)) throw ParseError("bad Content-Length '" + *length + "': must be a number of bytes");
            bytes = bytes * 10 + static_cast<std::size_t>(c - '0');
        }
        if (bytes > max_body_size)
            throw ParseError("Content-Length " + *length + " is more than the " + std::to_string(max_body_size) +
                             " bytes lab05-raw takes");
        return {BodyFraming::length, bytes};
    }
    framing.kind = BodyFraming::until_close;
    // END SOLUTION
    // STUDENT: (void)status;
    // STUDENT: (void)headers;
    // STUDENT: throw netlabs::NotImplemented("lab05-ex2");
    return framing;
}

std::size_t parse_chunk_size(std::string_view line)
{
    std::size_t size = 0;
    // BEGIN SOLUTION lab05-ex2
    std::string_view digits = line.substr(0, line.find(';'));
    while (!digits.empty() && (digits.back() == ' ' || digits.back() == '\t')) digits.remove_suffix(1);
    if (digits.empty()) throw ParseError("bad chunk size line '" + std::string(line) + "': must be a hexadecimal number");
    for (char c : digits) {
        const int v = hex_value(c);
        if (v < 0) throw ParseError("bad chunk size line '" + std::string(line) + "': must be a hexadecimal number");
        size = size * 16 + static_cast<std::size_t>(v);
        if (size > max_body_size)
            throw ParseError("chunk size '" + std::string(digits) + "' is more than the " +
                             std::to_string(max_body_size) + " bytes lab05-raw takes");
    }
    // END SOLUTION
    // STUDENT: (void)line;
    // STUDENT: throw netlabs::NotImplemented("lab05-ex2");
    return size;
}

} // namespace lab05
