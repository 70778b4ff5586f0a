// Fuzzes what the grader reads (common/grade): the points table
// (tests/points.json, points.cpp), which an instructor edits by hand, and the
// solution markers of a source file (edition.cpp), which the student edition
// is cut from. The first byte chooses which. A table that loads has finite,
// non-negative points and a positive, finite timeout; a student edition has
// no solution line left in it.
#include <cmath>
#include <cstdint>
#include <string>

#include "edition.hpp"
#include "fuzz.hpp"
#include "points.hpp"

namespace grade = netlabs::grade;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::uint8_t mode = fuzz::take_byte(data, size);
    const std::string text(fuzz::text(data, size));
    if (mode % 2 == 0) {
        try {
            const grade::Points points = grade::parse_points(text, "points.json");
            fuzz::check(std::isfinite(points.timeout_seconds) && points.timeout_seconds > 0, "a positive, finite timeout");
            for (const auto& lab : points.labs) {
                fuzz::check(points.find_lab(lab.id) == &lab, "lab ids are unique");
                for (const auto& e : lab.exercises) {
                    fuzz::check(grade::is_exercise_id(e.id), "exercise ids have the shape labNN-exK");
                    fuzz::check(std::isfinite(e.points) && e.points >= 0, "finite points, 0 or more");
                }
            }
        } catch (const grade::PointsError&) {
        }
    } else {
        // Every id of the shape labNN-exK is known, with a short hint.
        const grade::HintLookup hints = [](const std::string& id) -> std::optional<std::string> {
            if (!grade::is_exercise_id(id)) return std::nullopt;
            return "do " + id;
        };
        try {
            const std::string student = grade::strip_solutions("fuzz.cpp", text, hints);
            fuzz::check(grade::find_regions("student.cpp", student, hints).empty(),
                        "the student edition has no solution region left");
        } catch (const grade::MarkerError&) {
        }
    }
    return 0;
}
