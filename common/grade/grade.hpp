// Grading: build a lab's tests, run the tests tagged [labNN][exK] with a
// deadline each, and score every exercise from the points table.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "next_step.hpp"
#include "points.hpp"
#include "spawn.hpp"

namespace netlabs::grade {

enum class Status { passed, failed, timed_out, crashed, did_not_build, skipped };
std::string to_string(Status status);  // "passed", "failed", "timed out", "crashed", "did not build", "skipped"

struct TestRun {
    std::string name;            // the Catch2 test case name
    std::string ctest_name;      // "lab01-tests: <name>"
    Status status = Status::failed;
    double seconds = 0;
    std::string output;          // what the test printed
    std::vector<std::string> stubs;  // "lab01-ex1 is not implemented yet: ..." lines logged by NotImplemented
    std::vector<std::string> why() const;  // the first lines that explain a failure
};

struct ExerciseResult {
    const Exercise* exercise = nullptr;
    Status status = Status::failed;
    double earned = 0;
    std::vector<TestRun> tests;
    std::string note;            // e.g. "no test is tagged [lab01][ex1]"
    NextStep next;               // the file, the doc section and the grade command
    std::string rerun;           // its tests alone: "build/bin/lab01-tests '[lab01][ex2]'"
    std::size_t passed() const;
};

struct LabResult {
    const Lab* lab = nullptr;
    bool built = true;
    std::string build_output;    // the compiler's output when it did not build
    std::vector<ExerciseResult> exercises;
};

struct GradeResult {
    std::vector<LabResult> labs;
    double seconds = 0;
    double earned() const;
    double possible() const;
    bool full_marks() const;
};

struct GradeOptions {
    std::filesystem::path source;   // the repository (for tests/points.json)
    std::filesystem::path build;    // a configured build directory
    std::vector<std::string> selectors;  // "lab01", "1", "lab01-ex2"; empty: every lab in the table
    bool build_first = true;
    int jobs = 2;
    int build_jobs = 0;             // 0: the build tool's default
    std::optional<double> timeout;  // per test; default: the table's, capped by ctest's TIMEOUT
    bool verbose = false;           // say what runs, as it runs
};

// The labs and exercises that `selectors` name, in table order. Throws
// netlabs::UsageError naming an unknown lab or exercise.
std::vector<std::pair<const Lab*, std::vector<const Exercise*>>> select(const Points& points,
                                                                       const std::vector<std::string>& selectors);

GradeResult grade(const Points& points, const GradeOptions& options);

// Catch2's console output -> the first lines of why a test failed.
std::vector<std::string> failure_lines(const std::string& output, std::size_t max_lines = 12);

// `lines` without what repeats a stub's message: a line that holds "is not
// implemented yet", and the pieces of a message that Catch2 wrapped onto
// lines of their own (a line that is, quotes and spaces aside, part of one of
// `stubs`). The stubs are shown once, whole, on their own.
std::vector<std::string> drop_stub_lines(const std::vector<std::string>& lines, const std::vector<std::string>& stubs);

// A finished test's status: timed out; crashed (a signal, a sanitizer
// report); skipped (the skip code, and the output says skipped and has no
// FAILED: Catch2 v2 exits with the number of failed checks, which may be the
// skip code too); passed (exit 0); else failed.
Status classify(const Spawned& run, int skip_return_code);

// Whether `output` holds an AddressSanitizer, LeakSanitizer or UBSan report.
bool has_sanitizer_report(const std::string& output);

} // namespace netlabs::grade
