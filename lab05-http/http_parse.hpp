// Reading an HTTP/1.1 response by hand (lab05-raw; lab05-ex2).
//
// HTTP is a framing of a byte stream (lab01): the status line and the header
// lines end with CRLF, an empty line ends the head, and then the body's length
// comes from the head, in one of three ways (RFC 9112, section 6.3):
//
//   HTTP/1.1 200 OK                      parse_status_line
//   Content-Type: text/plain             parse_header_line, one per line
//   Content-Length: 24                   body_framing: exactly 24 bytes follow
//                                        (the empty line: end of the head)
//   hello from lab05-server
//
// or "Transfer-Encoding: chunked": the body comes in chunks, each a line with
// its size in hexadecimal (parse_chunk_size), that many bytes and CRLF; a
// chunk of size 0 ends it. With neither header, the body runs until the
// server closes the connection.
#pragma once

#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace lab05 {

// A response that breaks the rules: what() is one line naming the bad part.
class ParseError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct StatusLine {
    std::string version;  // "HTTP/1.1"
    int code = 0;         // 100-599
    std::string reason;   // "OK", "Not Found"; may be empty
    friend bool operator==(const StatusLine&, const StatusLine&) = default;
};

struct Header {
    std::string name;   // as sent: "Content-Length"
    std::string value;  // without the spaces around it: "24"
    friend bool operator==(const Header&, const Header&) = default;
};
using Headers = std::vector<Header>;

struct BodyFraming {
    enum Kind { length, chunked, until_close };
    Kind kind = until_close;
    std::size_t bytes = 0;  // for `length`
    friend bool operator==(const BodyFraming&, const BodyFraming&) = default;
};

// The largest Content-Length or chunk lab05-raw accepts.
inline constexpr std::size_t max_body_size = 16 * 1024 * 1024;

// "HTTP/1.1 200 OK" -> {"HTTP/1.1", 200, "OK"}. The version is "HTTP/1." and
// one digit; the code is exactly three digits, 100-599; one space before the
// code, one after it, and the rest of the line is the reason (possibly empty,
// "HTTP/1.1 204 " or "HTTP/1.1 204"). Throws ParseError:
//   bad status line 'hello': expected 'HTTP/1.x CODE REASON'
//   bad status line 'HTTP/1.1 2000 OK': the code must be 3 digits, 100-599
StatusLine parse_status_line(std::string_view line);

// "Content-Length: 24" -> {"Content-Length", "24"}. The name is everything
// before the first ':' and must be non-empty with no space or tab in it; the
// value is the rest without spaces and tabs at its ends. Throws ParseError:
//   bad header line 'hello': no ':'
//   bad header line 'Bad Name: x': a space or tab in the name
//   bad header line ': x': empty name
Header parse_header_line(std::string_view line);

// The value of the first header named `name` (any case), if any.
std::optional<std::string> find_header(const Headers& headers, std::string_view name);

// How the body of a response with `status` and `headers` is framed:
//   1xx, 204 and 304 have no body: {length, 0}
//   Transfer-Encoding: chunked (any case)   -> chunked (it wins over Content-Length)
//   any other Transfer-Encoding             -> ParseError "unsupported Transfer-Encoding 'gzip'"
//   Content-Length: N (decimal digits only) -> {length, N}; not digits, or
//      more than max_body_size -> ParseError "bad Content-Length 'abc': must be a number of bytes"
//      or "Content-Length 99999999 is more than the 16777216 bytes lab05-raw takes"
//   neither                                 -> until_close
BodyFraming body_framing(int status, const Headers& headers);

// "1a" -> 26, "1A;name=value" -> 26 (a chunk extension after ';' is ignored,
// and so are spaces and tabs before it). Throws ParseError:
//   bad chunk size line 'xyz': must be a hexadecimal number
//   chunk size 'ffffffffff' is more than the 16777216 bytes lab05-raw takes
std::size_t parse_chunk_size(std::string_view line);

} // namespace lab05
