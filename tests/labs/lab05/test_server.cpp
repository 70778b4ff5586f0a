// lab05-server's routes, in-process: every route, every status code, the
// JSON error bodies, the bounded list and the access log.
// Doc: docs/en/lab05.md, "The server" and "Validating a POST"; code:
// lab05-http/http_server.cpp, lab05-http/message.cpp (lab05-ex1).
#include <nlohmann/json.hpp>

#include "lab05.hpp"

using namespace lab05::test;
using json = nlohmann::json;

namespace {

// The status and the JSON error of a response, for INFO.
std::string shown(const httplib::Result& r)
{
    if (!r) return "no response: " + httplib::to_string(r.error());
    return std::to_string(r->status) + " " + r->body;
}

void check_json_error(const httplib::Result& r, int status, const std::string& error)
{
    INFO("expected " << status << " with {\"error\": \"" << error << "\"}, got " << shown(r));
    REQUIRE(r);
    CHECK(r->status == status);
    CHECK(r->get_header_value("Content-Type") == "application/json");
    const json body = json::parse(r->body, nullptr, false);
    REQUIRE(body.is_object());
    CHECK(body.value("status", 0) == status);
    CHECK(body.value("error", std::string()) == error);
}

} // namespace

TEST_CASE("GET /hello, / and /whoami answer 200", "[lab05][server]")
{
    INFO("see " << doc_server);
    InProcessServer server;
    auto client = server.client();

    auto hello = client.Get("/hello");
    INFO("GET /hello: " << shown(hello));
    REQUIRE(hello);
    CHECK(hello->status == 200);
    CHECK(hello->body == "hello from lab05-server\n");

    auto page = client.Get("/");
    REQUIRE(page);
    CHECK(page->status == 200);
    CHECK_THAT(page->get_header_value("Content-Type"), match::StartsWith("text/html"));
    CHECK_THAT(page->body, match::Contains("<form method=\"post\" action=\"/messages\">"));
    CHECK_THAT(page->body, match::Contains("name=\"name\""));
    CHECK_THAT(page->body, match::Contains("name=\"text\""));

    auto who = client.Get("/whoami");
    REQUIRE(who);
    CHECK(who->status == 200);
    const json me = json::parse(who->body);
    CHECK(me["ip"] == "127.0.0.1");
    CHECK(me["port"].is_number_integer());
}

TEST_CASE("POST /messages stores a message, GET /messages returns them in order", "[lab05][server][ex1]")
{
    INFO("see " << doc_post << " (lab05-http/message.cpp, validate_message)");
    InProcessServer server;
    auto client = server.client();

    auto first = client.Post("/messages", R"({"name": "friend", "text": "hello from the hotspot"})", "application/json");
    INFO("POST JSON: " << shown(first));
    REQUIRE(first);
    CHECK(first->status == 201);
    CHECK(json::parse(first->body) == json{{"id", 1}, {"name", "friend"}, {"text", "hello from the hotspot"}});

    // A form, as a program sends it: 201 and the message.
    auto second = client.Post("/messages", httplib::Params{{"name", "  desktop "}, {"text", "hi back"}});
    INFO("POST form: " << shown(second));
    REQUIRE(second);
    CHECK(second->status == 201);
    CHECK(json::parse(second->body)["name"] == "desktop");  // trimmed

    // A browser's form (Accept: text/html) is sent back to the page.
    httplib::Headers browser{{"Accept", "text/html,application/xhtml+xml"}};
    auto third = client.Post("/messages", browser, "name=browser&text=from+the+form", "application/x-www-form-urlencoded");
    REQUIRE(third);
    CHECK(third->status == 303);
    CHECK(third->get_header_value("Location") == "/");

    auto list = client.Get("/messages");
    REQUIRE(list);
    CHECK(list->status == 200);
    const json all = json::parse(list->body);
    REQUIRE(all.is_array());
    REQUIRE(all.size() == 3);
    CHECK(all[0]["name"] == "friend");
    CHECK(all[1]["text"] == "hi back");
    CHECK(all[2]["text"] == "from the form");
    CHECK(all[2]["id"] == 3);
}

TEST_CASE("a POST with a bad field gets 400 naming the field", "[lab05][server][ex1]")
{
    INFO("see " << doc_post << " (lab05-http/message.cpp, validate_message)");
    InProcessServer server;
    auto client = server.client();
    const std::string long_text(501, 'x');
    const std::vector<std::pair<std::string, std::string>> cases = {
        {R"({"text": "hi"})", "missing field 'name'"},
        {R"({"name": "friend"})", "missing field 'text'"},
        {R"({"name": "friend", "text": 42})", "field 'text' must be a string (got number)"},
        {R"({"name": null, "text": "hi"})", "field 'name' must be a string (got null)"},
        {R"({"name": "   ", "text": "hi"})", "field 'name' is empty"},
        {R"({"name": "friend", "text": ")" + long_text + "\"}", "field 'text' is too long (501 bytes, at most 500)"},
        {R"(["friend", "hi"])", "body is not a JSON object (got array)"},
    };
    for (const auto& [body, error] : cases) {
        INFO("POST /messages " << body.substr(0, 60));
        check_json_error(client.Post("/messages", body, "application/json"), 400, error);
    }
    check_json_error(client.Post("/messages", httplib::Params{{"name", "x"}}), 400, "missing field 'text'");
    auto list = client.Get("/messages");
    REQUIRE(list);
    CHECK(list->body == "[]\n");  // nothing bad was stored
}

