// common/cli.hpp and ready.hpp: durations, exit codes, the ready file.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include <unistd.h>

#include "catch.hpp"
#include "netlabs/cli.hpp"
#include "netlabs/errors.hpp"
#include "netlabs/ready.hpp"

using namespace std::chrono_literals;

namespace {

// run_main on `app` with `args`: its exit code, a space, and what it wrote to stderr.
std::string stderr_of(CLI::App& app, std::vector<std::string> args)
{
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    std::ostringstream captured;
    auto* old = std::cerr.rdbuf(captured.rdbuf());
    const int code = netlabs::run_main(app, static_cast<int>(argv.size()), argv.data(), [] { return 0; });
    std::cerr.rdbuf(old);
    return std::to_string(code) + " " + captured.str();
}

} // namespace

TEST_CASE("seconds parse as numbers, with a clear error otherwise", "[common][cli]")
{
    CHECK(netlabs::parse_seconds("2.5", "--timeout") == 2500ms);
    CHECK(netlabs::parse_seconds("0", "--timeout") == 0ms);
    for (const char* bad : {"", "soon", "-1", "1e9", "2s", "nan", "inf"})
        CHECK_THROWS_WITH(netlabs::parse_seconds(bad, "--timeout"),
                          "invalid --timeout '" + std::string(bad) +
                              "': must be a number of seconds from 0 to 86400, e.g. 2.5");
}

TEST_CASE("counts parse as whole numbers in a range, with a clear error otherwise", "[common][cli]")
{
    CHECK(netlabs::parse_count("8", "--jobs", 1, 256) == 8);
    CHECK(netlabs::parse_count("1", "--jobs", 1, 256) == 1);
    for (const char* bad : {"", "0", "-1", "257", "1.5", "8x", "nan", "99999999999999999999"})
        CHECK_THROWS_WITH(netlabs::parse_count(bad, "--jobs", 1, 256),
                          "invalid --jobs '" + std::string(bad) + "': must be a whole number from 1 to 256");
}

TEST_CASE("run_main names an unknown option or subcommand given where a subcommand is required", "[common][cli]")
{
    auto run = [](std::vector<std::string> args) {
        CLI::App app{"test", "prog"};
        app.require_subcommand(1);
        app.add_subcommand("serve", "a subcommand");
        return stderr_of(app, std::move(args));
    };
    CHECK(run({"prog", "--bogus"}) == "2 prog: unknown option '--bogus' (see --help)\n");
    CHECK(run({"prog", "bogus"}) == "2 prog: unknown subcommand 'bogus' (see --help)\n");
    CHECK(run({"prog"}) == "2 prog: A subcommand is required (see --help)\n");
}

TEST_CASE("run_main says a value of the wrong type as every bad value is said", "[common][cli]")
{
    auto run = [](std::vector<std::string> args) {
        CLI::App app{"test", "prog"};
        int backlog = 0;
        unsigned count = 0;
        double ratio = 0;
        app.add_option("--backlog", backlog);
        app.add_subcommand("run", "a subcommand")->add_option("--count", count);
        app.add_option("--ratio", ratio);
        return stderr_of(app, std::move(args));
    };
    CHECK(run({"prog", "--backlog", "abc"}) == "2 prog: invalid --backlog 'abc': must be a whole number\n");
    CHECK(run({"prog", "--backlog", "99999999999"}) ==
          "2 prog: invalid --backlog '99999999999': must be a whole number\n");
    CHECK(run({"prog", "--ratio", "x\x1b"}) == "2 prog: invalid --ratio 'x\\x1b': must be a number\n");
    CHECK(run({"prog", "run", "--count", "-3"}) ==
          "2 prog: invalid --count '-3': must be a whole number, 0 or more\n");
}

TEST_CASE("run_main maps outcomes to exit codes 0, 1 and 2", "[common][cli]")
{
    auto exit_of = [](std::vector<std::string> args, std::function<int()> body) {
        CLI::App app{"test", "prog"};
        std::string port;
        app.add_option("--port", port);
        std::vector<char*> argv;
        for (auto& a : args) argv.push_back(a.data());
        return netlabs::run_main(app, static_cast<int>(argv.size()), argv.data(), body);
    };
    CHECK(exit_of({"prog"}, [] { return 0; }) == 0);
    CHECK(exit_of({"prog", "--help"}, [] { return 1; }) == 0);  // help does not run the body
    CHECK(exit_of({"prog", "--nope"}, [] { return 0; }) == 2);
    CHECK(exit_of({"prog"}, []() -> int { throw netlabs::UsageError("bad"); }) == 2);
    CHECK(exit_of({"prog"}, []() -> int {
              throw netlabs::NetworkError("refused", std::make_error_code(std::errc::connection_refused));
          }) == 1);
}

TEST_CASE("the ready file holds the endpoint, written whole", "[common][ready]")
{
    const auto dir = std::filesystem::temp_directory_path() / ("netlabs-ready-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const auto file = (dir / "ready").string();
    netlabs::announce_listening("127.0.0.1:4242", file);
    std::ifstream in(file);
    std::string line;
    std::getline(in, line);
    CHECK(line == "127.0.0.1:4242");
    CHECK_FALSE(std::filesystem::exists(file + ".partial"));
    std::filesystem::remove_all(dir);
}

TEST_CASE("seconds_text writes a duration as parse_seconds reads it", "[common][cli]")
{
    using std::chrono::milliseconds;
    CHECK(netlabs::seconds_text(milliseconds(0)) == "0");
    CHECK(netlabs::seconds_text(milliseconds(500)) == "0.5");
    CHECK(netlabs::seconds_text(milliseconds(2050)) == "2.05");
    CHECK(netlabs::seconds_text(milliseconds(1001)) == "1.001");
    CHECK(netlabs::seconds_text(milliseconds(3600000)) == "3600");
    for (const char* text : {"0.5", "2.05", "1.001", "3600", "86400"})
        CHECK(netlabs::seconds_text(netlabs::parse_seconds(text, "--t")) == text);
}
