// netlabs-grade: the student edition and the grader, for './netlabs starter'
// and './netlabs grade'. See docs/en/instructors.md.
//
//   netlabs-grade starter DIR [--force]              the student edition
//   netlabs-grade grade [LAB...] [--results-json F] [--junit F] [--gradescope DIR]
//   netlabs-grade check-edition DIR                  no solution survives in DIR
//   netlabs-grade prove-student --work DIR [--build-subdir D] [--cmake-arg A]... [--one-at-a-time LAB]...
//                                                    the student edition builds and scores less than full,
//                                                    its tour stops at lab01-ex1; with --one-at-a-time, each
//                                                    exercise done alone earns its points and no other's
//
// Exit: 0 done (grade: full marks), 1 not (grade: points missing; a check
// failed), 2 bad usage or a broken marker or points table.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <thread>

#include <unistd.h>

#include <CLI/CLI.hpp>

#include "netlabs/cli.hpp"
#include "netlabs/errors.hpp"

#include "edition.hpp"
#include "grade.hpp"
#include "gradescope.hpp"
#include "next_step.hpp"
#include "points.hpp"
#include "report.hpp"
#include "spawn.hpp"

namespace fs = std::filesystem;
using namespace netlabs::grade;

namespace {

using netlabs::exit_failure;
using netlabs::exit_ok;

void write_file(const fs::path& file, const std::string& text)
{
    if (file.has_parent_path()) fs::create_directories(file.parent_path());
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    if (!out) throw std::runtime_error("cannot write " + file.string());
    out << text;
}

int default_jobs()
{
    const unsigned n = std::thread::hardware_concurrency();
    return n == 0 ? 2 : static_cast<int>(n);
}

struct Common {
    std::string source = ".";
    Points load() const { return load_points(fs::path(source) / "tests" / "points.json"); }
};

int starter(const Common& common, const std::string& dir, bool force)
{
    const Points points = common.load();
    const EditionReport r = write_student_edition(common.source, dir, points, force);
    std::cout << "starter: wrote the student edition to " << dir << ": " << r.files << " files, "
              << r.regions << " solution regions in " << r.stripped_files << " files replaced by stubs";
    if (!r.hidden.empty()) std::cout << ", " << r.hidden.size() << " hidden tests left out";
    std::cout << ".\n";
    const auto leaks = find_leaks(common.source, dir, points);
    for (const auto& l : leaks) std::cerr << "starter: " << l << "\n";
    if (!leaks.empty()) return exit_failure;
    std::cout << "starter: next: hand out " << dir << "; grade a returned copy with './netlabs grade' in it.\n";
    return exit_ok;
}

struct GradeArgs {
    std::vector<std::string> labs;
    std::string build_dir = "build";
    std::string results_json, junit, gradescope;
    bool no_build = false, force = false, verbose = false;
    std::string jobs = std::to_string(default_jobs()), build_jobs, timeout;
};

// -j and --build-jobs: a whole number of jobs, checked before anything runs
// (CLI11 alone takes -j 0, and --timeout nan or -1, without a word).
int parse_jobs(const std::string& text, const char* what)
{
    return static_cast<int>(netlabs::parse_count(text, what, 1, 1024));
}

int run_grade(const Common& common, const GradeArgs& a)
{
    const int jobs = parse_jobs(a.jobs, "--jobs");
    const int build_jobs = a.build_jobs.empty() ? 0 : parse_jobs(a.build_jobs, "--build-jobs");
    std::optional<double> timeout;
    if (!a.timeout.empty()) {
        const auto t = netlabs::parse_seconds(a.timeout, "--timeout");
        if (t.count() == 0) throw netlabs::UsageError("invalid --timeout '" + a.timeout + "': must be more than 0 seconds");
        timeout = std::chrono::duration<double>(t).count();
    }
    const Points points = common.load();
    if (!a.gradescope.empty()) {
        select(points, a.labs);  // refuse an unknown lab now, not on Gradescope
        write_gradescope_bundle(common.source, a.gradescope, points, a.labs, a.force);
        std::cout << "grade: wrote the Gradescope autograder to " << a.gradescope
                  << " (setup.sh, run_autograder, netlabs/: the student edition).\n"
                  << "grade: upload it as a zip: (cd " << a.gradescope << " && zip -qr ../autograder.zip .)\n";
        return exit_ok;
    }
    GradeOptions o;
    o.source = common.source;
    o.build = a.build_dir;
    o.selectors = a.labs;
    o.build_first = !a.no_build;
    o.jobs = jobs;
    o.build_jobs = build_jobs;
    o.timeout = timeout;
    o.verbose = a.verbose;
    const GradeResult result = grade(points, o);
    std::cout << format_table(result, isatty(1) && std::getenv("NO_COLOR") == nullptr);
    if (!a.results_json.empty()) write_file(a.results_json, gradescope_json(result));
    if (!a.junit.empty()) write_file(a.junit, junit_xml(result));
    return result.full_marks() ? exit_ok : exit_failure;
}

int check_edition(const Common& common, const std::string& dir)
{
    const auto leaks = find_leaks(common.source, dir, common.load());
    for (const auto& l : leaks) std::cout << "check-edition: " << l << "\n";
    if (!leaks.empty()) return exit_failure;
    std::cout << "check-edition: no solution line, marker or hidden test in " << dir << "\n";
    return exit_ok;
}

// The student edition of this repository builds and scores less than full on
// every lab, each stub failing with its id and hint, with no crash or timeout.
//
// The edition's build goes to src/BUILD_SUBDIR: the same place relative to
// its sources as the reference's build, so that ccache (keyed on paths
// relative to the source tree) finds every unchanged file already compiled
// and only the stubbed files compile again.
std::string read_text_file(const fs::path& file)
{
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// The student edition's tour of `lab`'s doc in `lang`: it must stop, with
// the stop line, at the step that needs `exercise`; or, with `exercise`
// done, never stop at it. Runs in a network namespace of its own where one
// can be made (the docs use the posts' fixed ports).
void prove_tour(const fs::path& edition, const fs::path& build, const Exercise& exercise, const std::string& lang,
                bool done, std::vector<std::string>& problems)
{
    const fs::path bin = build / "bin";
    const std::string doc = "docs/" + lang + "/" + exercise.lab + ".md";
    std::vector<std::string> tour = {(bin / "netlabs-docrun").string(), "tour", "--no-color", "--bin", bin.string(), doc};
    Spawned run;
    bool ran = false;
    if (fs::exists(bin / "netlabs-net")) {
        std::vector<std::string> isolated = {(bin / "netlabs-net").string(), "isolate", "--"};
        isolated.insert(isolated.end(), tour.begin(), tour.end());
        run = run_captured(isolated, edition, std::chrono::minutes(5));
        ran = run.output.find("netlab: unavailable: ") == std::string::npos;
    }
    if (!ran) run = run_captured(tour, edition, std::chrono::minutes(5));
    const NextStep next = next_step(edition, exercise, lang);
    const std::string said = lang == "ko" ? next.files.front() + " 파일을 열고, " + next.section + " 절을 읽은 다음, '" +
                                                next.command + "'로 확인하세요."
                                          : "tour stopped: this step needs " + exercise.id + " (" + exercise.title +
                                                "), an exercise not done yet: open " + next.files.front();
    const bool stopped_here = run.output.find(said) != std::string::npos;
    std::cout << "prove-student: tour of " << doc << (done ? " with " + exercise.id + " done" : "") << ": "
              << (stopped_here ? "stopped at " + exercise.id : "did not stop at " + exercise.id) << " (exit "
              << run.exit_code << ")" << std::endl;
    if (!done && (!stopped_here || run.exit_code != 1))
        problems.push_back("the tour of " + doc + " does not stop at " + exercise.id + " with its line ('" + said +
                           "'); it said:\n" + cap_text(run.output, 3000));
    if (done && (stopped_here || run.output.find("tour stopped: this step needs " + exercise.id + " ") != std::string::npos))
        problems.push_back("with " + exercise.id + " done, the tour of " + doc + " still stops at it");
}

// Finishes one exercise at a time in the student edition (its files as the
// reference has them), grades its lab, and puts the stubs back: the finished
// exercise must earn full marks and every other exercise of the lab nothing,
// so that no exercise's tests need another's code.
void prove_one_at_a_time(const Common& common, const fs::path& edition, const fs::path& build, const Points& points,
                         const std::string& lab_id, int build_jobs, int jobs, std::vector<std::string>& problems)
{
    const Lab* lab = points.find_lab(lab_id);
    if (lab == nullptr) {
        problems.push_back("--one-at-a-time " + lab_id + ": no such lab in tests/points.json");
        return;
    }
    const HintLookup hints = hints_from(points);
    for (const Exercise& e : lab->exercises) {
        const std::vector<std::string> files = exercise_files(common.source, e);
        bool alone = !files.empty();
        for (const auto& f : files)
            for (const auto& r : find_regions(f, read_text_file(fs::path(common.source) / f), hints))
                if (r.exercise != e.id) alone = false;
        if (!alone) {
            std::cout << "prove-student: " << e.id << " shares a file with another exercise: not proved alone\n";
            continue;
        }
        for (const auto& f : files) fs::copy_file(fs::path(common.source) / f, edition / f, fs::copy_options::overwrite_existing);
        GradeOptions o;
        o.source = edition;
        o.build = build;
        o.jobs = jobs;
        o.build_jobs = build_jobs;
        o.selectors = {lab->id};
        const GradeResult result = grade(points, o);
        for (const auto& lr : result.labs)
            for (const auto& er : lr.exercises) {
                const bool mine = er.exercise->id == e.id;
                std::cout << "prove-student: " << e.id << " done alone: " << er.exercise->id << " "
                          << format_points(er.earned) << "/" << format_points(er.exercise->points) << " "
                          << to_string(er.status) << std::endl;
                if (mine && er.status != Status::passed)
                    problems.push_back(e.id + " done alone does not pass its own tests:\n" + format_table(result));
                if (!mine && er.earned > 0)
                    problems.push_back(e.id + " done alone earns points for " + er.exercise->id + ": its tests do not need its code");
            }
        if (e.id == "lab01-ex1") {
            const Spawned b = run_captured({"cmake", "--build", build.string(), "--target", "netlabs-docrun"}, {},
                                           std::chrono::minutes(30));
            if (b.exit_code == 0) prove_tour(edition, build, e, "en", true, problems);
        }
        for (const auto& f : files)
            write_file(edition / f, strip_solutions(f, read_text_file(fs::path(common.source) / f), hints));
    }
}

int prove_student(const Common& common, const std::string& work, const std::vector<std::string>& cmake_args,
                  const std::string& build_subdir, int build_jobs, int jobs,
                  const std::vector<std::string>& one_at_a_time, const std::vector<std::string>& only)
{
    const Points points = common.load();
    const fs::path edition = fs::absolute(work) / "src";  // the tour runs in the edition: no path relative to here
    const fs::path build = edition / build_subdir;
    std::vector<std::string> problems;

    const EditionReport r = write_student_edition(common.source, edition, points, true);
    std::cout << "prove-student: student edition in " << edition.string() << " (" << r.regions << " regions, "
              << r.written << " files changed since the last run)\n";
    for (const auto& l : find_leaks(common.source, edition, points)) problems.push_back(l);

    if (!fs::exists(build / "CMakeCache.txt")) {
        std::vector<std::string> argv = {"cmake", "-S", edition.string(), "-B", build.string()};
        argv.insert(argv.end(), cmake_args.begin(), cmake_args.end());
        const Spawned c = run_captured(argv, {}, std::chrono::minutes(30));
        if (c.exit_code != 0) {
            std::cout << c.output << "prove-student: the student edition does not configure\n";
            return exit_failure;
        }
    }
    GradeOptions o;
    o.source = edition;
    o.build = build;
    o.jobs = jobs;
    o.build_jobs = build_jobs;
    o.selectors = only;
    const Points edition_points = load_points(edition / "tests" / "points.json");
    const GradeResult result = grade(edition_points, o);
    std::cout << format_table(result);

    for (const auto& lab : result.labs) {
        if (!lab.built) {
            problems.push_back(lab.lab->id + " does not build in the student edition");
            continue;
        }
        double earned = 0;
        for (const auto& e : lab.exercises) {
            earned += e.earned;
            if (e.status == Status::crashed || e.status == Status::timed_out)
                problems.push_back(e.exercise->id + " " + to_string(e.status) + " in the student edition: a stub must fail, not crash or hang");
            if (e.tests.empty()) problems.push_back(e.exercise->id + " has no tests: " + e.note);
            if (e.status == Status::skipped) {
                std::cout << "prove-student: note: " << e.note << "\n";
                continue;
            }
            if (e.status == Status::passed)
                problems.push_back(e.exercise->id + " passes in the student edition: its stub does not fail its tests");
            bool hinted = e.tests.empty();
            for (const auto& t : e.tests) {
                const std::string said = t.output + [&] {
                    std::string s;
                    for (const auto& l : t.stubs) s += l + "\n";
                    return s;
                }();
                if (t.status != Status::passed && said.find(" is not implemented yet") != std::string::npos) hinted = true;
            }
            if (!hinted)
                problems.push_back(e.exercise->id + ": no failing test shows a stub's 'not implemented yet' line");
        }
        if (earned >= lab.lab->points() && lab.lab->points() > 0)
            problems.push_back(lab.lab->id + " scores full marks in the student edition");
    }
    // The tour of the fresh edition stops at lab01's first exercise, in both languages.
    if (const Exercise* first = edition_points.find_exercise("lab01-ex1")) {
        const Spawned b = run_captured({"cmake", "--build", build.string(), "--target", "netlabs-docrun", "netlabs-net", "lab01-tests"}, {},
                                       std::chrono::minutes(30));
        if (b.exit_code != 0) problems.push_back("netlabs-docrun does not build in the student edition:\n" + cap_text(b.output, 3000));
        else
            for (const char* lang : {"en", "ko"})
                if (fs::exists(edition / "docs" / lang / "lab01.md")) prove_tour(edition, build, *first, lang, false, problems);
    }
    for (const auto& lab : one_at_a_time)
        prove_one_at_a_time(common, edition, build, edition_points, lab, build_jobs, jobs, problems);

    for (const auto& p : problems) std::cout << "prove-student: " << p << "\n";
    if (!problems.empty()) return exit_failure;
    std::cout << "prove-student: the student edition builds, every lab scores less than full ("
              << format_points(result.earned()) << "/" << format_points(result.possible())
              << "), every stub fails with its id and hint, nothing crashed or hung.\n";
    return exit_ok;
}

} // namespace

int main(int argc, char** argv)
{
    CLI::App app{"netlabs-grade: the student edition and the grader (see docs/en/instructors.md)", "netlabs-grade"};
    app.require_subcommand(1);
    Common common;
    app.add_option("--source", common.source, "the repository (where tests/points.json is)")->capture_default_str();

    auto* st = app.add_subcommand("starter", "write the student edition: solutions replaced by stubs, hidden tests left out");
    std::string starter_dir;
    bool starter_force = false;
    st->add_option("dir", starter_dir, "where to write it (empty or missing, unless --force)")->required();
    st->add_flag("--force", starter_force, "write into a directory that is not empty");

    auto* gr = app.add_subcommand("grade", "build, run the labs' tests, print the score table");
    GradeArgs ga;
    gr->add_option("labs", ga.labs, "labs or exercises to grade: lab01, 1, lab01-ex2 (default: every lab in the points table)");
    gr->add_option("--build-dir", ga.build_dir, "a configured build directory")->capture_default_str();
    gr->add_option("--results-json", ga.results_json, "also write Gradescope's results.json here");
    gr->add_option("--junit", ga.junit, "also write JUnit XML here");
    gr->add_option("--gradescope", ga.gradescope, "write a Gradescope autograder (setup.sh, run_autograder) here instead of grading");
    gr->add_flag("--force", ga.force, "with --gradescope: write into a directory that is not empty");
    gr->add_flag("--no-build", ga.no_build, "do not build first");
    gr->add_option("-j,--jobs", ga.jobs, "tests to run at once")->capture_default_str();
    gr->add_option("--build-jobs", ga.build_jobs, "compile jobs (default: the build tool's)");
    gr->add_option("--timeout", ga.timeout, "seconds per test (default: tests/points.json's timeout_seconds)");
    gr->add_flag("-v,--verbose", ga.verbose, "say what is built and run, as it happens");

    auto* ce = app.add_subcommand("check-edition", "check that no solution line, marker or hidden test is in a student edition");
    std::string check_dir;
    ce->add_option("dir", check_dir, "the student edition")->required();

    auto* ps = app.add_subcommand("prove-student", "write, build and grade the student edition; it must build and score less than full");
    std::string work;
    std::vector<std::string> cmake_args;
    std::string build_subdir = "build";
    std::string prove_build_jobs, prove_jobs = std::to_string(default_jobs());
    ps->add_option("--work", work, "a directory for the edition (src/) and its build (src/BUILD_SUBDIR)")->required();
    ps->add_option("--build-subdir", build_subdir,
                   "where the edition's build goes, relative to its sources (as the reference's build is to the repository)")
        ->capture_default_str()
        ->check([](const std::string& v) {
            const fs::path p(v);
            if (v.empty() || p.is_absolute()) return std::string("must be a relative path");
            for (const auto& part : p) if (part == "..") return std::string("must stay inside the edition");
            return std::string();
        });
    ps->add_option("--cmake-arg", cmake_args, "an argument for configuring the edition's build (repeat)")->allow_extra_args(false);
    ps->add_option("--build-jobs", prove_build_jobs, "compile jobs (default: the build tool's)");
    ps->add_option("-j,--jobs", prove_jobs, "tests to run at once")->capture_default_str();
    std::vector<std::string> one_at_a_time, only;
    ps->add_option("--only", only, "prove only these labs (repeat; default: every lab in the points table)");
    ps->add_option("--one-at-a-time", one_at_a_time,
                   "for this lab (repeat), finish each exercise alone (its reference files) and check that it "
                   "earns full marks and the lab's other exercises nothing");

    // Exit codes and one-line errors as every program of the course:
    // a broken marker or points table, or an unknown lab, is bad usage (2).
    return netlabs::run_main(app, argc, argv, [&] {
        if (st->parsed()) return starter(common, starter_dir, starter_force);
        if (gr->parsed()) return run_grade(common, ga);
        if (ce->parsed()) return check_edition(common, check_dir);
        const int jobs = parse_jobs(prove_jobs, "--jobs");
        const int build_jobs = prove_build_jobs.empty() ? 0 : parse_jobs(prove_build_jobs, "--build-jobs");
        return prove_student(common, work, cmake_args, build_subdir, build_jobs, jobs, one_at_a_time, only);
    });
}
