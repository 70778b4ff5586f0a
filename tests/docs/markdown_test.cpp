// Reading a doc: title, headings, console blocks, commands and expected lines.
#include "catch.hpp"

#include "error.hpp"
#include "markdown.hpp"

using docrun::Doc;
using docrun::DocError;
using docrun::parse_doc;
using match::Contains;
using match::StartsWith;

namespace {

const char* const sample = R"(# Lab 01: one socket on loopback

Follows: seed 002 (the Python server) and seed 004.

This lab starts a server. It then connects.

## Start the server

A **server** binds a [port](https://example.org/port) first. Then it listens.

```console
$ lab01-server --port 8000 &
listening on 127.0.0.1:{PORT}
```

### Connect

```cpp
// a code sample, not a step
$ not a command
```

```console
$ lab01-client \
    --port 8000
Received: Hello from server!

$ lab01-client --port 1
connect 127.0.0.1:1: connection refused{ANY}
[exit 1]
$ ss -ltn
```

## On other systems

```console norun
C:\> netstat -ano | findstr 8000
```

~~~console host=laptop
$ lab02-client 192.168.99.123 5000 hi
Received: hi
~~~
)";

} // namespace

TEST_CASE("a doc's title, seed line and headings are read for the tour", "[docs][markdown]")
{
    const Doc doc = parse_doc("docs/en/lab01.md", sample);
    CHECK(doc.path == "docs/en/lab01.md");
    CHECK(doc.title == "Lab 01: one socket on loopback");
    CHECK(doc.follows == "Follows: seed 002 (the Python server) and seed 004.");
    REQUIRE(doc.headings.size() == 4);
    CHECK(doc.headings[1].text == "Start the server");
    CHECK(doc.headings[1].level == 2);
    CHECK(doc.headings[1].line == 7);
    CHECK(doc.headings[1].lead == "A server binds a port first.");
    CHECK(doc.headings[2].level == 3);
    CHECK(doc.headings[2].lead.empty());  // a code block came first
}

TEST_CASE("without a Follows: line the intro's first sentence stands in", "[docs][markdown]")
{
    const Doc doc = parse_doc("x.md", "# Title\n\nThis lab starts a server. It then connects.\n\n## A\n\nFollows: no\n");
    CHECK(doc.follows == "This lab starts a server.");
}

TEST_CASE("console blocks become steps with their expected lines", "[docs][markdown]")
{
    const Doc doc = parse_doc("docs/en/lab01.md", sample);
    REQUIRE(doc.blocks.size() == 4);
    REQUIRE(doc.steps.size() == 5);
    CHECK(doc.host_steps() == 1);

    const auto& server = doc.steps[0];
    CHECK(server.line == 12);
    CHECK(server.command.background);
    CHECK(server.command.argv == std::vector<std::string>{"lab01-server", "--port", "8000"});
    REQUIRE(server.expected.size() == 1);
    CHECK(server.expected[0].line == 13);
    CHECK(server.expected[0].text == "listening on 127.0.0.1:{PORT}");
    CHECK(server.headings == std::vector<std::size_t>{0, 1});

    const auto& client = doc.steps[1];
    CHECK(client.line == 24);
    CHECK(client.text == "lab01-client     --port 8000");
    CHECK(client.shown == "lab01-client \\\n    --port 8000");
    CHECK(client.command.argv == std::vector<std::string>{"lab01-client", "--port", "8000"});
    REQUIRE(client.expected.size() == 1);  // the blank line before the next command is dropped
    CHECK(client.exit_code == 0);
    CHECK_FALSE(client.exit_line);
    CHECK(client.headings == std::vector<std::size_t>{0, 1, 2});

    const auto& refused = doc.steps[2];
    CHECK(refused.exit_code == 1);
    CHECK(refused.exit_line == std::optional<int>(30));
    CHECK(refused.expected.size() == 1);

    CHECK(doc.steps[3].text == "ss -ltn");
    CHECK(doc.steps[3].expected.empty());  // not compared
}

TEST_CASE("norun blocks are kept as text, and host blocks name their host", "[docs][markdown]")
{
    const Doc doc = parse_doc("docs/en/lab01.md", sample);
    const auto& norun = doc.blocks[2];
    CHECK(norun.norun);
    CHECK(norun.steps.empty());
    CHECK(norun.lines == std::vector<std::string>{"C:\\> netstat -ano | findstr 8000"});
    CHECK(norun.headings == std::vector<std::size_t>{0, 3});

    const auto& laptop = doc.blocks[3];
    CHECK(laptop.host == "laptop");
    CHECK(laptop.info == "host=laptop");
    REQUIRE(laptop.steps.size() == 1);
    CHECK(doc.steps[laptop.steps[0]].line == 41);
}

TEST_CASE("a fence inside a list item may be indented", "[docs][markdown]")
{
    const Doc doc = parse_doc("x.md", "1. Run it:\n\n   ```console\n   $ echo hi\n   hi\n   ```\n");
    REQUIRE(doc.steps.size() == 1);
    CHECK(doc.steps[0].command.argv == std::vector<std::string>{"echo", "hi"});
    CHECK(doc.steps[0].expected.at(0).text == "hi");
}

TEST_CASE("mistakes in a doc are reported with file:line before anything runs", "[docs][markdown]")
{
    CHECK_THROWS_WITH(parse_doc("docs/en/lab01.md", "# T\n\n```console\n$ echo a\na\n$ echo a | grep a\n```\n"),
                      "docs/en/lab01.md:6: pipes and redirections are not supported in doc commands "
                      "(unquoted '|'; doc commands run without a shell)");
    CHECK_THROWS_WITH(parse_doc("d.md", "```console hots=laptop\n$ true\n```\n"),
                      StartsWith("d.md:1: unknown word 'hots=laptop'"));
    CHECK_THROWS_WITH(parse_doc("d.md", "text\n\n```console\n$ true\n"),
                      StartsWith("d.md:3: this code fence is never closed"));
    CHECK_THROWS_WITH(parse_doc("d.md", "```console\nhello\n$ true\n```\n"),
                      StartsWith("d.md:2: output before any command"));
    CHECK_THROWS_WITH(parse_doc("d.md", "```console\n$ server &\n[exit 1]\n```\n"),
                      StartsWith("d.md:3: a background command's exit is not checked"));
    CHECK_THROWS_WITH(parse_doc("d.md", "```console\n$\n```\n"), StartsWith("d.md:2: empty command"));
    CHECK_THROWS_WITH(parse_doc("d.md", "```console\n$ echo \\\n```\n"), StartsWith("d.md:2:") && Contains("'\\'"));
    CHECK_THROWS_AS(parse_doc("d.md", "```console\n$ echo 'open\n```\n"), DocError);
}

TEST_CASE("only console fences run, and a longer fence can hold a shorter one", "[docs][markdown]")
{
    const Doc doc = parse_doc("x.md", "````markdown\n```console\n$ echo inside an example\n```\n````\n"
                                      "```text\n$ echo not a step\n```\n");
    CHECK(doc.steps.empty());
    CHECK(doc.blocks.empty());
}

TEST_CASE("[exit N] only counts as the last line", "[docs][markdown]")
{
    const Doc doc = parse_doc("x.md", "```console\n$ x\n[exit 3]\nmore\n$ y\nout\n[exit 0]\n\n```\n");
    CHECK(doc.steps[0].exit_code == 0);
    CHECK(doc.steps[0].expected.size() == 2);
    CHECK(doc.steps[1].exit_code == 0);
    CHECK(doc.steps[1].exit_line == std::optional<int>(7));
    CHECK(doc.steps[1].expected.size() == 1);
}
