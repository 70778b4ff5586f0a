#include "gradescope.hpp"

#include <fstream>
#include <stdexcept>

#include "edition.hpp"

namespace fs = std::filesystem;

namespace netlabs::grade {
namespace {

void write_script(const fs::path& file, const std::string& text)
{
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    if (!out) throw std::runtime_error("cannot write " + file.string());
    out << text;
    out.close();
    fs::permissions(file, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                              fs::perms::others_read | fs::perms::others_exec);
}

} // namespace

std::string gradescope_setup_script()
{
    return R"(#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder image
# (written by './netlabs grade --gradescope DIR').
set -euo pipefail
cd /autograder/source/netlabs
chmod +x netlabs  # a zip upload may have lost the mode
# The packages the course needs (apt on Gradescope's Ubuntu images).
./netlabs setup
# Build the student edition once now, so that grading a submission rebuilds
# only the files it changed. Its stubs fail their tests: that is expected.
./netlabs grade >/dev/null 2>&1 || true
)";
}

std::string gradescope_run_script(const std::vector<std::string>& labs)
{
    std::string selected;
    for (const auto& l : labs) selected += " " + l;
    return R"(#!/usr/bin/env bash
# Gradescope runs this for every submission (written by './netlabs grade --gradescope DIR').
# It copies the submission over the student edition, puts back what grades it
# (tests, the grader, the build files), builds, grades, and writes
# /autograder/results/results.json.
set -uo pipefail
LABS=")" + selected.substr(selected.empty() ? 0 : 1) + R"("
A=${NETLABS_AUTOGRADER_ROOT:-/autograder}  # another root only to try it out
EDITION=$A/source/netlabs
SUBMISSION=$A/submission
RESULTS=$A/results/results.json
mkdir -p "$A/results"

fallback() {  # results.json for when the grader itself could not run
    python3 - "$1" "$RESULTS" <<'PY'
import json, sys
json.dump({"score": 0, "execution_time": 0, "tests": [{"name": "grader", "score": 0, "max_score": 0,
           "status": "failed", "output": sys.argv[1][-10000:], "visibility": "visible"}]},
          open(sys.argv[2], "w"))
PY
}

# The submission may be the repository itself or one folder holding it.
root=$SUBMISSION
if [ ! -x "$root/netlabs" ]; then
    for d in "$SUBMISSION"/*/; do
        if [ -x "$d/netlabs" ] || [ -f "$d/netlabs" ]; then root=${d%/}; break; fi
    done
fi

cd "$EDITION" || { fallback "no student edition in $EDITION"; exit 0; }
keep=$(mktemp -d)
for path in tests common/grade common/testing cmake netlabs CMakePresets.json; do
    [ -e "$path" ] && cp -a --parents "$path" "$keep"/
done
# The student's files over the edition (never their build or .git) ...
tar -C "$root" --exclude=./.git --exclude=./build -cf - . | tar -C "$EDITION" -xf - \
    || { fallback "could not copy the submission from $root"; exit 0; }
# ... and the grader's own files back on top.
cp -a "$keep"/. "$EDITION"/
rm -rf "$keep"

# shellcheck disable=SC2086  # one word per lab
./netlabs grade $LABS --results-json "$RESULTS"
[ -s "$RESULTS" ] || fallback "the grader wrote no results; see the autograder output"
exit 0
)";
}

void write_gradescope_bundle(const fs::path& source, const fs::path& dir, const Points& points,
                             const std::vector<std::string>& labs, bool force)
{
    if (fs::exists(dir) && !fs::is_empty(dir) && !force)
        throw std::runtime_error(dir.string() + " is not empty: pick an empty directory, or pass --force to overwrite");
    fs::create_directories(dir);
    write_student_edition(source, dir / "netlabs", points, true);
    write_script(dir / "setup.sh", gradescope_setup_script());
    write_script(dir / "run_autograder", gradescope_run_script(labs));
}

} // namespace netlabs::grade
