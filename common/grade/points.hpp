// The points table (tests/points.json): each lab's exercises, their points,
// titles and hints, and the build targets that hold the lab's tests.
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "netlabs/errors.hpp"

namespace netlabs::grade {

struct Exercise {
    std::string lab;       // "lab01"
    std::string key;       // "ex1": the test tag is [ex1]
    std::string id;        // "lab01-ex1": the id in markers, TODOs and NotImplemented
    std::string title;     // "The server: bind, listen, accept"
    std::string hint;      // what to implement
    std::string doc;       // "docs/en/lab01.md#the-server-seed-002"
    double points = 0;
    bool proportional = false;  // false: all tests pass or no points
    int number = 0;             // K of exK

    // "<hint> (see <doc>)": what the stub's TODO and NotImplemented say.
    std::string full_hint() const;
};

struct Lab {
    std::string id;                    // "lab01"
    std::string title;
    std::vector<std::string> targets;  // what to build for its tests; empty: everything
    std::vector<Exercise> exercises;
    int number = 0;                    // NN of labNN
    double points() const;
};

struct Points {
    std::vector<Lab> labs;
    double timeout_seconds = 60;  // per test, unless ctest says less

    const Lab* find_lab(const std::string& id) const;
    const Exercise* find_exercise(const std::string& id) const;
};

// A points table that cannot be used; the message names the file and what is wrong.
class PointsError : public netlabs::UsageError {
public:
    using netlabs::UsageError::UsageError;
};

Points parse_points(const std::string& json_text, const std::string& file_name);
Points load_points(const std::filesystem::path& file);

// "lab01-ex1" -> true; the shape of an exercise id.
bool is_exercise_id(const std::string& text);

} // namespace netlabs::grade
