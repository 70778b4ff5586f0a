// lab05-raw: HTTP by hand over one TCP socket, showing every byte's meaning.
//
//   > GET /hello HTTP/1.1            what we send (the request we built)
//   > Host: 127.0.0.1:5000
//   >
//   < HTTP/1.1 200 OK                what came back: the status line, the headers
//   < Content-Length: 24
//   <
//   hello from lab05-server          the body
//   body: 24 bytes (Content-Length)
//
// HTTP is a framing of a byte stream (lab01): the head is lines (the course's
// line framing, netlabs/framing.hpp), and the body's length comes from the head
// (http_parse.hpp). Everything else here is lab01's client: resolve, connect
// with a timeout, write, read.
#include <iostream>
#include <string>
#include <vector>

#include <asio/completion_condition.hpp>
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/read.hpp>
#include <asio/redirect_error.hpp>
#include <asio/write.hpp>

#include "http_parse.hpp"
#include "netlabs/cli.hpp"
#include "netlabs/errors.hpp"
#include "netlabs/framing.hpp"
#include "netlabs/timed.hpp"
#include "url.hpp"

using asio::ip::tcp;

namespace {

constexpr std::size_t max_head_line = 8192;  // as cpp-httplib's server
constexpr std::size_t max_head_lines = 100;

// Builds the request, byte for byte. Connection: close asks the server to
// close after answering, so one request is one connection.
std::string build_request(const std::string& method, const lab05::Url& url, const std::string& content_type,
                          const std::string& body)
{
    std::string request = method + " " + url.target + " HTTP/1.1\r\n";
    request += "Host: " + url.host_header() + "\r\n";
    request += "User-Agent: lab05-raw\r\n";
    request += "Accept: */*\r\n";
    if (method == "POST") {
        request += "Content-Type: " + content_type + "\r\n";
        request += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    }
    request += "Connection: close\r\n";
    request += "\r\n";
    return request + body;
}

// Shows bytes with a prefix per line, as curl -v does: "> " sent, "< " received.
void show(std::string_view prefix, std::string_view line)
{
    if (line.empty()) prefix.remove_suffix(1);  // no space at the end of the line
    std::cout << prefix << line << '\n';
}

asio::awaitable<void> fill(tcp::socket& socket, std::string& buffer, std::size_t want)
{
    if (buffer.size() >= want) co_return;
    co_await asio::async_read(socket, asio::dynamic_buffer(buffer), asio::transfer_at_least(want - buffer.size()),
                              asio::use_awaitable);
}

asio::awaitable<bool> fill_to_end(tcp::socket& socket, std::string& buffer)
{
    std::error_code ec;
    co_await asio::async_read(socket, asio::dynamic_buffer(buffer, lab05::max_body_size + 1),
                              asio::redirect_error(asio::use_awaitable, ec));
    if (ec && ec != asio::error::eof && ec != asio::error::not_found) throw std::system_error(ec);
    co_return buffer.size() <= lab05::max_body_size;
}

struct Reader {
    tcp::socket& socket;
    std::string buffer;
    netlabs::Timeout timeout;
    std::string peer;

    std::string line()
    {
        auto got = netlabs::read_line(socket, buffer, timeout, peer, max_head_line);
        if (!got) throw lab05::ParseError("the server closed the connection before the end of the head");
        return *got;
    }
    // Takes exactly n bytes from the stream.
    std::string bytes(std::size_t n)
    {
        try {
            netlabs::run_timed(socket, fill(socket, buffer, n), timeout, "receive from", peer);
        } catch (const netlabs::NetworkError& e) {
            if (e.code() == asio::error::eof)
                throw lab05::ParseError("the server closed the connection after " + std::to_string(buffer.size()) +
                                        " of " + std::to_string(n) + " body bytes");
            throw;
        }
        std::string out = buffer.substr(0, n);
        buffer.erase(0, n);
        return out;
    }
    std::string rest()
    {
        if (!netlabs::run_timed(socket, fill_to_end(socket, buffer), timeout, "receive from", peer))
            throw lab05::ParseError("body longer than " + std::to_string(lab05::max_body_size) + " bytes");
        return std::move(buffer);
    }
};

} // namespace

