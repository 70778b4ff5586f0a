// The student edition: how solution regions become stubs, and how a broken
// marker is reported. Doc: docs/en/instructors.md, "Solution markers".
#include <filesystem>
#include <fstream>

#include <unistd.h>

#include "catch.hpp"
#include "edition.hpp"
#include "points.hpp"

using namespace netlabs::grade;
namespace fs = std::filesystem;

namespace {

const char* table = R"({"labs": [{"lab": "lab01", "exercises": [
  {"id": "ex1", "title": "bind", "points": 10, "hint": "bind and listen", "doc": "docs/en/lab01.md#the-server"},
  {"id": "ex2", "title": "connect", "points": 10, "hint": "say \"hi\"", "doc": ""}]}]})";

const Points& edition_points()
{
    static const Points p = parse_points(table, "points.json");
    return p;
}

std::string strip(const std::string& text) { return strip_solutions("lab01-loopback/x.cpp", text, hints_from(edition_points())); }

std::string error_of(const std::string& text)
{
    try {
        strip(text);
    } catch (const MarkerError& e) {
        return e.what();
    }
    return "(no error)";
}

const std::string include = "#include \"netlabs/not_implemented.hpp\"\n";

} // namespace

TEST_CASE("a region without STUDENT lines becomes a TODO and a NotImplemented with the hint", "[grade][edition]")
{
    const std::string ref = include + "int f()\n{\n    // BEGIN SOLUTION lab01-ex1\n    return 42;\n    // END SOLUTION\n}\n";
    const std::string student = strip(ref);
    INFO("reference:\n" << ref << "student edition:\n" << student);
    CHECK(student == include + "int f()\n{\n"
                               "    // TODO(lab01-ex1): bind and listen (see docs/en/lab01.md#the-server)\n"
                               "    throw netlabs::NotImplemented(\"lab01-ex1\", \"bind and listen (see docs/en/lab01.md#the-server)\");\n"
                               "}\n");
}

TEST_CASE("STUDENT lines, inside or right after the region, become the stub", "[grade][edition]")
{
    const std::string ref = include +
                            "void g(int x)\n{\n"
                            "    // BEGIN SOLUTION lab01-ex2\n"
                            "    // STUDENT: (void)x;\n"
                            "    use(x);\n"
                            "    // END SOLUTION\n"
                            "    // STUDENT: throw netlabs::NotImplemented(\"lab01-ex2\");\n"
                            "    more();\n}\n";
    const std::string student = strip(ref);
    INFO(student);
    // The hint is escaped into the string literal, and added to a one-argument NotImplemented.
    CHECK(student == include +
                         "void g(int x)\n{\n"
                         "    // TODO(lab01-ex2): say \"hi\"\n"
                         "    (void)x;\n"
                         "    throw netlabs::NotImplemented(\"lab01-ex2\", \"say \\\"hi\\\"\");\n"
                         "    more();\n}\n");
}

TEST_CASE("a file without markers is left exactly as it is", "[grade][edition]")
{
    for (const std::string text : {"", "x", "int main() {}\n", "no newline at the end", "// BEGIN SOLUTIONS are only markers at a line's start?\n"}) {
        // The last one is a marker: BEGIN SOLUTION then an id 'S'... which is not a valid id.
        if (text.find("BEGIN") != std::string::npos) continue;
        CHECK(strip(text) == text);
    }
    // A string that mentions the words is not a marker: only a line comment that starts with them is.
    const std::string code = "auto m = \"BEGIN SOLUTION\";  // END SOLUTION is how a region ends\n";
    CHECK(strip(code) == code);
}

