// lab05-client: GET and POST like Python's requests.get / requests.post
// (the seeds' client), with cpp-httplib.
//
//   $ lab05-client get http://203.0.113.123:5000/hello
//   HTTP/1.1 200 OK
//   hello from lab05-server
//
// It tells apart what can go wrong, because each has its own fix: a bad URL
// (exit 2), a name that does not resolve, a refused connection, a timeout,
// no route (exit 1), and an HTTP error status (exit 1, with its status line).
#include <asio/connect.hpp>
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <chrono>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "client_errors.hpp"
#include "netlabs/cli.hpp"
#include "netlabs/errors.hpp"
#include "netlabs/timed.hpp"
#include "url.hpp"

namespace {

// httplib failed to connect; connect again with asio to learn why (the
// resolver's error, refused, unreachable ...). An empty code: it worked this time.
std::error_code connect_cause(const lab05::Url& url, std::chrono::milliseconds timeout)
{
    asio::io_context io;
    asio::ip::tcp::resolver resolver(io);
    std::error_code ec;
    const auto endpoints = resolver.resolve(url.server.host, std::to_string(url.server.port), ec);
    if (ec) return ec;
    asio::ip::tcp::socket socket(io);
    try {
        netlabs::timed_connect(socket, endpoints, timeout, url.server.to_string());
    } catch (const netlabs::NetworkError& e) {
        return e.code();
    }
    return {};
}

void print_response(const httplib::Response& res, bool headers)
{
    std::cout << res.version << ' ' << res.status << ' ' << res.reason << '\n';
    if (headers) {
        for (const auto& [name, value] : res.headers) std::cout << name << ": " << value << '\n';
        std::cout << '\n';
    }
    std::cout << res.body;
    if (!res.body.empty() && res.body.back() != '\n') std::cout << '\n';
}

} // namespace

int main(int argc, char** argv)
{
    CLI::App app{"lab05-client: HTTP GET and POST, like Python's requests (seeds 001, 000)", "lab05-client"};
    app.require_subcommand(1);
    std::string url_text, json, data, content_type = "text/plain", timeout_text = "10";
    std::vector<std::string> form;
    bool include = false;
    app.add_flag("-i,--include", include, "print the response's headers too");
    app.add_option("--timeout", timeout_text, "seconds to wait for a connection, and for each read")
        ->capture_default_str();

    CLI::App* get = app.add_subcommand("get", "GET URL and print the status line and body");
    get->add_option("URL", url_text, "http://HOST[:PORT]/PATH")->required();
    CLI::App* post = app.add_subcommand("post", "POST a body to URL (one of --json, --form, --data)");
    post->add_option("URL", url_text, "http://HOST[:PORT]/PATH")->required();
    auto* json_option = post->add_option("--json", json, "send this JSON (Content-Type: application/json)");
    auto* form_option = post->add_option("--form", form, "a form field NAME=VALUE (repeat it; urlencoded)");
    auto* data_option = post->add_option("--data", data, "send this text as it is, with --content-type");
    json_option->excludes(form_option)->excludes(data_option);
    form_option->excludes(data_option);
    post->add_option("--content-type", content_type, "the Content-Type of --data")->capture_default_str();
    // -i and --timeout may come after the subcommand too.
    get->fallthrough();
    post->fallthrough();

    return netlabs::run_main(app, argc, argv, [&] {
        const lab05::Url url = lab05::parse_url(url_text);
        const auto timeout = netlabs::parse_seconds(timeout_text, "--timeout");
        const bool posting = post->parsed();
        if (posting && json_option->count() + form_option->count() + data_option->count() == 0)
            throw netlabs::UsageError("post needs a body: --json '{...}', --form NAME=VALUE or --data TEXT");
        if (posting && json_option->count() > 0) {
            try {
                const auto parsed = nlohmann::json::parse(json);
                (void)parsed;
            } catch (const nlohmann::json::parse_error& e) {
                throw netlabs::UsageError("invalid --json '" + json + "': not JSON (byte " + std::to_string(e.byte) +
                                          "); to send it anyway use --data with --content-type application/json");
            } catch (const nlohmann::json::out_of_range&) {
                // 1e999: valid JSON text, but no double holds it.
                throw netlabs::UsageError("invalid --json '" + json +
                                          "': a number in it is too large for a double; to send it anyway use "
                                          "--data with --content-type application/json");
            }
        }
        httplib::Params fields;
        for (const auto& field : form) {
            const auto eq = field.find('=');
            if (eq == std::string::npos || eq == 0)
                throw netlabs::UsageError("invalid --form '" + field + "': must be NAME=VALUE, e.g. name=friend");
            fields.emplace(field.substr(0, eq), field.substr(eq + 1));
        }

        httplib::Client client(url.server.host, url.server.port);
        client.set_connection_timeout(timeout);
        client.set_read_timeout(timeout);
        client.set_write_timeout(timeout);

        const std::string method = posting ? "POST" : "GET";
        const auto started = std::chrono::steady_clock::now();
        httplib::Result result = !posting                 ? client.Get(url.target)
                                 : json_option->count()   ? client.Post(url.target, json, "application/json")
                                 : form_option->count()   ? client.Post(url.target, fields)
                                                          : client.Post(url.target, data, content_type);
        if (!result) {
            // Why? A failed connect is tried once more to learn the OS's reason;
            // a read that took the whole timeout timed out.
            std::error_code cause;
            if (result.error() == httplib::Error::Connection) {
                cause = connect_cause(url, timeout);
                // The second try connected: whatever stopped the first one
                // (an address that just came back, a neighbour not yet
                // resolved, a server that was restarting) is gone already.
                if (!cause)
                    throw std::runtime_error(method + " " + url.to_string() + ": could not connect to " +
                                             url.server.to_string() +
                                             ", but a second try to learn why connected: the failure passed "
                                             "(a server restarting, an address just back); try again");
            } else if (std::chrono::steady_clock::now() - started >= timeout - std::chrono::milliseconds(50)) {
                cause = std::make_error_code(std::errc::timed_out);
            }
            const lab05::Failure failure = lab05::classify(result.error(), cause);
            throw std::runtime_error(lab05::describe_failure(failure, method, url, cause, timeout));
        }
        print_response(*result, include);
        if (result->status >= 400) {
            std::cerr << "lab05-client: " << method << ' ' << url.to_string() << ": " << result->version << ' '
                      << result->status << ' ' << result->reason << '\n';
            return netlabs::exit_failure;
        }
        return netlabs::exit_ok;
    });
}
