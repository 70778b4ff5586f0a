// Matching a command's output against the lines a doc expects.
#include "catch.hpp"

#include "match.hpp"

using docrun::line_matches;
using docrun::match_lines;
using docrun::split_lines;
using Lines = std::vector<std::string>;

TEST_CASE("lines are literal, regex characters included", "[docs][match]")
{
    CHECK(line_matches("Received: Hello from server!", "Received: Hello from server!"));
    CHECK_FALSE(line_matches("Received: Hello from server!", "Received: Hello"));
    CHECK(line_matches("a.b (c)+ [d]* ^$ \\d", "a.b (c)+ [d]* ^$ \\d"));
    CHECK_FALSE(line_matches("a.b", "axb"));
    CHECK_FALSE(line_matches("a*", "aaa"));
    CHECK(line_matches("{\"json\": {x}}", "{\"json\": {x}}"));  // other braces are literal
}

TEST_CASE("trailing whitespace is ignored on both sides", "[docs][match]")
{
    CHECK(line_matches("hello   ", "hello"));
    CHECK(line_matches("hello", "hello \t\r"));
    CHECK_FALSE(line_matches("hello", "  hello"));
}

TEST_CASE("{PORT}, {N} and {ANY}", "[docs][match]")
{
    CHECK(line_matches("listening on 127.0.0.1:{PORT}", "listening on 127.0.0.1:8000"));
    CHECK(line_matches("listening on 127.0.0.1:{PORT}", "listening on 127.0.0.1:5"));
    CHECK_FALSE(line_matches("listening on 127.0.0.1:{PORT}", "listening on 127.0.0.1:123456"));
    CHECK_FALSE(line_matches("listening on 127.0.0.1:{PORT}", "listening on 127.0.0.1:"));
    CHECK_FALSE(line_matches("port {PORT}", "port http"));
    CHECK(line_matches("{PORT}{PORT}", "8000800"));
    CHECK(line_matches("pid {N}, {N} ms", "pid 4242, -3 ms"));
    CHECK_FALSE(line_matches("pid {N}", "pid x"));
    CHECK_FALSE(line_matches("pid {N}", "pid -"));
    CHECK(line_matches("connect {ANY}: connection refused{ANY}", "connect 127.0.0.1:8000: connection refused"));
    CHECK(line_matches("{ANY}", ""));
    CHECK(line_matches("a{ANY}b{ANY}c", "a-b-b-c"));
    CHECK_FALSE(line_matches("a{ANY}b{ANY}c", "a-c-b"));
    const std::string long_line(100000, 'x');
    CHECK(line_matches("{ANY}x{ANY}x{ANY}x{ANY}", long_line));
    CHECK_FALSE(line_matches("{ANY}y{ANY}x{ANY}", long_line));
}

TEST_CASE("output is split into right-stripped lines, blank lines at the end dropped", "[docs][match]")
{
    CHECK(split_lines("a  \nb\r\n\n\n") == Lines{"a", "b"});
    CHECK(split_lines("a\n\nb") == Lines{"a", "", "b"});
    CHECK(split_lines("").empty());
}

TEST_CASE("... stands for any number of lines", "[docs][match]")
{
    CHECK_FALSE(match_lines({"a", "...", "d"}, {"a", "b", "c", "d"}));
    CHECK_FALSE(match_lines({"a", "...", "d"}, {"a", "d"}));
    CHECK_FALSE(match_lines({"..."}, {}));
    CHECK_FALSE(match_lines({"..."}, {"x", "y"}));
    CHECK_FALSE(match_lines({"...", "x", "..."}, {"a", "x", "b"}));
    CHECK_FALSE(match_lines({"a", "..."}, {"a", "b", "a"}));
    CHECK(match_lines({"...", "x", "..."}, {"a", "b"}));
}

TEST_CASE("a mismatch names the first expected line that failed and what came", "[docs][match]")
{
    SECTION("a different line")
    {
        const auto m = match_lines({"one", "two", "three"}, {"one", "2", "three"});
        REQUIRE(m);
        CHECK(m->expected == 1);
        CHECK(m->actual == std::optional<std::size_t>(1));
        CHECK_FALSE(m->after_any_lines);
    }
    SECTION("the output ended early")
    {
        const auto m = match_lines({"one", "two"}, {"one"});
        REQUIRE(m);
        CHECK(m->expected == 1);
        CHECK_FALSE(m->actual);
    }
    SECTION("the output has lines left over")
    {
        const auto m = match_lines({"one"}, {"one", "extra"});
        REQUIRE(m);
        CHECK(m->expected == 1);
        CHECK(m->actual == std::optional<std::size_t>(1));
    }
    SECTION("a line after ... that never comes")
    {
        const auto m = match_lines({"one", "...", "four"}, {"one", "two", "three"});
        REQUIRE(m);
        CHECK(m->expected == 2);
        CHECK(m->after_any_lines);
    }
}