TEST_CASE("broken markers are errors that name the file and line", "[grade][edition]")
{
    CHECK(error_of(include + "// BEGIN SOLUTION lab01-ex1\nx;\n") ==
          "lab01-loopback/x.cpp:2: BEGIN SOLUTION lab01-ex1 is never closed: add '// END SOLUTION'");
    CHECK(error_of(include + "x;\n  // END SOLUTION\n") ==
          "lab01-loopback/x.cpp:3: END SOLUTION without a BEGIN SOLUTION before it");
    CHECK(error_of(include + "// BEGIN SOLUTION lab01-ex1\n// BEGIN SOLUTION lab01-ex2\n// END SOLUTION\n") ==
          "lab01-loopback/x.cpp:3: BEGIN SOLUTION inside the region that starts at line 2 (regions do not nest; "
          "close it with END SOLUTION first)");
    CHECK(error_of(include + "x;\n// STUDENT: y;\n") ==
          "lab01-loopback/x.cpp:3: STUDENT line outside a solution region (it must be inside one, or right after its END SOLUTION)");
    CHECK(error_of(include + "// BEGIN SOLUTION\n// END SOLUTION\n") ==
          "lab01-loopback/x.cpp:2: BEGIN SOLUTION needs the exercise id, e.g. '// BEGIN SOLUTION lab01-ex1'");
    CHECK(error_of(include + "// BEGIN SOLUTION lab01-ex9\n// END SOLUTION\n") ==
          "lab01-loopback/x.cpp:2: exercise 'lab01-ex9' is not in the points table (tests/points.json)");
    CHECK(error_of(include + "// BEGIN SOLUTION ex1\n// END SOLUTION\n") ==
          "lab01-loopback/x.cpp:2: invalid exercise id 'ex1': must look like lab01-ex1");
    CHECK(error_of("// BEGIN SOLUTION lab01-ex1\n// END SOLUTION\n") ==
          "lab01-loopback/x.cpp:1: a file with solution regions must #include \"netlabs/not_implemented.hpp\"");
    // A STUDENT line after code that follows an END is stray too.
    CHECK(error_of(include + "// BEGIN SOLUTION lab01-ex1\n// END SOLUTION\nx;\n// STUDENT: y;\n") ==
          "lab01-loopback/x.cpp:5: STUDENT line outside a solution region (it must be inside one, or right after its END SOLUTION)");
}

TEST_CASE("hidden tests and the files that may hold markers", "[grade][edition]")
{
    CHECK(is_hidden_test("tests/labs/lab01/test_framing_hidden.cpp"));
    CHECK(is_hidden_test("tests/hidden/anything.txt"));
    CHECK_FALSE(is_hidden_test("tests/labs/lab01/test_framing.cpp"));
    CHECK(may_hold_markers("lab01-loopback/server.cpp"));
    CHECK(may_hold_markers("common/include/netlabs/framing.hpp"));
    CHECK_FALSE(may_hold_markers("docs/en/instructors.md"));
    CHECK_FALSE(may_hold_markers("netlabs"));
}

TEST_CASE("the student edition of a small repository", "[grade][edition]")
{
    const fs::path root = fs::temp_directory_path() / ("netlabs-grade-test-" + std::to_string(::getpid()));
    fs::remove_all(root);
    const fs::path repo = root / "repo", out = root / "out";
    auto put = [](const fs::path& file, const std::string& text) {
        fs::create_directories(file.parent_path());
        std::ofstream(file, std::ios::binary) << text;
    };
    put(repo / "lab01-loopback/server.cpp", include + "int main()\n{\n    // BEGIN SOLUTION lab01-ex1\n    return bind_and_listen_now();\n    // END SOLUTION\n}\n");
    put(repo / "tests/labs/lab01/test_x_hidden.cpp", "secret\n");
    put(repo / "docs/en/lab01.md", "# doc\n// BEGIN SOLUTION in a doc is text\n");
    put(repo / "build/junk.o", "build output is not part of the repository");
    put(repo / "tests/points.json", table);

    const EditionReport report = write_student_edition(repo, out, edition_points(), false);
    CHECK(report.regions == 1);
    CHECK(report.hidden == std::vector<std::string>{"tests/labs/lab01/test_x_hidden.cpp"});
    CHECK(fs::exists(out / "docs/en/lab01.md"));
    CHECK_FALSE(fs::exists(out / "build/junk.o"));
    CHECK_FALSE(fs::exists(out / "tests/labs/lab01/test_x_hidden.cpp"));
    CHECK(find_leaks(repo, out, edition_points()).empty());

    SECTION("a directory that is not empty is refused without --force")
    {
        CHECK_THROWS_WITH(write_student_edition(repo, out, edition_points(), false),
                          match::Contains("is not empty"));
        CHECK(write_student_edition(repo, out, edition_points(), true).written == 0);  // nothing changed: nothing rewritten
    }
    SECTION("a solution line that survives is found")
    {
        put(out / "lab01-loopback/server.cpp", "    return bind_and_listen_now();\n");
        const auto leaks = find_leaks(repo, out, edition_points());
        REQUIRE(leaks.size() == 1);
        CHECK_THAT(leaks[0], match::Contains("survived: return bind_and_listen_now();"));
    }
    SECTION("the edition is not written inside the repository")
    {
        CHECK_THROWS_WITH(write_student_edition(repo, repo / "class", edition_points(), false),
                          match::Contains("inside the repository"));
    }
    fs::remove_all(root);
}
