// The Gradescope autograder bundle: setup.sh, run_autograder and the
// student edition they grade with.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "points.hpp"

namespace netlabs::grade {

// Writes DIR/setup.sh, DIR/run_autograder and DIR/netlabs/ (the student
// edition of `source`). `labs` are the selectors run_autograder grades
// (empty: every lab in the points table).
void write_gradescope_bundle(const std::filesystem::path& source, const std::filesystem::path& dir,
                             const Points& points, const std::vector<std::string>& labs, bool force);

std::string gradescope_setup_script();
std::string gradescope_run_script(const std::vector<std::string>& labs);

} // namespace netlabs::grade
