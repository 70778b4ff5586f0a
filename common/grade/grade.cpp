#include "grade.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <regex>
#include <set>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <unistd.h>

#include <nlohmann/json.hpp>

#include "spawn.hpp"

namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace netlabs::grade {

std::string to_string(Status status)
{
    switch (status) {
    case Status::passed: return "passed";
    case Status::failed: return "failed";
    case Status::timed_out: return "timed out";
    case Status::crashed: return "crashed";
    case Status::did_not_build: return "did not build";
    case Status::skipped: return "skipped";
    }
    return "?";
}

std::size_t ExerciseResult::passed() const
{
    return static_cast<std::size_t>(std::count_if(tests.begin(), tests.end(), [](const TestRun& t) {
        return t.status == Status::passed || t.status == Status::skipped;
    }));
}

double GradeResult::earned() const
{
    double sum = 0;
    for (const auto& lab : labs)
        for (const auto& e : lab.exercises) sum += e.earned;
    return sum;
}

double GradeResult::possible() const
{
    double sum = 0;
    for (const auto& lab : labs)
        for (const auto& e : lab.exercises) sum += e.exercise->points;
    return sum;
}

bool GradeResult::full_marks() const
{
    for (const auto& lab : labs)
        for (const auto& e : lab.exercises)
            if (e.status != Status::passed) return false;
    return true;
}

bool has_sanitizer_report(const std::string& output)
{
    for (const char* mark : {"ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "ERROR: ThreadSanitizer",
                             "ERROR: MemorySanitizer", "UndefinedBehaviorSanitizer", ": runtime error: "})
        if (output.find(mark) != std::string::npos) return true;
    return false;
}

Status classify(const Spawned& run, int skip_return_code)
{
    if (run.timed_out) return Status::timed_out;
    if (has_sanitizer_report(run.output)) return Status::crashed;
    if (run.signal != 0 || !run.started) return Status::crashed;
    if (run.output.find("fatal error condition") != std::string::npos) return Status::crashed;
    if (run.exit_code == 0) return Status::passed;
    // Catch2 v2 exits with the number of failed assertions, so the skip
    // code (4) alone may also mean "4 checks failed": a skip says so, and
    // has no FAILED in it.
    if (skip_return_code >= 0 && run.exit_code == skip_return_code &&
        run.output.find("FAILED") == std::string::npos &&
        (run.output.find("skipped") != std::string::npos || run.output.find("SKIPPED") != std::string::npos))
        return Status::skipped;
    return Status::failed;
}

std::vector<std::string> failure_lines(const std::string& output, std::size_t max_lines)
{
    std::vector<std::string> lines;
    std::istringstream in(output);
    for (std::string line; std::getline(in, line);) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        lines.push_back(line);
    }
    auto is_rule = [](const std::string& l) {
        return l.size() >= 20 && (l.find_first_not_of('-') == std::string::npos ||
                                  l.find_first_not_of('.') == std::string::npos ||
                                  l.find_first_not_of('=') == std::string::npos);
    };
    std::size_t from = lines.size();
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const std::string& l = lines[i];
        if (l.find("FAILED") != std::string::npos || l.find("ERROR: ") != std::string::npos ||
            l.find(": runtime error: ") != std::string::npos || l.find("due to unexpected exception") != std::string::npos ||
            l.find("fatal error condition") != std::string::npos) {
            from = i;
            break;
        }
    }
    std::vector<std::string> why;
    if (from == lines.size()) {
        // Nothing Catch2 would say: the last lines are the best guess.
        from = lines.size() > max_lines ? lines.size() - max_lines : 0;
    }
    for (std::size_t i = from; i < lines.size() && why.size() < max_lines; ++i) {
        if (lines[i].find_first_not_of(" \t") == std::string::npos || is_rule(lines[i])) continue;
        why.push_back(lines[i]);
    }
    return why;
}

namespace {

// Runs of spaces as one space, no spaces at either end.
std::string squeeze(std::string_view text)
{
    std::string out;
    for (const char c : text) {
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            if (!out.empty() && out.back() != ' ') out += ' ';
        } else {
            out += c;
        }
    }
    if (!out.empty() && out.back() == ' ') out.pop_back();
    return out;
}

} // namespace

