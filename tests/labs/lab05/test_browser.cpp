// A real browser against lab05-server: headless Chromium loads GET / and
// finds the form, then posts that form and sees the message on the page the
// server sends it back to (issue 11: "a browser works, as a user of the seeds
// would try first").
//
// Chromium is driven without Node or WebDriver. `--dump-dom URL` prints the
// page as the browser built it, after its scripts ran and its navigations
// ended. To submit the form, the test writes a local HTML file holding the
// same form (same method, action and fields, checked against the real page,
// so the two stay in step) that submits itself when loaded. Chromium POSTs
// it, follows the server's 303 back to /, and dumps that page.
//
// Skipped, with the reason, where no `chromium` (or `chromium-browser`) is on
// PATH: ./netlabs setup does not install a browser (Debian: apt-get install
// chromium). Chromium loads 127.0.0.1 and the test's own file only: no proxy,
// every other host name resolves to nothing (so no DNS query leaves the
// machine), no background networking; and all of it runs in a network
// namespace with only loopback (netlabs-net isolate). Each run is bounded
// (30 s); at the deadline its process group is killed.
// Doc: docs/en/lab05.md, "The seeds' stack: Flask and requests".
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include "lab05.hpp"
#include "virtual_network.hpp"
#include "netlabs/process.hpp"

using namespace lab05::test;

