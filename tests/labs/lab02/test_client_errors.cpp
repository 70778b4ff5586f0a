// lab02-client's failures on one machine: refused, no reply, a server that
// hangs up. (No route and the refused-from-another-host hint need a second
// host: test_lan.cpp.) Doc: docs/en/lab02.md, "When it does not work".
#include "support.hpp"

using namespace lab02;

TEST_CASE("nobody listening on loopback: refused, and asked whether the server runs",
          "[lab02][client][errors]")
{
    const ClosedTcpPort closed;
    const std::string port = closed.text();
    const Result client = run({bin("lab02-client"), "127.0.0.1", port, "hi"});
    INFO(client.describe());
    CHECK(client.exit_code == 1);
    CHECK(client.err == "lab02-client: connect 127.0.0.1:" + port +
                            ": connection refused (is lab02-server running, and on that port?)\n");
    CHECK(client.out.empty());
}

TEST_CASE("a server that accepts but never answers: the reply times out", "[lab02][client][errors]")
{
    // A listening socket completes the TCP handshake in the kernel, even if
    // the program never calls accept(): the connect succeeds, no reply comes.
    asio::io_context io;
    asio::ip::tcp::acceptor mute(io, {loopback(), 0});
    const std::string port = std::to_string(mute.local_endpoint().port());
    const Result client = run({bin("lab02-client"), "--timeout", "0.3", "127.0.0.1", port, "hi"});
    INFO(client.describe());
    CHECK(client.exit_code == 1);
    CHECK_THAT(client.err, match::StartsWith("lab02-client: receive from 127.0.0.1:" + port + ": timed out ("));
}

TEST_CASE("a server that hangs up without a reply is reported as such", "[lab02][client][errors]")
{
    asio::io_context io;
    asio::ip::tcp::acceptor rude(io, {loopback(), 0});
    const std::string port = std::to_string(rude.local_endpoint().port());
    Process client({bin("lab02-client"), "127.0.0.1", port, "hi"});
    {
        asio::ip::tcp::socket s = rude.accept();
        std::string line;
        asio::read_until(s, asio::dynamic_buffer(line), '\n');  // take the message, then hang up
        CHECK(line == "hi\n");
    }
    const Result done = client.wait();
    INFO(done.describe());
    CHECK(done.exit_code == 1);
    CHECK(done.err == "lab02-client: receive from 127.0.0.1:" + port +
                          ": the server closed the connection without a reply\n");
}
