#include "http_server.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <exception>
#include <string_view>

namespace lab05 {
namespace {

constexpr std::array<std::string_view, 4> known_paths{"/", "/hello", "/messages", "/whoami"};

const char* allowed_methods(std::string_view path)
{
    return path == "/messages" ? "GET, HEAD, POST" : "GET, HEAD";
}

void send_json(httplib::Response& res, int status, const nlohmann::json& body)
{
    res.status = status;
    res.set_content(body.dump() + "\n", "application/json");
}

void send_error(httplib::Response& res, int status, const std::string& why)
{
    res.status = status;
    res.set_content(error_body(status, why), "application/json");
}

// Text from a client, safe inside HTML: <script> stays text.
std::string escape_html(std::string_view text)
{
    std::string out;
    for (char c : text) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&#39;"; break;
        default: out += c;
        }
    }
    return out;
}

std::string home_page(const std::vector<Message>& messages)
{
    std::string page = R"(<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>lab05-server</title></head>
<body>
<h1>lab05-server</h1>
<form method="post" action="/messages">
  <label>name <input name="name" maxlength="40" required></label>
  <label>text <input name="text" maxlength="500" required></label>
  <button type="submit">send</button>
</form>
<ul id="messages">
)";
    for (const auto& m : messages)
        page += "  <li><b>" + escape_html(m.name) + "</b>: " + escape_html(m.text) + "</li>\n";
    page += "</ul>\n</body>\n</html>\n";
    return page;
}

std::string media_type(const httplib::Request& req)
{
    std::string type = req.get_header_value("Content-Type");
    type = type.substr(0, type.find(';'));
    while (!type.empty() && type.back() == ' ') type.pop_back();
    for (char& c : type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return type;
}

void post_message(MessageBoard& board, const httplib::Request& req, httplib::Response& res)
{
    const std::string type = media_type(req);
    const bool form = type == "application/x-www-form-urlencoded";
    if (type != "application/json" && !form) {
        send_error(res, 415,
                   "Content-Type '" + (type.empty() ? std::string("(none)") : type) +
                       "' is not supported: send application/json or application/x-www-form-urlencoded");
        return;
    }
    Message message;
    try {
        if (form) {
            message = validate_form(req.params);
        } else {
            message = parse_message_body(req.body);
        }
    } catch (const ValidationError& e) {
        send_error(res, 400, e.what());
        return;
    }
    message = board.add(std::move(message));
    // A browser's form gets the page back (303: GET it); a program gets the message.
    if (form && req.get_header_value("Accept").find("text/html") != std::string::npos) {
        res.status = 303;
        res.set_header("Location", "/");
        return;
    }
    send_json(res, 201, to_json(message));
}

} // namespace

std::string error_body(int status, const std::string& why)
{
    return nlohmann::json{{"error", why}, {"status", status}}.dump() + "\n";
}

std::string access_line(const httplib::Request& req, const httplib::Response& res)
{
    std::string target = req.target.empty() ? req.path : req.target;
    std::string request = req.method.empty() ? "-" : req.method + " " + target + " " + req.version;
    for (char& c : request)
        if (static_cast<unsigned char>(c) < 0x20 || c == '"' || c == 0x7f) c = '?';
    return req.remote_addr + ":" + std::to_string(req.remote_port) + " \"" + request + "\" " +
           std::to_string(res.status) + " " + std::to_string(res.body.size());
}

