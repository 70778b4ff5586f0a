// The seeds' own stack against ours: curl and Python's requests against
// lab05-server, lab05-client against a Flask app (lab05-http/interop/).
// Skipped, with the reason, where curl, python3-flask or python3-requests are
// missing (./netlabs setup installs them).
// Doc: docs/en/lab05.md, "The seeds' stack: Flask and requests".
#include <unistd.h>

#include "lab05.hpp"

using namespace lab05::test;

namespace {

std::string python() { return python_interpreter(); }
std::string interop(const std::string& file) { return source_dir() + "/lab05-http/interop/" + file; }

void need_python_module(const std::string& module)
{
    if (python().empty()) SKIP("python3 was not found when the build was configured");
    const Result r = run({python(), "-c", "import " + module});
    if (r.exit_code != 0) SKIP("python3 has no module '" << module << "' (install python3-" << module << ")");
}

std::string need_curl()
{
    for (const std::string dir : {"/usr/bin", "/usr/local/bin", "/opt/homebrew/bin", "/bin"}) {
        const std::string path = dir + "/curl";
        if (::access(path.c_str(), X_OK) == 0) return path;
    }
    SKIP("curl is not installed");
    return {};
}

} // namespace

TEST_CASE("curl GETs from lab05-server", "[lab05][interop]")
{
    INFO("see " << doc_interop);
    const std::string curl = need_curl();
    RunningServer server;
    const Result r = run({curl, "-sS", "--max-time", "5", server.url("/hello")});
    INFO(r.describe());
    CHECK(r.exit_code == 0);
    CHECK(r.out == "hello from lab05-server\n");
}

TEST_CASE("curl POSTs JSON and a form to lab05-server", "[lab05][interop][ex1]")
{
    INFO("see " << doc_interop);
    const std::string curl = need_curl();
    RunningServer server;
    const Result as_json = run({curl, "-sS", "--max-time", "5", "-H", "Content-Type: application/json", "--data",
                             R"({"name":"curl","text":"json"})", server.url("/messages")});
    INFO(as_json.describe());
    CHECK(as_json.out == "{\"id\":1,\"name\":\"curl\",\"text\":\"json\"}\n");
    const Result form = run({curl, "-sS", "--max-time", "5", "-w", "%{http_code}", "--data-urlencode", "name=curl",
                             "--data-urlencode", "text=a form", server.url("/messages")});
    INFO(form.describe());
    CHECK(form.out == "{\"id\":2,\"name\":\"curl\",\"text\":\"a form\"}\n201");
}

TEST_CASE("Python requests POSTs to and GETs from lab05-server", "[lab05][interop][ex1]")
{
    INFO("see " << doc_interop);
    need_python_module("requests");
    RunningServer server;
    const Result r = run({python(), interop("client.py"), server.url(""), "seed", "hello from requests"});
    INFO(r.describe());
    CHECK(r.exit_code == 0);
    CHECK(r.out == "201 {\"id\":1,\"name\":\"seed\",\"text\":\"hello from requests\"}\n"
                   "200 [{\"id\":1,\"name\":\"seed\",\"text\":\"hello from requests\"}]\n");
}

TEST_CASE("lab05-client GETs from and POSTs to the seeds' Flask app", "[lab05][interop]")
{
    INFO("see " << doc_interop);
    need_python_module("flask");
    Process flask({python(), interop("app.py"), "--port", "0"});
    const netlabs::Endpoint where = flask.wait_listening(15s);
    const std::string base = "http://127.0.0.1:" + port_of(where);

    const Result hello = run({bin("lab05-client"), "get", base + "/hello"});
    INFO(hello.describe());
    CHECK(hello.exit_code == 0);
    CHECK(hello.out == "HTTP/1.1 200 OK\nhello from flask\n");

    const Result post = run({bin("lab05-client"), "post", base + "/messages", "--json", R"({"name":"c++","text":"hi flask"})"});
    INFO(post.describe());
    CHECK(post.exit_code == 0);
    CHECK_THAT(post.out, match::StartsWith("HTTP/1.1 201 CREATED\n"));
    CHECK_THAT(post.out, match::Contains("\"text\":\"hi flask\""));

    const Result bad = run({bin("lab05-client"), "post", base + "/messages", "--form", "name=x"});
    INFO(bad.describe());
    CHECK(bad.exit_code == 1);
    CHECK(bad.err == "lab05-client: POST " + base + "/messages: HTTP/1.1 400 BAD REQUEST\n");
}