std::vector<std::string> drop_stub_lines(const std::vector<std::string>& lines, const std::vector<std::string>& stubs)
{
    std::vector<std::string> messages;
    for (const auto& s : stubs) messages.push_back(squeeze(s));
    std::vector<std::string> kept;
    bool dropping = false;
    for (const auto& line : lines) {
        std::string piece = squeeze(line);
        while (!piece.empty() && (piece.front() == '"' || piece.front() == '\'')) piece.erase(0, 1);
        while (!piece.empty() && (piece.back() == '"' || piece.back() == '\'')) piece.pop_back();
        piece = squeeze(piece);
        const bool part_of_stub =
            line.find(" is not implemented yet") != std::string::npos ||
            (piece.size() >= 8 && std::any_of(messages.begin(), messages.end(), [&](const std::string& m) {
                 return m.find(piece) != std::string::npos;
             }));
        if (!part_of_stub) {
            kept.push_back(line);
            dropping = false;
        } else if (!dropping) {  // one short mark where the message was
            kept.push_back(line.substr(0, line.find_first_not_of(" \t") == std::string::npos ? 0 : line.find_first_not_of(" \t")) +
                           "(the stub's message, shown once above)");
            dropping = true;
        }
    }
    return kept;
}

std::vector<std::string> TestRun::why() const
{
    std::vector<std::string> lines = stubs;
    if (status == Status::timed_out) lines.push_back("the test did not finish in time and was stopped");
    for (auto& l : drop_stub_lines(failure_lines(output), stubs)) lines.push_back(std::move(l));
    return lines;
}

namespace {

struct CtestTest {
    std::string name;
    std::vector<std::string> command;
    std::vector<std::string> labels;
    fs::path working_directory;
    double timeout = 0;
    int skip_return_code = -1;
    std::vector<std::pair<std::string, std::string>> environment;
};

std::vector<CtestTest> discover(const fs::path& build)
{
    const Spawned ctest = run_captured({"ctest", "--show-only=json-v1"}, build, 120s, {}, 64 * 1024 * 1024);
    if (!ctest.started || ctest.exit_code != 0)
        throw std::runtime_error("ctest --show-only=json-v1 in " + build.string() + " failed:\n" + ctest.output);
    // ctest may print notes before the JSON.
    const auto brace = ctest.output.find('{');
    if (brace == std::string::npos) throw std::runtime_error("ctest printed no test list:\n" + ctest.output);
    const auto doc = nlohmann::json::parse(ctest.output.substr(brace));
    std::vector<CtestTest> tests;
    for (const auto& t : doc.value("tests", nlohmann::json::array())) {
        CtestTest test;
        test.name = t.value("name", "");
        if (!t.contains("command")) continue;
        for (const auto& c : t["command"]) test.command.push_back(c.get<std::string>());
        for (const auto& p : t.value("properties", nlohmann::json::array())) {
            const std::string key = p.value("name", "");
            const auto& value = p["value"];
            if (key == "LABELS")
                for (const auto& l : value) test.labels.push_back(l.get<std::string>());
            else if (key == "WORKING_DIRECTORY") test.working_directory = value.get<std::string>();
            else if (key == "TIMEOUT") test.timeout = value.get<double>();
            else if (key == "SKIP_RETURN_CODE") test.skip_return_code = value.get<int>();
            else if (key == "ENVIRONMENT")
                for (const auto& e : value) {
                    const std::string kv = e.get<std::string>();
                    const auto eq = kv.find('=');
                    if (eq != std::string::npos) test.environment.emplace_back(kv.substr(0, eq), kv.substr(eq + 1));
                }
        }
        if (!test.command.empty()) tests.push_back(std::move(test));
    }
    return tests;
}

// Catch2's escaping of a test name on the command line: "a\, b" -> "a, b".
std::string unescape(const std::string& spec)
{
    std::string out;
    for (std::size_t i = 0; i < spec.size(); ++i) {
        if (spec[i] == '\\' && i + 1 < spec.size()) ++i;
        out += spec[i];
    }
    return out;
}

// The lines of `text` that hold something, without a trailing \r.
std::vector<std::string> non_empty_lines(const std::string& text)
{
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (!line.empty()) lines.push_back(line);
    }
    return lines;
}

