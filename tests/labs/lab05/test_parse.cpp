// Reading a response by hand (lab05-ex2): the status line, a header line, how
// the body is framed, a chunk's size.
// Doc: docs/en/lab05.md, "HTTP by hand: lab05-raw"; code: lab05-http/http_parse.cpp.
#include "http_parse.hpp"
#include "lab05.hpp"

using namespace lab05::test;
using lab05::BodyFraming;

namespace {

template <typename F>
std::string error_of(F&& f)
{
    try {
        f();
    } catch (const lab05::ParseError& e) {
        return e.what();
    }
    return "(no error)";
}

} // namespace

TEST_CASE("parse_status_line: version, code, reason", "[lab05][parse][ex2]")
{
    INFO("see " << doc_raw << "; code: lab05-http/http_parse.cpp");
    CHECK(lab05::parse_status_line("HTTP/1.1 200 OK") == lab05::StatusLine{"HTTP/1.1", 200, "OK"});
    CHECK(lab05::parse_status_line("HTTP/1.0 404 Not Found") == lab05::StatusLine{"HTTP/1.0", 404, "Not Found"});
    CHECK(lab05::parse_status_line("HTTP/1.1 204 ") == lab05::StatusLine{"HTTP/1.1", 204, ""});
    CHECK(lab05::parse_status_line("HTTP/1.1 204") == lab05::StatusLine{"HTTP/1.1", 204, ""});
    CHECK(error_of([] { lab05::parse_status_line("hello"); }) ==
          "bad status line 'hello': expected 'HTTP/1.x CODE REASON'");
    CHECK(error_of([] { lab05::parse_status_line("HTTP/2 200 OK"); }) ==
          "bad status line 'HTTP/2 200 OK': expected 'HTTP/1.x CODE REASON'");
    CHECK(error_of([] { lab05::parse_status_line("HTTP/1.1 2000 OK"); }) ==
          "bad status line 'HTTP/1.1 2000 OK': the code must be 3 digits, 100-599");
    CHECK(error_of([] { lab05::parse_status_line("HTTP/1.1 abc OK"); }) ==
          "bad status line 'HTTP/1.1 abc OK': the code must be 3 digits, 100-599");
    CHECK(error_of([] { lab05::parse_status_line("HTTP/1.1 600 Nope"); }) ==
          "bad status line 'HTTP/1.1 600 Nope': the code must be 3 digits, 100-599");
}

TEST_CASE("parse_header_line: a name, a colon, a value without spaces around it", "[lab05][parse][ex2]")
{
    INFO("see " << doc_raw << "; code: lab05-http/http_parse.cpp");
    CHECK(lab05::parse_header_line("Content-Length: 24") == lab05::Header{"Content-Length", "24"});
    CHECK(lab05::parse_header_line("X-Empty:") == lab05::Header{"X-Empty", ""});
    CHECK(lab05::parse_header_line("Host:\t127.0.0.1:5000  ") == lab05::Header{"Host", "127.0.0.1:5000"});
    CHECK(error_of([] { lab05::parse_header_line("hello"); }) == "bad header line 'hello': no ':'");
    CHECK(error_of([] { lab05::parse_header_line(": x"); }) == "bad header line ': x': empty name");
    CHECK(error_of([] { lab05::parse_header_line("Bad Name: x"); }) ==
          "bad header line 'Bad Name: x': a space or tab in the name");
}

TEST_CASE("body_framing: Content-Length, chunked, or until the connection closes", "[lab05][parse][ex2]")
{
    INFO("see " << doc_raw << "; code: lab05-http/http_parse.cpp");
    using lab05::body_framing;
    CHECK(body_framing(200, {{"content-length", "24"}}) == BodyFraming{BodyFraming::length, 24});
    CHECK(body_framing(200, {{"Transfer-Encoding", "Chunked"}, {"Content-Length", "5"}}) ==
          BodyFraming{BodyFraming::chunked, 0});
    CHECK(body_framing(200, {{"Server", "x"}}) == BodyFraming{BodyFraming::until_close, 0});
    CHECK(body_framing(204, {}) == BodyFraming{BodyFraming::length, 0});
    CHECK(body_framing(304, {{"Content-Length", "100"}}) == BodyFraming{BodyFraming::length, 0});
    CHECK(body_framing(101, {}) == BodyFraming{BodyFraming::length, 0});
    CHECK(error_of([] { lab05::body_framing(200, {{"Content-Length", "-1"}}); }) ==
          "bad Content-Length '-1': must be a number of bytes");
    CHECK(error_of([] { lab05::body_framing(200, {{"Content-Length", ""}}); }) ==
          "bad Content-Length '': must be a number of bytes");
    CHECK(error_of([] { lab05::body_framing(200, {{"Content-Length", "99999999"}}); }) ==
          "Content-Length 99999999 is more than the 16777216 bytes lab05-raw takes");
    CHECK(error_of([] { lab05::body_framing(200, {{"Transfer-Encoding", "gzip"}}); }) ==
          "unsupported Transfer-Encoding 'gzip'");
}

TEST_CASE("parse_chunk_size: hexadecimal, an extension ignored", "[lab05][parse][ex2]")
{
    INFO("see " << doc_raw << "; code: lab05-http/http_parse.cpp");
    CHECK(lab05::parse_chunk_size("0") == 0);
    CHECK(lab05::parse_chunk_size("1a") == 26);
    CHECK(lab05::parse_chunk_size("1A;name=value") == 26);
    CHECK(lab05::parse_chunk_size("ff ") == 255);
    CHECK(error_of([] { lab05::parse_chunk_size("xyz"); }) == "bad chunk size line 'xyz': must be a hexadecimal number");
    CHECK(error_of([] { lab05::parse_chunk_size(""); }) == "bad chunk size line '': must be a hexadecimal number");
    CHECK(error_of([] { lab05::parse_chunk_size("ffffffffff"); }) ==
          "chunk size 'ffffffffff' is more than the 16777216 bytes lab05-raw takes");
}
