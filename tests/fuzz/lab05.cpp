// Fuzzes lab05's readers of what a server or a client sends (lab05-http/):
// a raw HTTP response as lab05-raw reads it (http_parse.cpp, lab05-ex2), URLs
// (url.cpp), and the JSON and form bodies lab05-server checks (message.cpp,
// lab05-ex1). The first byte chooses. What parses keeps its promises: a code
// of 100-599, a header name without spaces, a body within max_body_size, a
// URL that prints back to itself, a message within its limits.
#include <cstdint>
#include <map>
#include <string>

#include "fuzz.hpp"
#include "http_parse.hpp"
#include "message.hpp"
#include "netlabs/errors.hpp"
#include "netlabs/not_implemented.hpp"
#include "url.hpp"

namespace {

// A response's head, as lab05-raw reads it: lines ending "\r\n" (or "\n").
void read_head(std::string_view text)
{
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (start <= text.size()) {
        auto end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        std::string line(text.substr(start, end - start));
        if (!line.empty() && line.back() == '\r') line.pop_back();
        lines.push_back(std::move(line));
        start = end + 1;
    }
    const lab05::StatusLine status = lab05::parse_status_line(lines[0]);
    fuzz::check(status.code >= 100 && status.code <= 599, "a status code is 100-599");
    lab05::Headers headers;
    std::size_t i = 1;
    for (; i < lines.size() && !lines[i].empty(); ++i) {
        const lab05::Header h = lab05::parse_header_line(lines[i]);
        fuzz::check(!h.name.empty() && h.name.find_first_of(" \t:") == std::string::npos, "a header name is one word");
        headers.push_back(h);
    }
    const lab05::BodyFraming framing = lab05::body_framing(status.code, headers);
    fuzz::check(framing.bytes <= lab05::max_body_size, "a body within max_body_size");
    if (framing.kind == lab05::BodyFraming::chunked)
        for (++i; i < lines.size(); ++i) {
            const std::size_t n = lab05::parse_chunk_size(lines[i]);
            fuzz::check(n <= lab05::max_body_size, "a chunk within max_body_size");
            if (n == 0) break;
        }
}

void check_message(const lab05::Message& m)
{
    fuzz::check(!m.name.empty() && m.name.size() <= lab05::max_name_length, "a name within its limit");
    fuzz::check(!m.text.empty() && m.text.size() <= lab05::max_text_length, "a text within its limit");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::uint8_t mode = fuzz::take_byte(data, size);
    const std::string_view text = fuzz::text(data, size);
    try {
        switch (mode % 4) {
        case 0:
            read_head(text);
            break;
        case 1: {
            const lab05::Url url = lab05::parse_url(text);
            fuzz::check(lab05::parse_url(url.to_string()).to_string() == url.to_string(), "parse_url round trip");
            break;
        }
        case 2:  // a POST's JSON body, as lab05-server reads it
            check_message(lab05::parse_message_body(text));
            break;
        default: {  // a form: name=value&name=value, as the server gets them decoded
            std::multimap<std::string, std::string> fields;
            std::size_t start = 0;
            while (start <= text.size()) {
                auto end = text.find('&', start);
                if (end == std::string_view::npos) end = text.size();
                const std::string_view pair = text.substr(start, end - start);
                const auto eq = pair.find('=');
                fields.emplace(std::string(pair.substr(0, eq)),
                               eq == std::string_view::npos ? std::string() : std::string(pair.substr(eq + 1)));
                start = end + 1;
            }
            check_message(lab05::validate_form(fields));
            break;
        }
        }
    } catch (const lab05::ParseError&) {
    } catch (const lab05::ValidationError&) {
    } catch (const netlabs::UsageError&) {
    } catch (const netlabs::NotImplemented&) {  // the student edition's stubs
    }
    return 0;
}