// 2 or 3 for a Catch2 program, 0 for anything else (asked once per program).
int catch_version(const std::string& exe)
{
    static std::mutex mutex;
    static std::map<std::string, int> versions;
    std::lock_guard lock(mutex);
    auto it = versions.find(exe);
    if (it != versions.end()) return it->second;
    const Spawned id = run_captured({exe, "--libidentify"}, {}, 30s);
    int version = 0;
    if (id.output.find("Catch") != std::string::npos)
        version = std::regex_search(id.output, std::regex(R"(version:\s*2\.)")) ? 2 : 3;
    versions[exe] = version;
    return version;
}

// The names of the test cases in `exe` that match the tag expression `tags`.
std::set<std::string> list_tests(const std::string& exe, const std::string& tags)
{
    const Spawned list = catch_version(exe) == 2
                             ? run_captured({exe, tags, "--list-test-names-only"}, {}, 60s)
                             : run_captured({exe, tags, "--list-tests", "--verbosity", "quiet"}, {}, 60s);
    if (!list.started || list.signal != 0 || list.timed_out)
        throw std::runtime_error("cannot list the tests of " + exe + ":\n" + list.output);
    std::set<std::string> names;
    for (const auto& line : non_empty_lines(list.output)) {
        if (line.rfind("No test cases matched", 0) == 0 || line.rfind("Filters:", 0) == 0) continue;
        names.insert(line);
    }
    return names;
}


int severity(Status s)
{
    switch (s) {
    case Status::passed: return 0;
    case Status::skipped: return 0;
    case Status::failed: return 1;
    case Status::timed_out: return 2;
    case Status::crashed: return 3;
    case Status::did_not_build: return 4;
    }
    return 1;
}

std::string read_text(const fs::path& file)
{
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::string number_text(double v)
{
    std::ostringstream s;
    s << v;
    return s.str();
}

// The command that runs one exercise's tests and nothing else: its Catch2
// program(s) with the exercise's tag, the path relative to where the grader
// runs when it is below it ("build/bin/lab01-tests '[lab01][ex2]'").
std::string rerun_command(const std::set<std::string>& exes, const std::string& tags)
{
    std::string command;
    std::error_code ec;
    const fs::path here = fs::current_path(ec);
    for (const auto& exe : exes) {
        std::string shown = exe;
        if (!ec) {
            const fs::path rel = fs::path(exe).lexically_relative(here);
            if (!rel.empty() && rel.native().rfind("..", 0) != 0) shown = rel.generic_string();
        }
        command += (command.empty() ? "" : "; ") + shown + " '" + tags + "'";
    }
    return command;
}

} // namespace