namespace {

// The first `chromium` or `chromium-browser` on PATH, or "".
std::string browser_on_path()
{
    const char* path = std::getenv("PATH");
    for (const std::string name : {"chromium", "chromium-browser"}) {
        std::istringstream dirs(path ? path : "");
        std::string dir;
        while (std::getline(dirs, dir, ':')) {
            if (dir.empty()) continue;
            const std::string candidate = dir + "/" + name;
            if (std::filesystem::is_regular_file(candidate) && ::access(candidate.c_str(), X_OK) == 0)
                return candidate;
        }
    }
    return "";
}

// A fresh directory for one test: Chromium's profile, HOME and the page it
// submits. Removed with everything in it when the test ends.
class BrowserScratch {
public:
    BrowserScratch()
    {
        std::string pattern = (std::filesystem::temp_directory_path() / "lab05-browser-XXXXXX").string();
        REQUIRE(::mkdtemp(pattern.data()) != nullptr);
        path_ = pattern;
    }
    ~BrowserScratch()
    {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    BrowserScratch(const BrowserScratch&) = delete;
    BrowserScratch& operator=(const BrowserScratch&) = delete;
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

struct BrowserRun {
    netlabs::process::Result result;
    std::string describe() const
    {
        return result.exit.describe() + (result.timed_out ? " (killed at the 30 s deadline)" : "") +
               "\n--- the DOM (stdout) ---\n" + result.out + "\n--- stderr ---\n" + result.err;
    }
};

// chromium --headless ... --dump-dom URL, with a profile of its own under
// `scratch`, in a process group of its own (killed as a whole at the deadline,
// or if the test dies).
BrowserRun dump_dom(const std::string& chromium, const BrowserScratch& scratch, const std::string& profile,
                    const std::string& url)
{
    const std::string home = (scratch.path() / profile).string();
    netlabs::process::Spec spec({chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                                 "--no-first-run", "--disable-background-networking", "--disable-component-update",
                                 "--disable-sync", "--no-proxy-server",
                                 "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
                                 "--user-data-dir=" + home + "/profile", "--dump-dom", url});
    spec.env = {{"HOME", home}, {"XDG_CONFIG_HOME", home + "/config"}, {"XDG_CACHE_HOME", home + "/cache"}};
    spec.own_group = true;
    spec.parent_death_signal = SIGKILL;
    return {netlabs::process::run(spec, 30s)};
}

// The form's fields that the test fills in, in the page's order.
const std::vector<std::pair<std::string, std::string>> browser_message{
    {"name", "chromium"}, {"text", "hello from headless chromium, 안녕"}};

// An HTML page with the form of lab05-server's page, aimed at `server`, that
// submits itself as soon as it is parsed.
std::string self_submitting_page(const std::string& server)
{
    std::string page = "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>submit</title></head><body>\n"
                       "<form method=\"post\" action=\"" + server + "/messages\">\n";
    for (const auto& [field, value] : browser_message)
        page += "  <input name=\"" + field + "\" value=\"" + value + "\">\n";
    page += "</form>\n<script>document.forms[0].submit()</script>\n</body></html>\n";
    return page;
}

std::string attribute(const std::string& tag, const std::string& name)
{
    std::smatch m;
    const std::regex re("\\s" + name + "=\"([^\"]*)\"");
    return std::regex_search(tag, m, re) ? m[1].str() : std::string("(none)");
}

} // namespace

// [ex1]: the form is stored through validate_message (exercise 1), as curl's form is.
TEST_CASE("headless Chromium shows the form at GET / and posts it", "[lab05][browser][ex1]")
{
    INFO("see " << doc_interop);
    const std::string chromium = browser_on_path();
    if (chromium.empty())
        SKIP("no chromium (or chromium-browser) on PATH: the browser test needs one (Debian: apt-get install "
             "chromium); ./netlabs setup does not install it");
    const netlabs::process::Result version = netlabs::process::run(netlabs::process::Spec({chromium, "--version"}), 30s);
    if (version.exit.status() != 0) {
        std::string said = version.out + version.err;
        while (!said.empty() && std::isspace(static_cast<unsigned char>(said.back()))) said.pop_back();
        SKIP(chromium << " is on PATH but does not run (" << version.exit.describe() << "): " << said);
    }

    // Chromium and the server run together in a network namespace that has
    // nothing but loopback (netlabs-net isolate): whatever Chromium tries on
    // its own (update checks, name lookups, an IPv6 probe) has nowhere to go.
    // This test runs itself again in there.
    if (std::getenv("NETLABS_BROWSER_ISOLATED") == nullptr) {
        if (const std::string why = netlabs::test::netlab_unavailable(); !why.empty())
            SKIP("the browser test runs Chromium in a network namespace of its own: " << why);
        const std::string self = std::filesystem::read_symlink("/proc/self/exe").string();
        const Result inside = run({bin("netlabs-net"), "isolate", "--", "env", "NETLABS_BROWSER_ISOLATED=1", self,
                                   "headless Chromium shows the form at GET / and posts it"},
                                  std::nullopt, 120s);
        INFO("the same test, run in an isolated network namespace:\n" << inside.describe());
        CHECK(inside.exit_code == 0);
        return;
    }

    RunningServer server;
    const std::string base = "http://127.0.0.1:" + port_of(server.where);
    BrowserScratch scratch;

    // 1. The page a browser gets at GET /: a form that POSTs name and text to /messages.
    const BrowserRun page = dump_dom(chromium, scratch, "page", base + "/");
    INFO("step 1: chromium --headless --dump-dom " << base << "/\n" << page.describe());
    REQUIRE(page.result.exit.status() == 0);
    server.process.wait_for_line(R"("GET / HTTP/1\.1" 200 \d+$)");
    std::smatch form;
    REQUIRE(std::regex_search(page.result.out, form, std::regex("<form[^>]*>")));
    CHECK(attribute(form.str(), "method") == "post");
    CHECK(attribute(form.str(), "action") == "/messages");
    std::vector<std::string> fields, expected;
    const std::regex input("<input[^>]*>");
    for (auto it = std::sregex_iterator(page.result.out.begin(), page.result.out.end(), input);
         it != std::sregex_iterator(); ++it)
        fields.push_back(attribute(it->str(), "name"));
    for (const auto& field : browser_message) expected.push_back(field.first);
    INFO("the page's form must have the fields this test submits, in this order");
    CHECK(fields == expected);

    // 2. The same form, posted by the browser: 303 back to /, which lists the message.
    const std::filesystem::path submit = scratch.path() / "submit.html";
    std::ofstream(submit) << self_submitting_page(base);
    const BrowserRun posted = dump_dom(chromium, scratch, "post", "file://" + submit.string());
    INFO("step 2: chromium --headless --dump-dom file://" << submit.string()
                                                          << " (a copy of the form that submits itself)\n"
                                                          << posted.describe());
    REQUIRE(posted.result.exit.status() == 0);
    INFO("a browser's form POST (Accept: text/html) is answered 303 See Other, back to /");
    server.process.wait_for_line(R"("POST /messages HTTP/1\.1" 303 0$)");
    CHECK_THAT(posted.result.out, match::Contains("<h1>lab05-server</h1>"));
    CHECK_THAT(posted.result.out, match::Contains("<li><b>chromium</b>: hello from headless chromium, 안녕</li>"));

    // 3. The message arrived: GET /messages, as any program would.
    httplib::Client client("127.0.0.1", server.where.port);
    client.set_connection_timeout(5s);
    client.set_read_timeout(5s);
    const auto list = client.Get("/messages");
    REQUIRE(list);
    INFO("step 3: GET " << base << "/messages: " << list->status << " " << list->body);
    CHECK(list->status == 200);
    CHECK(list->body == "[{\"id\":1,\"name\":\"chromium\",\"text\":\"hello from headless chromium, 안녕\"}]\n");
}
