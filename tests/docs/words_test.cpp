// Splitting doc commands into words, without a shell.
#include "catch.hpp"

#include "words.hpp"

using docrun::Command;
using docrun::split_command;
using docrun::WordsError;
using Words = std::vector<std::string>;

TEST_CASE("plain words are split at whitespace", "[docs][words]")
{
    const Command c = split_command("lab01-client   --port\t8000");
    CHECK(c.argv == Words{"lab01-client", "--port", "8000"});
    CHECK(c.env.empty());
    CHECK_FALSE(c.background);
}

TEST_CASE("quotes and backslashes work as in a shell", "[docs][words]")
{
    CHECK(split_command("echo 'a  b' \"c d\"").argv == Words{"echo", "a  b", "c d"});
    CHECK(split_command(R"(echo "say \"hi\"" "back\\slash" "\n stays")").argv ==
          Words{"echo", R"(say "hi")", R"(back\slash)", R"(\n stays)"});
    CHECK(split_command(R"(echo it\'s a\ b)").argv == Words{"echo", "it's", "a b"});
    CHECK(split_command("echo 'it''s' x\"y\"z").argv == Words{"echo", "its", "xyz"});
    CHECK(split_command("echo '' \"\"").argv == Words{"echo", "", ""});
    CHECK(split_command("echo '$HOME | ; > `x`'").argv == Words{"echo", "$HOME | ; > `x`"});
    CHECK(split_command("echo \"a | b; c > d\"").argv == Words{"echo", "a | b; c > d"});
    CHECK(split_command("echo cost: $ 5").argv == Words{"echo", "cost:", "$", "5"});
}

TEST_CASE("a # at the start of a word begins a comment", "[docs][words]")
{
    CHECK(split_command("lab01-server --once   # stops after one client").argv == Words{"lab01-server", "--once"});
    CHECK(split_command("echo a#b '#c'").argv == Words{"echo", "a#b", "#c"});
}

TEST_CASE("leading NAME=value words set the environment", "[docs][words]")
{
    const Command c = split_command("NO_COLOR=1 GREETING='hi there' printenv GREETING X=1");
    REQUIRE(c.env.size() == 2);
    CHECK(c.env[0] == std::pair<std::string, std::string>{"NO_COLOR", "1"});
    CHECK(c.env[1] == std::pair<std::string, std::string>{"GREETING", "hi there"});
    CHECK(c.argv == Words{"printenv", "GREETING", "X=1"});
    // A quoted name, or one that is not a name, makes it a program argument.
    CHECK(split_command("'A'=1 x").argv == Words{"A=1", "x"});
    CHECK(split_command("1A=1 x").argv == Words{"1A=1", "x"});
}

TEST_CASE("a trailing & runs the command in the background", "[docs][words]")
{
    const Command c = split_command("lab01-server --port 8000 &");
    CHECK(c.background);
    CHECK(c.argv == Words{"lab01-server", "--port", "8000"});
    CHECK(split_command("lab01-server&").background);
    CHECK(split_command("echo '&'").argv == Words{"echo", "&"});
}

TEST_CASE("shell syntax is refused with a message that names it", "[docs][words]")
{
    using match::Contains;
    CHECK_THROWS_WITH(split_command("lab01-client | grep Received"),
                      Contains("pipes and redirections are not supported in doc commands") && Contains("'|'"));
    CHECK_THROWS_WITH(split_command("a || b"), Contains("'||'"));
    CHECK_THROWS_WITH(split_command("lab01-client > out.txt"), Contains("pipes and redirections") && Contains("'>'"));
    CHECK_THROWS_WITH(split_command("lab01-client 2>&1"), Contains("'>'"));
    CHECK_THROWS_WITH(split_command("lab01-client < in.txt"), Contains("'<'"));
    CHECK_THROWS_WITH(split_command("a; b"), Contains("';'"));
    CHECK_THROWS_WITH(split_command("a && b"), Contains("'&&'"));
    CHECK_THROWS_WITH(split_command("a & b"), Contains("'&'"));
    CHECK_THROWS_WITH(split_command("echo $(whoami)"), Contains("command substitution"));
    CHECK_THROWS_WITH(split_command("echo \"$(whoami)\""), Contains("command substitution"));
    CHECK_THROWS_WITH(split_command("echo `whoami`"), Contains("command substitution"));
    CHECK_THROWS_WITH(split_command("echo $HOME"), Contains("shell variables") && Contains("'$HOME'"));
    CHECK_THROWS_WITH(split_command("echo \"${PORT}\""), Contains("'${PORT}'"));
    CHECK_THROWS_WITH(split_command("echo (x)"), Contains("'('"));
}

TEST_CASE("broken commands are refused", "[docs][words]")
{
    using match::Contains;
    CHECK_THROWS_WITH(split_command("echo 'open"), Contains("unclosed '"));
    CHECK_THROWS_WITH(split_command("echo \"open"), Contains("unclosed \""));
    CHECK_THROWS_WITH(split_command("echo \\"), Contains("backslash"));
    CHECK_THROWS_AS(split_command("   "), WordsError);
    CHECK_THROWS_AS(split_command("A=1"), WordsError);
    CHECK_THROWS_AS(split_command("&"), WordsError);
}