std::vector<std::pair<const Lab*, std::vector<const Exercise*>>> select(const Points& points,
                                                                       const std::vector<std::string>& selectors)
{
    std::vector<std::pair<const Lab*, std::vector<const Exercise*>>> chosen;
    auto add = [&](const Lab* lab, const Exercise* exercise) {
        auto it = std::find_if(chosen.begin(), chosen.end(), [&](const auto& c) { return c.first == lab; });
        if (it == chosen.end()) {
            chosen.emplace_back(lab, std::vector<const Exercise*>{});
            it = chosen.end() - 1;
        }
        auto& list = it->second;
        if (exercise == nullptr) {
            list.clear();
            for (const auto& e : lab->exercises) list.push_back(&e);
        } else if (std::find(list.begin(), list.end(), exercise) == list.end()) {
            list.push_back(exercise);
        }
    };
    std::string known;
    for (const auto& lab : points.labs) known += (known.empty() ? "" : ", ") + lab.id;
    if (selectors.empty())
        for (const auto& lab : points.labs) add(&lab, nullptr);
    static const std::regex shape(R"((?:lab)?(\d{1,2})(?:[-:](ex\d+))?)");
    for (const auto& s : selectors) {
        std::smatch m;
        if (!std::regex_match(s, m, shape))
            throw netlabs::UsageError("invalid lab '" + s + "': give a lab (lab01, 1) or an exercise (lab01-ex2)");
        char id_text[8];
        std::snprintf(id_text, sizeof id_text, "lab%02d", std::stoi(m[1].str()));
        const std::string id = id_text;
        const Lab* lab = points.find_lab(id);
        if (lab == nullptr)
            throw netlabs::UsageError("no exercises for " + id + " in tests/points.json (labs with exercises: " + known + ")");
        const Exercise* exercise = nullptr;
        if (m[2].matched) {
            exercise = points.find_exercise(id + "-" + m[2].str());
            if (exercise == nullptr) {
                std::string names;
                for (const auto& e : lab->exercises) names += (names.empty() ? "" : ", ") + e.id;
                throw netlabs::UsageError("no exercise " + id + "-" + m[2].str() + " (" + id + " has " + names + ")");
            }
        }
        add(lab, exercise);
    }
    // Table order, whatever the order of the selectors.
    std::sort(chosen.begin(), chosen.end(), [](const auto& a, const auto& b) { return a.first->number < b.first->number; });
    for (auto& c : chosen)
        std::sort(c.second.begin(), c.second.end(), [](const Exercise* a, const Exercise* b) { return a->number < b->number; });
    return chosen;
}