int main(int argc, char** argv)
{
    CLI::App app{"lab05-raw: HTTP GET and POST by hand over a TCP socket, showing what goes over the wire",
                 "lab05-raw"};
    app.require_subcommand(1);
    std::string url_text, body, content_type = "application/json", timeout_text = "10";
    app.add_option("--timeout", timeout_text, "seconds for the connect and for each read")->capture_default_str();
    CLI::App* get = app.add_subcommand("get", "GET URL");
    get->add_option("URL", url_text, "http://HOST[:PORT]/PATH")->required();
    CLI::App* post = app.add_subcommand("post", "POST --data BODY to URL");
    post->add_option("URL", url_text, "http://HOST[:PORT]/PATH")->required();
    post->add_option("--data", body, "the body, sent as it is")->required();
    post->add_option("--content-type", content_type, "its Content-Type")->capture_default_str();
    get->fallthrough();
    post->fallthrough();

    return netlabs::run_main(app, argc, argv, [&] {
        const lab05::Url url = lab05::parse_url(url_text);
        const auto timeout = netlabs::parse_seconds(timeout_text, "--timeout");
        for (char c : content_type)
            if (c == '\r' || c == '\n')
                throw netlabs::UsageError("invalid --content-type: a header value cannot hold a line break");
        const std::string method = post->parsed() ? "POST" : "GET";
        const std::string peer = url.server.to_string();

        // --- connect: lab01's client ------------------------------------------
        asio::io_context io;
        tcp::resolver resolver(io);
        std::error_code ec;
        const auto endpoints = resolver.resolve(url.server.host, std::to_string(url.server.port), ec);
        if (ec) netlabs::throw_network_error("resolve", url.server.host, ec, "is the host name right?");
        tcp::socket socket(io);
        netlabs::timed_connect(socket, endpoints, timeout, peer);

        // --- the request: text lines, an empty line, the body -------------------
        const std::string request = build_request(method, url, content_type, body);
        const std::string head = request.substr(0, request.size() - body.size());
        for (std::size_t start = 0; start < head.size();) {
            const std::size_t end = head.find("\r\n", start);
            show("> ", head.substr(start, end - start));
            start = end + 2;
        }
        if (!body.empty()) std::cout << body << '\n';
        netlabs::run_timed(socket, asio::async_write(socket, asio::buffer(request), asio::use_awaitable), timeout,
                           "send to", peer);

        // --- the response's head: a status line, header lines, an empty line ---
        Reader in{socket, {}, timeout, peer};
        const std::string first = in.line();
        show("< ", first);
        const lab05::StatusLine status = lab05::parse_status_line(first);
        lab05::Headers headers;
        for (std::string line = in.line(); !line.empty(); line = in.line()) {
            show("< ", line);
            if (headers.size() == max_head_lines)
                throw lab05::ParseError("more than " + std::to_string(max_head_lines) + " header lines");
            headers.push_back(lab05::parse_header_line(line));
        }
        show("< ", "");

        // --- the body: its length comes from the head -----------------------------
        const lab05::BodyFraming framing = lab05::body_framing(status.code, headers);
        std::string content;
        std::string how;
        switch (framing.kind) {
        case lab05::BodyFraming::length:
            content = in.bytes(framing.bytes);
            how = "Content-Length";
            break;
        case lab05::BodyFraming::chunked: {
            std::size_t chunks = 0;
            for (;;) {
                const std::size_t size = lab05::parse_chunk_size(in.line());
                if (size == 0) break;
                if (content.size() + size > lab05::max_body_size)
                    throw lab05::ParseError("chunked body longer than " + std::to_string(lab05::max_body_size) + " bytes");
                content += in.bytes(size);
                if (in.bytes(2) != "\r\n") throw lab05::ParseError("chunk " + std::to_string(chunks + 1) + " does not end with CRLF");
                ++chunks;
            }
            while (!in.line().empty()) {}  // trailer lines, if any
            how = "chunked, " + std::to_string(chunks) + (chunks == 1 ? " chunk" : " chunks");
            break;
        }
        case lab05::BodyFraming::until_close:
            content = in.rest();
            how = "until the server closed the connection";
            break;
        }
        std::cout << content;
        if (!content.empty() && content.back() != '\n') std::cout << '\n';
        std::cout << "body: " << content.size() << " bytes (" << how << ")\n";
        if (status.code >= 400) {
            std::cerr << "lab05-raw: " << method << ' ' << url.to_string() << ": " << first << '\n';
            return netlabs::exit_failure;
        }
        return netlabs::exit_ok;
    });
}