TEST_CASE("every error is JSON with its status: 400, 404, 405, 413, 415", "[lab05][server]")
{
    INFO("see " << doc_limits);
    lab05::ServerLimits limits;
    limits.max_body = 1000;
    InProcessServer server(limits);
    auto client = server.client();

    check_json_error(client.Get("/nope"), 404, "no such path: /nope (try /, /hello, /messages, /whoami)");

    auto wrong = client.Post("/hello", "x", "text/plain");
    check_json_error(wrong, 405, "method POST is not allowed on /hello (allowed: GET, HEAD)");
    CHECK(wrong->get_header_value("Allow") == "GET, HEAD");
    check_json_error(client.Delete("/messages"), 405,
                     "method DELETE is not allowed on /messages (allowed: GET, HEAD, POST)");

    check_json_error(client.Post("/messages", "name=x", "text/plain"), 415,
                     "Content-Type 'text/plain' is not supported: send application/json or "
                     "application/x-www-form-urlencoded");
    check_json_error(client.Post("/messages", "{", "application/json"), 400, "body is not valid JSON (byte 2)");
    check_json_error(client.Post("/messages", std::string(1001, 'x'), "application/json"), 413,
                     "body too large: this server takes at most 1000 bytes (--max-body)");
}

TEST_CASE("the list is bounded: the oldest message goes first", "[lab05][server]")
{
    lab05::MessageBoard board(3);
    for (int i = 1; i <= 5; ++i) board.add({0, "n", "message " + std::to_string(i)});
    const auto all = board.all();
    INFO("a board of capacity 3 after 5 messages; see " << doc_server);
    REQUIRE(all.size() == 3);
    CHECK(all.front().text == "message 3");
    CHECK(all.front().id == 3);
    CHECK(all.back().id == 5);
}

TEST_CASE("the page shows messages as text, never as HTML", "[lab05][server]")
{
    INFO("a message is a stranger's text: escape it (see " << doc_server << ")");
    InProcessServer server;
    server.board().add({0, "<b>x</b>", "<script>alert(1)</script> & \"q\""});
    auto page = server.client().Get("/");
    REQUIRE(page);
    CHECK_THAT(page->body, match::Contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;q&quot;"));
    CHECK_THAT(page->body, !match::Contains("<script>"));
}

TEST_CASE("one access-log line per request, with the client, the request and the status", "[lab05][server]")
{
    InProcessServer server;
    auto client = server.client();
    REQUIRE(client.Get("/hello"));
    REQUIRE(client.Get("/nope"));
    const auto log = server.log(2);
    INFO("the access log: one line per request; see " << doc_server);
    REQUIRE(log.size() == 2);
    // Each request is logged by the thread that answered it, just after
    // answering: the two lines may come in either order.
    const bool hello_first = log[0].find("/hello") != std::string::npos;
    CHECK_THAT(log[hello_first ? 0 : 1], match::Matches(R"(127\.0\.0\.1:\d+ "GET /hello HTTP/1\.1" 200 24)"));
    CHECK_THAT(log[hello_first ? 1 : 0], match::Matches(R"(127\.0\.0\.1:\d+ "GET /nope HTTP/1\.1" 404 \d+)"));
}

TEST_CASE("validate_message: the rules of a message", "[lab05][message][ex1]")
{
    INFO("see " << doc_post << "; code: lab05-http/message.cpp");
    const auto ok = lab05::validate_message(json{{"name", " friend\n"}, {"text", "\thello "}, {"extra", 1}});
    CHECK(ok.name == "friend");
    CHECK(ok.text == "hello");
    CHECK(ok.id == 0);
    CHECK(lab05::validate_message(json{{"name", std::string(40, 'n')}, {"text", std::string(500, 't')}}).text.size() ==
          500);

    const auto refused = [](const json& body) -> std::string {
        try {
            (void)lab05::validate_message(body);
        } catch (const lab05::ValidationError& e) {
            return e.what();
        }
        return "(accepted)";
    };
    CHECK(refused(json("text")) == "body is not a JSON object (got string)");
    CHECK(refused(json::object()) == "missing field 'name'");
    CHECK(refused(json{{"name", "a"}}) == "missing field 'text'");
    CHECK(refused(json{{"name", true}, {"text", "t"}}) == "field 'name' must be a string (got boolean)");
    CHECK(refused(json{{"name", "a"}, {"text", json::array()}}) == "field 'text' must be a string (got array)");
    CHECK(refused(json{{"name", "a"}, {"text", " \t\r\n"}}) == "field 'text' is empty");
    CHECK(refused(json{{"name", std::string(41, 'n')}, {"text", "t"}}) ==
          "field 'name' is too long (41 bytes, at most 40)");
    CHECK(refused(json{{"name", "a"}, {"text", std::string(501, 't')}}) ==
          "field 'text' is too long (501 bytes, at most 500)");
}
