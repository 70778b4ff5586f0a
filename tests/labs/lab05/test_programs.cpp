// lab05-server, lab05-client and lab05-raw from the outside: --help, one-line
// usage errors with exit 2, the ready line, a clean stop, and what each prints.
// Doc: docs/en/lab05.md; code: lab05-http/server.cpp, client.cpp, raw.cpp.
#include <csignal>

#include "lab05.hpp"

using namespace lab05::test;


TEST_CASE("lab05's programs explain themselves with --help", "[lab05][usage]")
{
    check_help({"lab05-server", "lab05-client", "lab05-raw", "lab05-doctor"});
}

TEST_CASE("bad command lines are refused with exit 2 and one line naming the bad value", "[lab05][usage]")
{
    const std::vector<UsageCase> cases = {
        {{"lab05-server", "--port", "70000"}, "lab05-server: invalid port '70000': must be 0-65535"},
        {{"lab05-server", "--host", "210.10.94.277"}, "lab05-server: invalid IPv4 address '210.10.94.277': 277 is more than 255"},
        {{"lab05-server", "--threads", "0"}, "lab05-server: invalid --threads '0': must be a whole number from 1 to 256"},
        {{"lab05-server", "--max-body", "big"}, "lab05-server: invalid --max-body 'big': must be a whole number from 1 to 67108864"},
        {{"lab05-server", "--read-timeout", "soon"},
         "lab05-server: invalid --read-timeout 'soon': must be a number of seconds from 0 to 86400, e.g. 2.5"},
        {{"lab05-client", "get", "127.0.0.1:5000"},
         "lab05-client: invalid URL '127.0.0.1:5000': must start with http://, e.g. http://127.0.0.1:5000/hello"},
        {{"lab05-client", "get", "https://example.com/"},
         "lab05-client: invalid URL 'https://example.com/': only http:// is supported (lab05 speaks plain HTTP, no TLS)"},
        {{"lab05-client", "get", "http://210.10.94.277:5000/"},
         "lab05-client: invalid URL 'http://210.10.94.277:5000/': invalid IPv4 address '210.10.94.277': 277 is more than 255"},
        {{"lab05-client", "get", "http://127.0.0.1:99999/"},
         "lab05-client: invalid URL 'http://127.0.0.1:99999/': invalid port '99999': must be 0-65535"},
        {{"lab05-client", "post", "http://127.0.0.1:5000/messages"},
         "lab05-client: post needs a body: --json '{...}', --form NAME=VALUE or --data TEXT"},
        {{"lab05-client", "post", "http://127.0.0.1:5000/messages", "--json", "{name"},
         "lab05-client: invalid --json '{name': not JSON (byte 3); to send it anyway use --data with --content-type "
         "application/json"},
        {{"lab05-client", "post", "http://127.0.0.1:5000/messages", "--json", "{\"a\": 1e999}"},
         "lab05-client: invalid --json '{\"a\": 1e999}': a number in it is too large for a double; to send it "
         "anyway use --data with --content-type application/json"},
        {{"lab05-client", "post", "http://127.0.0.1:5000/messages", "--form", "name"},
         "lab05-client: invalid --form 'name': must be NAME=VALUE, e.g. name=friend"},
        {{"lab05-client", "get", "http://127.0.0.1:5000/", "--timeout", "-1"},
         "lab05-client: invalid --timeout '-1': must be a number of seconds from 0 to 86400, e.g. 2.5"},
        {{"lab05-doctor", "127.0.0.1:5000"},
         "lab05-doctor: invalid URL '127.0.0.1:5000': must start with http://, e.g. http://127.0.0.1:5000/hello"},
        {{"lab05-raw", "get", "ftp://127.0.0.1/"},
         "lab05-raw: invalid URL 'ftp://127.0.0.1/': must start with http://, e.g. http://127.0.0.1:5000/hello"},
    };
    check_usage_errors(cases);
}

TEST_CASE("lab05-server: ready line, one log line per request, a clean stop on SIGTERM and SIGINT",
          "[lab05][server]")
{
    INFO("see " << doc_server);
    for (int signal : {SIGTERM, SIGINT}) {
        RunningServer server;
        CHECK(server.where.host == "127.0.0.1");
        CHECK(server.where.port != 0);
        const Result hello = run({bin("lab05-client"), "get", server.url("/hello")});
        INFO(hello.describe());
        CHECK(hello.exit_code == 0);
        server.process.wait_for_line(R"(^127\.0\.0\.1:\d+ "GET /hello HTTP/1\.1" 200 24$)");
        const Result stopped = server.process.stop(signal);
        INFO("stopped with signal " << signal << ": " << stopped.describe());
        CHECK(stopped.exit_code == 0);
        CHECK_THAT(stopped.out, match::EndsWith(signal == SIGINT ? "stopped (SIGINT)\n" : "stopped (SIGTERM)\n"));
    }
}

