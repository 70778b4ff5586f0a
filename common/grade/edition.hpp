// The student edition: the repository with every solution region replaced
// by a stub.
//
//   // BEGIN SOLUTION lab01-ex1        a region starts (the line is a comment,
//   ...working code...                 so the reference edition compiles as is)
//   // END SOLUTION
//   // STUDENT: tcp::socket s(io);     inside or right after the region: real
//                                      code in the student edition
//
// In the student edition a region (with its STUDENT lines) becomes
//
//   // TODO(lab01-ex1): <hint> (see <doc>)
//   <the STUDENT lines>, or else: throw netlabs::NotImplemented("lab01-ex1", "<hint> (see <doc>)");
//
// and NotImplemented("labNN-exK") in a STUDENT line gets the hint added.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "netlabs/errors.hpp"

namespace netlabs::grade {

struct Points;

// A marker that is wrong: "lab01-loopback/server.cpp:12: END SOLUTION without a BEGIN SOLUTION".
class MarkerError : public netlabs::UsageError {
public:
    using netlabs::UsageError::UsageError;
};

struct Region {
    std::string exercise;                // "lab01-ex1"
    std::size_t begin_line = 0;          // 1-based line of BEGIN SOLUTION
    std::size_t end_line = 0;            // 1-based line of END SOLUTION
    std::size_t last_line = 0;           // the last STUDENT line after END, or end_line
    std::string indent;                  // the BEGIN line's indentation
    std::vector<std::string> solution;   // the lines between BEGIN and END, STUDENT lines left out
    std::vector<std::string> student;    // the STUDENT lines' code, each with its indentation
};

// The hint for an exercise id, or nullopt when the id is unknown.
using HintLookup = std::function<std::optional<std::string>(const std::string& exercise)>;
HintLookup hints_from(const Points& points);

// The regions of one file's text. Throws MarkerError (naming path:line) for a
// BEGIN without an exercise id or with an unknown one, nested or unterminated
// regions, and END or STUDENT lines outside a region.
std::vector<Region> find_regions(std::string_view path, const std::string& text, const HintLookup& hints);

// The student-edition text of one file (the text itself when it has no regions).
// A file with regions must include "netlabs/not_implemented.hpp".
std::string strip_solutions(std::string_view path, const std::string& text, const HintLookup& hints);

// Files that may hold markers: C and C++ sources and headers.
bool may_hold_markers(const std::filesystem::path& relative);
// Hidden tests stay out of the student edition: *_hidden.* files and tests/hidden/.
bool is_hidden_test(const std::filesystem::path& relative);

// The repository's files, relative to `root`: `git ls-files` (tracked and
// untracked, not ignored) in a git checkout, else a walk that skips .git,
// build and build-*.
std::vector<std::filesystem::path> repository_files(const std::filesystem::path& root);

struct EditionReport {
    std::size_t files = 0;        // files in the edition
    std::size_t written = 0;      // files whose content changed (others keep their time stamps)
    std::size_t stripped_files = 0;
    std::size_t regions = 0;
    std::vector<std::string> hidden;  // left out
};

// Writes the student edition of `source` to `out`. `out` must be empty or
// missing unless `force` (then files are overwritten, and only when their
// content differs, so an existing build of `out` rebuilds only what changed).
// Throws MarkerError or std::runtime_error; nothing is written when a marker
// is wrong.
EditionReport write_student_edition(const std::filesystem::path& source, const std::filesystem::path& out,
                                    const Points& points, bool force);

// What of the reference's solutions shows in a student edition: marker
// lines, solution lines (those not also found outside the regions), hidden
// tests. One line per finding; empty when the edition is clean.
std::vector<std::string> find_leaks(const std::filesystem::path& source, const std::filesystem::path& edition,
                                    const Points& points);

} // namespace netlabs::grade
