// Requests that break HTTP, sent byte by byte: each is answered (or dropped)
// as it should be, and the server goes on serving everyone else.
// Doc: docs/en/lab05.md, "Limits and malformed requests"; code: lab05-http/http_server.cpp.
#include <nlohmann/json.hpp>

#include "lab05.hpp"

using namespace lab05::test;

namespace {

// The status line and the whole answer to `bytes`, sent on a fresh connection.
std::string answer_to(const InProcessServer& server, const std::string& bytes)
{
    RawClient raw(server.port());
    raw.send(bytes);
    return raw.read_to_end();
}

void check_still_serving(const InProcessServer& server)
{
    auto hello = server.client().Get("/hello");
    INFO("after that, another client's GET /hello must still get 200");
    REQUIRE(hello);
    CHECK(hello->status == 200);
}

} // namespace

TEST_CASE("a bad request line gets a 400 in JSON, then the connection is dropped", "[lab05][malformed]")
{
    INFO("see " << doc_limits);
    // After a 400 the server waits for a next request as long as the read
    // timeout (at least 1 s), then hangs up: a short one keeps the test short.
    lab05::ServerLimits limits;
    limits.read_timeout = 300ms;
    InProcessServer server(limits);
    for (const std::string bad : {"HELLO\r\n\r\n", "GET\r\n\r\n", "GET /hello HTTP/9.9\r\n\r\n",
                                  "GET /hello HTTP/1.1 extra\r\n\r\n"}) {
        const std::string answer = answer_to(server, bad);
        INFO("sent " << nlohmann::json(bad).dump() << "\ngot: " << answer);
        CHECK_THAT(answer, match::StartsWith("HTTP/1.1 400 Bad Request\r\n"));
        CHECK_THAT(answer, match::Contains("\"status\":400"));
    }
    check_still_serving(server);
}

TEST_CASE("a header line over 8 KiB gets 400, more header lines than --max-headers get 431", "[lab05][malformed]")
{
    INFO("see " << doc_limits);
    lab05::ServerLimits limits;
    limits.max_headers = 10;
    limits.read_timeout = 300ms;
    InProcessServer server(limits);

    const std::string huge = "GET /hello HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(9000, 'a') + "\r\n\r\n";
    const std::string big_answer = answer_to(server, huge);
    INFO("a 9000-byte header line; got: " << big_answer.substr(0, 200));
    CHECK_THAT(big_answer, match::StartsWith("HTTP/1.1 400 Bad Request\r\n"));

    std::string many = "GET /hello HTTP/1.1\r\nHost: x\r\n";
    for (int i = 0; i < 11; ++i) many += "X-Header-" + std::to_string(i) + ": " + std::to_string(i) + "\r\n";
    many += "\r\n";
    const std::string many_answer = answer_to(server, many);
    INFO("12 header lines with --max-headers 10; got: " << many_answer);
    CHECK_THAT(many_answer, match::StartsWith("HTTP/1.1 431 Request Header Fields Too Large\r\n"));
    CHECK_THAT(many_answer, match::Contains("too many header lines (12, at most 10)"));
    check_still_serving(server);
}

TEST_CASE("a body over --max-body gets 413 before it is read", "[lab05][malformed]")
{
    INFO("see " << doc_limits);
    lab05::ServerLimits limits;
    limits.max_body = 1000;
    limits.read_timeout = 300ms;  // how long it then waits for the rest
    InProcessServer server(limits);
    RawClient raw(server.port());
    // Only the head is sent: the server must not wait for a megabyte.
    raw.send("POST /messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n");
    const std::string status = raw.read_line();
    INFO("Content-Length: 1000000 with --max-body 1000");
    CHECK(status == "HTTP/1.1 413 Payload Too Large\r");
    check_still_serving(server);
}

TEST_CASE("bad chunked bodies get 400", "[lab05][malformed]")
{
    INFO("see " << doc_limits);
    InProcessServer server;
    const std::string head =
        "POST /messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
    for (const std::string body : {"zz\r\n{}\r\n0\r\n\r\n", "5\r\n{}\r\n0\r\n\r\n"}) {
        RawClient raw(server.port());
        raw.send(head + body);
        const std::string status = raw.read_line();
        INFO("chunked body " << nlohmann::json(body).dump());
        CHECK(status == "HTTP/1.1 400 Bad Request\r");
    }
    check_still_serving(server);
}

TEST_CASE("a slow sender is dropped after the read timeout, and never blocks another client",
          "[lab05][malformed]")
{
    INFO("see " << doc_limits);
    lab05::ServerLimits limits;
    limits.read_timeout = 500ms;
    limits.threads = 2;
    InProcessServer server(limits);

    RawClient slow(server.port());
    slow.send("GET /hel");  // ... and nothing more
    check_still_serving(server);
    check_still_serving(server);

    const auto started = std::chrono::steady_clock::now();
    const std::string answer = slow.read_to_end();  // the server hangs up on it
    const auto waited = std::chrono::steady_clock::now() - started;
    INFO("the slow client got: " << answer);
    CHECK(waited < 5s);
    CHECK(answer.find("200 OK") == std::string::npos);
}

TEST_CASE("a well-formed chunked POST is accepted", "[lab05][malformed][ex1]")
{
    INFO("see " << doc_limits << " and " << doc_post);
    InProcessServer server;
    const std::string body = R"({"name":"chunky","text":"in two chunks"})";
    const std::string first = body.substr(0, 10), second = body.substr(10);
    std::ostringstream request;
    request << "POST /messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
               "Connection: close\r\n\r\n"
            << std::hex << first.size() << "\r\n" << first << "\r\n" << second.size() << "\r\n" << second << "\r\n0\r\n\r\n";
    const std::string answer = answer_to(server, request.str());
    INFO("got: " << answer);
    CHECK_THAT(answer, match::StartsWith("HTTP/1.1 201 Created\r\n"));
    CHECK_THAT(answer, match::Contains(R"("text":"in two chunks")"));
}
