// What a student does next for an exercise that is not done: which file to
// open, which doc section explains it, and the command that grades it. The
// grader's table and the tour (netlabs-docrun) say it the same way.
//
//   next: open lab01-loopback/server.cpp, read docs/en/lab01.md#lab01-ex1-...,
//         then run ./netlabs grade lab01-ex1
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "points.hpp"

namespace netlabs::grade {

struct NextStep {
    std::string exercise;            // "lab01-ex1"
    std::string title;               // "The server: bind, listen, accept"
    std::vector<std::string> files;  // where its stubs are, relative to the repository: "lab01-loopback/server.cpp"
    std::string section;             // "docs/en/lab01.md#lab01-ex1-the-server-bind-listen-accept"
    std::string command;             // "./netlabs grade lab01-ex1"
};

// GitHub's anchor for a heading's text: lower case, punctuation dropped
// (letters of any script kept), spaces as '-'.
// "Your turn: the graded exercises" -> "your-turn-the-graded-exercises",
// "직접 해 보기: 채점되는 연습 문제" -> "직접-해-보기-채점되는-연습-문제".
std::string heading_anchor(std::string_view heading);

// The files under the exercise's lab folder (labNN-*/) that hold its
// solution region (reference) or its stub (student edition), sorted.
std::vector<std::string> exercise_files(const std::filesystem::path& source, const Exercise& exercise);

// The doc section that gives the exercise to the student, in `lang` (en, ko):
// the heading of docs/LANG/labNN.md that names the exercise's id
// ("### lab01-ex1: ..."), else the "Your turn" section ("직접 해 보기" in
// Korean), else the points table's `doc`.
std::string exercise_section(const std::filesystem::path& source, const Exercise& exercise, const std::string& lang);

NextStep next_step(const std::filesystem::path& source, const Exercise& exercise, const std::string& lang = "en");

// "open F, read SECTION, then run COMMAND" (files joined with " and ").
std::string describe(const NextStep& next);

// The exercise a stub's line names: "lab01-ex1 is not implemented yet: ..."
// (also after a program's "lab01-server: " prefix) -> "lab01-ex1".
std::optional<std::string> stub_exercise(std::string_view line);

} // namespace netlabs::grade