TEST_CASE("lab05-server: a port in use is exit 1 with one line", "[lab05][server]")
{
    asio::io_context io;
    asio::ip::tcp::acceptor taken(io, {loopback(), 0});  // listening: the port is in use
    const std::string port = std::to_string(taken.local_endpoint().port());
    const Result r = run({bin("lab05-server"), "--host", "127.0.0.1", "--port", port});
    INFO(r.describe());
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, match::StartsWith("lab05-server: bind 127.0.0.1:" + port + ": address already in use"));
}

TEST_CASE("lab05-server: a second server on the same port fails instead of sharing it", "[lab05][server]")
{
    INFO("cpp-httplib sets SO_REUSEPORT by default; lab05-server must not (see " << doc_server << ")");
    RunningServer first;
    const Result second = run({bin("lab05-server"), "--host", "127.0.0.1", "--port", port_of(first.where)});
    INFO(second.describe());
    CHECK(second.exit_code == 1);
    CHECK_THAT(second.err, match::StartsWith("lab05-server: bind 127.0.0.1:" + port_of(first.where) + ": address already in use"));
}

TEST_CASE("lab05-client GETs and POSTs like requests.get and requests.post", "[lab05][client][ex1]")
{
    INFO("see " << doc_client);
    RunningServer server;
    const Result hello = run({bin("lab05-client"), "get", server.url("/hello")});
    INFO(hello.describe());
    CHECK(hello.exit_code == 0);
    CHECK(hello.out == "HTTP/1.1 200 OK\nhello from lab05-server\n");

    const Result as_json = run({bin("lab05-client"), "post", server.url("/messages"), "--json",
                             R"({"name": "friend", "text": "hello"})"});
    INFO(as_json.describe());
    CHECK(as_json.exit_code == 0);
    CHECK(as_json.out == "HTTP/1.1 201 Created\n{\"id\":1,\"name\":\"friend\",\"text\":\"hello\"}\n");

    const Result form = run({bin("lab05-client"), "-i", "post", server.url("/messages"), "--form", "name=laptop",
                             "--form", "text=a b&c"});
    INFO(form.describe());
    CHECK(form.exit_code == 0);
    CHECK_THAT(form.out, match::StartsWith("HTTP/1.1 201 Created\n"));
    CHECK_THAT(form.out, match::Contains("\nContent-Type: application/json\n"));
    CHECK_THAT(form.out, match::EndsWith("\n\n{\"id\":2,\"name\":\"laptop\",\"text\":\"a b&c\"}\n"));

    const Result list = run({bin("lab05-client"), "get", server.url("/messages"), "--timeout", "5"});
    CHECK_THAT(list.out, match::Contains(R"({"id":2,"name":"laptop","text":"a b&c"}])"));
}

TEST_CASE("lab05-client: an HTTP error status is exit 1 with the status line", "[lab05][client]")
{
    INFO("see " << doc_client);
    RunningServer server;
    const Result missing = run({bin("lab05-client"), "get", server.url("/nope")});
    INFO(missing.describe());
    CHECK(missing.exit_code == 1);
    CHECK_THAT(missing.out, match::StartsWith("HTTP/1.1 404 Not Found\n{\"error\":"));
    CHECK(missing.err == "lab05-client: GET " + server.url("/nope") + ": HTTP/1.1 404 Not Found\n");

    const Result unsupported = run({bin("lab05-client"), "post", server.url("/messages"), "--data", "hi"});
    INFO(unsupported.describe());
    CHECK(unsupported.exit_code == 1);
    CHECK(unsupported.err == "lab05-client: POST " + server.url("/messages") + ": HTTP/1.1 415 Unsupported Media Type\n");
}

TEST_CASE("lab05-raw shows the request and the response, with a Content-Length body", "[lab05][raw][ex2]")
{
    INFO("see " << doc_raw << " (lab05-http/http_parse.cpp)");
    RunningServer server;
    const Result r = run({bin("lab05-raw"), "get", server.url("/hello")});
    INFO(r.describe());
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.out, match::StartsWith("> GET /hello HTTP/1.1\n> Host: 127.0.0.1:" + port_of(server.where) + "\n"));
    CHECK_THAT(r.out, match::Contains("> Connection: close\n>\n< HTTP/1.1 200 OK\n"));
    CHECK_THAT(r.out, match::Contains("< Content-Length: 24\n"));
    CHECK_THAT(r.out, match::EndsWith("<\nhello from lab05-server\nbody: 24 bytes (Content-Length)\n"));
}

