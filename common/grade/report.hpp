// What the grader reports: the score table for a person, Gradescope's
// results.json and JUnit XML for machines.
#pragma once

#include <string>

#include "grade.hpp"

namespace netlabs::grade {

// The table (lab, exercise, title, points, status, total), then for each
// exercise that did not pass the first lines of why.
std::string format_table(const GradeResult& result, bool color = false);

// Gradescope's results.json: one test per exercise (and a failed "build"
// test per lab that did not build), outputs capped at about 10 KB.
std::string gradescope_json(const GradeResult& result);

// JUnit XML: a testsuite per exercise, a testcase per test.
std::string junit_xml(const GradeResult& result);

// "30", "12.5": points as a person writes them.
std::string format_points(double points);

// At most `max` bytes of `text`, cut at a UTF-8 character boundary, with a
// note when something was cut.
std::string cap_text(const std::string& text, std::size_t max);

} // namespace netlabs::grade