GradeResult grade(const Points& points, const GradeOptions& options)
{
    const auto start = std::chrono::steady_clock::now();
    const auto chosen = select(points, options.selectors);
    auto say = [&](const std::string& line) {
        if (options.verbose) std::cerr << "grade: " << line << std::endl;
    };
    GradeResult result;
    for (const auto& [lab, exercises] : chosen) {
        LabResult lr;
        lr.lab = lab;
        for (const Exercise* e : exercises) {
            ExerciseResult er;
            er.exercise = e;
            er.next = next_step(options.source, *e);
            lr.exercises.push_back(std::move(er));
        }
        result.labs.push_back(std::move(lr));
    }

    // Build each lab's targets: a lab that does not build scores nothing, the others still count.
    if (options.build_first) {
        for (auto& lr : result.labs) {
            std::vector<std::string> argv = {"cmake", "--build", options.build.string()};
            if (options.build_jobs > 0) {
                argv.push_back("--parallel");
                argv.push_back(std::to_string(options.build_jobs));
            }
            if (!lr.lab->targets.empty()) {
                argv.push_back("--target");
                for (const auto& t : lr.lab->targets) argv.push_back(t);
            }
            say("building " + lr.lab->id + ": " + [&] {
                std::string s;
                for (const auto& a : argv) s += (s.empty() ? "" : " ") + a;
                return s;
            }());
            const Spawned b = run_captured(argv, {}, 3600s, {}, 2 * 1024 * 1024);
            if (b.exit_code != 0 || b.timed_out || !b.started) {
                lr.built = false;
                lr.build_output = b.output;
                for (auto& er : lr.exercises) er.status = Status::did_not_build;
            }
        }
    }

    // Which ctest tests belong to which exercise.
    struct Job {
        ExerciseResult* exercise;
        std::size_t index;
        CtestTest test;
    };
    std::vector<Job> jobs;
    const bool anything_built = std::any_of(result.labs.begin(), result.labs.end(), [](const LabResult& l) { return l.built; });
    const std::vector<CtestTest> all = anything_built ? discover(options.build) : std::vector<CtestTest>{};
    for (auto& lr : result.labs) {
        if (!lr.built) continue;
        std::vector<const CtestTest*> mine;
        std::set<std::string> exes;
        for (const auto& t : all)
            if (std::find(t.labels.begin(), t.labels.end(), lr.lab->id) != t.labels.end()) {
                mine.push_back(&t);
                exes.insert(t.command[0]);
            }
        for (auto& er : lr.exercises) {
            const std::string tags = "[" + lr.lab->id + "][" + er.exercise->key + "]";
            std::set<std::string> wanted;
            for (const auto& exe : exes) {
                if (catch_version(exe) == 0) continue;  // not a Catch2 program (a doc test, a script)
                for (const auto& name : list_tests(exe, tags)) wanted.insert(exe + '\n' + name);
            }
            std::set<std::string> rerun_exes;
            for (const CtestTest* t : mine) {
                if (t->command.size() < 2) continue;
                if (!wanted.count(t->command[0] + '\n' + unescape(t->command[1]))) continue;
                rerun_exes.insert(t->command[0]);
                TestRun run;
                run.name = unescape(t->command[1]);
                run.ctest_name = t->name;
                er.tests.push_back(run);
                jobs.push_back(Job{&er, er.tests.size() - 1, *t});
            }
            er.rerun = rerun_command(rerun_exes, tags);
            if (er.tests.empty()) {
                er.status = Status::failed;
                er.note = "no test is tagged " + tags + ": is the lab's test program built and are its tests tagged?";
            }
        }
    }

    // Run them, `jobs` at a time.
    const fs::path logs = fs::temp_directory_path() / ("netlabs-grade-" + std::to_string(::getpid()));
    fs::create_directories(logs);
    std::atomic<std::size_t> next{0};
    std::mutex print;
    auto worker = [&] {
        for (;;) {
            const std::size_t i = next++;
            if (i >= jobs.size()) return;
            Job& job = jobs[i];
            double limit = options.timeout.value_or(points.timeout_seconds);
            if (!options.timeout && job.test.timeout > 0) limit = std::min(limit, job.test.timeout);
            const fs::path log = logs / ("stubs-" + std::to_string(i) + ".log");
            auto env = job.test.environment;
            env.emplace_back("NETLABS_NOT_IMPLEMENTED_LOG", log.string());
            const Spawned run = run_captured(job.test.command, job.test.working_directory,
                                            std::chrono::milliseconds(static_cast<long long>(limit * 1000)), env);
            TestRun& t = job.exercise->tests[job.index];
            t.status = classify(run, job.test.skip_return_code);
            t.seconds = run.seconds;
            t.output = run.output;
            if (t.status == Status::timed_out)
                t.output += "\n(stopped after " + number_text(limit) + " s)";
            std::set<std::string> seen;
            for (const auto& line : non_empty_lines(read_text(log)))
                if (seen.insert(line).second) t.stubs.push_back(line);
            std::error_code ec;
            fs::remove(log, ec);
            std::lock_guard lock(print);
            say(to_string(t.status) + ": " + job.exercise->exercise->id + ": " + t.name + " (" +
                number_text(static_cast<double>(static_cast<long long>(t.seconds * 10)) / 10) + " s)");
        }
    };
    std::vector<std::thread> threads;
    for (int k = 0; k < std::max(1, options.jobs); ++k) threads.emplace_back(worker);
    for (auto& th : threads) th.join();
    std::error_code ec;
    fs::remove_all(logs, ec);

    // Score.
    for (auto& lr : result.labs) {
        for (auto& er : lr.exercises) {
            if (!lr.built) {
                er.status = Status::did_not_build;
                er.earned = 0;
                continue;
            }
            if (er.tests.empty()) continue;
            Status worst = Status::passed;
            for (const auto& t : er.tests)
                if (severity(t.status) > severity(worst)) worst = t.status;
            er.status = worst;
            // Nothing ran (e.g. the virtual network is not available here):
            // nothing is proved, so nothing is earned.
            if (std::all_of(er.tests.begin(), er.tests.end(), [](const TestRun& t) { return t.status == Status::skipped; })) {
                er.status = Status::skipped;
                er.note = "every test of " + er.exercise->id + " was skipped on this machine, so it earns nothing here: "
                          "grade where the tests can run";
                er.earned = 0;
                continue;
            }
            const double share = static_cast<double>(er.passed()) / static_cast<double>(er.tests.size());
            if (worst == Status::passed) er.earned = er.exercise->points;
            else if (er.exercise->proportional) er.earned = std::floor(er.exercise->points * share * 100) / 100;
            else er.earned = 0;
        }
    }
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return result;
}

} // namespace netlabs::grade
