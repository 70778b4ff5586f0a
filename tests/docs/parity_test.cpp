// EN/KO parity: the same runnable blocks, in the same order.
#include "catch.hpp"

#include "markdown.hpp"
#include "parity.hpp"

using docrun::parity_difference;
using docrun::parse_doc;
using match::Contains;
using match::StartsWith;

namespace {

const char* const english = "# Lab\n\nStart it.\n\n```console\n$ echo a\na\n```\n\n```console norun\nC:\\> dir\n```\n";

} // namespace

TEST_CASE("prose and norun blocks may differ", "[docs][parity]")
{
    const auto en = parse_doc("en.md", english);
    const auto ko = parse_doc("ko.md", "# 실습\n\n시작합니다.\n\n더 긴 설명.\n\n```console\n$ echo a\na\n```\n");
    CHECK_FALSE(parity_difference(en, ko));
}

TEST_CASE("a different command names both places", "[docs][parity]")
{
    const auto en = parse_doc("en.md", english);
    const auto ko = parse_doc("ko.md", "# 실습\n\n```console\n$ echo b\na\n```\n");
    const auto d = parity_difference(en, ko);
    REQUIRE(d);
    CHECK_THAT(*d, StartsWith("en.md:6 and ko.md:4: the commands differ"));
}

TEST_CASE("different expected output, exit code or info string", "[docs][parity]")
{
    const auto en = parse_doc("en.md", english);
    const auto out = parity_difference(en, parse_doc("ko.md", "```console\n$ echo a\nb\n```\n"));
    REQUIRE(out);
    CHECK_THAT(*out, StartsWith("en.md:7 and ko.md:3: the expected output of `echo a` differs"));
    const auto exit = parity_difference(en, parse_doc("ko.md", "```console\n$ echo a\na\n[exit 0]\n```\n"));
    REQUIRE(exit);
    CHECK_THAT(*exit, Contains("[exit 0]"));
    const auto info = parity_difference(en, parse_doc("ko.md", "```console host=laptop\n$ echo a\na\n```\n"));
    REQUIRE(info);
    CHECK_THAT(*info, StartsWith("en.md:5 and ko.md:1: runnable block 1 has different info strings"));
}

TEST_CASE("a missing command or block names where it is missing", "[docs][parity]")
{
    const auto en = parse_doc("en.md", english);
    const auto more = parse_doc("ko.md", "```console\n$ echo a\na\n$ echo b\n```\n\n```console\n$ echo c\n```\n");
    const auto d = parity_difference(en, more);
    REQUIRE(d);
    CHECK_THAT(*d, StartsWith("ko.md:4: `echo b` has no counterpart in en.md:8"));
    const auto blocks = parity_difference(parse_doc("ko.md", "```console\n$ echo a\na\n```\n\n```console\n$ echo c\n```\n"), en);
    REQUIRE(blocks);
    CHECK_THAT(*blocks, StartsWith("ko.md:6: runnable block 2 has no counterpart in en.md:8"));
}