TEST_CASE("lab05-raw: a URL with only a query or a fragment after the host asks for /", "[lab05][raw]")
{
    INFO("see " << doc_raw << " (lab05-http/url.cpp): the request target always starts with '/', and the "
         "fragment (#...) stays in the browser");
    RunningServer server;
    const Result query = run({bin("lab05-raw"), "get", server.url("?name=friend")});
    INFO(query.describe());
    CHECK_THAT(query.out, match::StartsWith("> GET /?name=friend HTTP/1.1\n"));
    const Result fragment = run({bin("lab05-raw"), "get", server.url("#top")});
    INFO(fragment.describe());
    CHECK(fragment.exit_code == 0);
    CHECK_THAT(fragment.out, match::StartsWith("> GET / HTTP/1.1\n"));
}

TEST_CASE("lab05-raw reads chunked bodies and bodies that end with the connection", "[lab05][raw][ex2]")
{
    INFO("see " << doc_raw << " (lab05-http/http_parse.cpp)");
    {
        OneShotServer chunked("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                              "6\r\nhello \r\nb;ext=1\r\nfrom chunks\r\n0\r\n\r\n");
        const Result r = run({bin("lab05-raw"), "get", chunked.url("/")});
        INFO(r.describe());
        CHECK(r.exit_code == 0);
        CHECK_THAT(r.out, match::EndsWith("< Transfer-Encoding: chunked\n<\nhello from chunks\nbody: 17 bytes (chunked, 2 chunks)\n"));
    }
    {
        OneShotServer old("HTTP/1.0 200 OK\r\nServer: old\r\n\r\nuntil the end");
        const Result r = run({bin("lab05-raw"), "get", old.url("/")});
        INFO(r.describe());
        CHECK(r.exit_code == 0);
        CHECK_THAT(r.out, match::EndsWith("until the end\nbody: 13 bytes (until the server closed the connection)\n"));
    }
}

TEST_CASE("lab05-raw refuses a broken response with one line, exit 1", "[lab05][raw][ex2]")
{
    INFO("see " << doc_raw << " (lab05-http/http_parse.cpp)");
    struct Case {
        std::string response, error;
    };
    const std::vector<Case> cases = {
        {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "lab05-raw: bad chunk size line 'zz': must be a hexadecimal number\n"},
        {"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort", "lab05-raw: the server closed the connection after 5 of 10 body bytes\n"},
        {"SSH-2.0-OpenSSH_9.2\r\n\r\n", "lab05-raw: bad status line 'SSH-2.0-OpenSSH_9.2': expected 'HTTP/1.x CODE REASON'\n"},
        {"HTTP/1.1 200 OK\r\nno colon here\r\n\r\n", "lab05-raw: bad header line 'no colon here': no ':'\n"},
        {"HTTP/1.1 200 OK\r\nContent-Length: ten\r\n\r\n", "lab05-raw: bad Content-Length 'ten': must be a number of bytes\n"},
    };
    for (const auto& c : cases) {
        OneShotServer server(c.response);
        const Result r = run({bin("lab05-raw"), "get", server.url("/")});
        INFO("the server answered " << c.response << "\n" << r.describe());
        CHECK(r.exit_code == 1);
        CHECK(r.err == c.error);
    }
}

TEST_CASE("lab05-doctor: every layer on loopback, and the first broken one", "[lab05][doctor]")
{
    INFO("see docs/en/lab05.md#when-a-request-fails");
    {
        RunningServer server;
        const Result r = run({bin("lab05-doctor"), server.url("/hello")});
        INFO(r.describe());
        CHECK(r.exit_code == 0);
        CHECK_THAT(r.out, match::Contains("ok    route    to 127.0.0.1 (this host itself)\n"));
        CHECK_THAT(r.out, match::Contains("ok    server   listening on 127.0.0.1:" + port_of(server.where) + "\n"));
        CHECK_THAT(r.out, match::Contains("ok    http     HTTP/1.1 200 OK\n"));
        CHECK_THAT(r.out, match::EndsWith("every layer works\n"));

        const Result missing = run({bin("lab05-doctor"), server.url("/nope")});
        INFO(missing.describe());
        CHECK(missing.exit_code == 1);
        CHECK_THAT(missing.out, match::Contains("FAIL  http     HTTP/1.1 404 Not Found\n"));
    }
    ClosedTcpPort closed;
    const Result r = run({bin("lab05-doctor"), "http://127.0.0.1:" + closed.text() + "/"});
    INFO(r.describe());
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.out, match::Contains("FAIL  server   nothing on this host listens on port " + closed.text() + "\n"));
    CHECK_THAT(r.out, match::EndsWith("first broken layer: server. fix: start the server (lab05-server --port " +
                                      closed.text() + ")\n"));
}