void configure(httplib::Server& server, MessageBoard& board, const ServerLimits& limits, AccessLog log)
{
    // --- one server per port ---------------------------------------------------
    // cpp-httplib's default sets SO_REUSEPORT on Linux: a second server on the
    // same port would start without a word and take half the connections
    // (seed error 4). SO_REUSEADDR alone allows a quick restart (seed error 7)
    // and makes a second server fail with "address already in use".
    server.set_socket_options([](socket_t sock) {
        int yes = 1;
#ifdef _WIN32
        setsockopt(sock, SOL_SOCKET, SO_EXCLUSIVEADDRUSE, reinterpret_cast<const char*>(&yes), sizeof(yes));
#else
        setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
#endif
    });

    // cpp-httplib writes a response's head and body in separate send()s. With
    // Nagle's algorithm on, the body waits for the ACK of the head, and the
    // client delays that ACK by up to 40 ms: every keep-alive request would
    // take 40 ms (measured: 275 requests/s instead of thousands). Send at once.
    server.set_tcp_nodelay(true);

    // --- limits: what one client can make this server hold -----------------
    server.set_payload_max_length(limits.max_body);  // a bigger body: 413
    server.set_read_timeout(std::chrono::duration_cast<std::chrono::microseconds>(limits.read_timeout));
    server.set_write_timeout(std::chrono::duration_cast<std::chrono::microseconds>(limits.write_timeout));
    // Between two requests on one connection, a client may stay silent as long
    // as within one (whole seconds: cpp-httplib's unit here).
    server.set_keep_alive_timeout(std::max<time_t>(1, (limits.read_timeout.count() + 999) / 1000));
    const std::size_t threads = limits.threads;
    server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };

    // cpp-httplib has no limit on the number of header lines: count them
    // before any route runs (each line's length is capped at 8 KiB by it).
    const std::size_t max_headers = limits.max_headers;
    server.set_pre_routing_handler([max_headers](const httplib::Request& req, httplib::Response& res) {
        // cpp-httplib adds four headers of its own (REMOTE_ADDR ...): not the client's.
        std::size_t sent = req.headers.size();
        for (const char* own : {"REMOTE_ADDR", "REMOTE_PORT", "LOCAL_ADDR", "LOCAL_PORT"})
            if (sent > 0 && req.has_header(own)) --sent;
        if (sent <= max_headers) return httplib::Server::HandlerResponse::Unhandled;
        send_error(res, 431,
                   "too many header lines (" + std::to_string(sent) + ", at most " + std::to_string(max_headers) +
                       ")");
        res.set_header("Connection", "close");
        return httplib::Server::HandlerResponse::Handled;
    });

    // --- the routes ----------------------------------------------------------
    server.Get("/", [&board](const httplib::Request&, httplib::Response& res) {
        res.set_content(home_page(board.all()), "text/html; charset=utf-8");
    });
    server.Get("/hello", [](const httplib::Request&, httplib::Response& res) {
        res.set_content("hello from lab05-server\n", "text/plain; charset=utf-8");
    });
    server.Get("/messages", [&board](const httplib::Request&, httplib::Response& res) {
        nlohmann::json list = nlohmann::json::array();
        for (const auto& m : board.all()) list.push_back(to_json(m));
        send_json(res, 200, list);
    });
    server.Post("/messages", [&board](const httplib::Request& req, httplib::Response& res) {
        post_message(board, req, res);
    });
    server.Get("/whoami", [](const httplib::Request& req, httplib::Response& res) {
        send_json(res, 200, {{"ip", req.remote_addr}, {"port", req.remote_port}});
    });

    // --- errors: every one as JSON, with a reason ---------------------------
    server.set_error_handler(httplib::Server::HandlerWithResponse(
        [max_body = limits.max_body](const httplib::Request& req, httplib::Response& res) {
        if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;  // a route's own error
        std::string why;
        switch (res.status) {
        case 400: why = "bad request: the request line, a header or the chunked body is malformed"; break;
        case 404: {
            bool known = false;
            for (auto path : known_paths) known = known || req.path == path;
            if (known) {
                res.status = 405;
                res.set_header("Allow", allowed_methods(req.path));
                why = "method " + req.method + " is not allowed on " + req.path + " (allowed: " +
                      allowed_methods(req.path) + ")";
            } else {
                why = "no such path: " + req.path + " (try /, /hello, /messages, /whoami)";
            }
            break;
        }
        case 413: why = "body too large: this server takes at most " + std::to_string(max_body) + " bytes (--max-body)"; break;
        case 414: why = "request target too long"; break;
        default: why = "HTTP error " + std::to_string(res.status);
        }
        if (res.status == 400 || res.status == 413 || res.status == 414)
            res.set_header("Connection", "close");  // the rest of what it sent cannot be trusted
        send_error(res, res.status, why);
        return httplib::Server::HandlerResponse::Handled;
    }));
    server.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
        send_error(res, 500, "internal error");
    });
    server.set_logger([log = std::move(log)](const httplib::Request& req, const httplib::Response& res) {
        if (log) log(access_line(req, res));
    });
}

} // namespace lab05
