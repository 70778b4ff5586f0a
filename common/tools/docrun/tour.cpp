#include "tour.hpp"

#include <set>
#include <utility>
#include <vector>

#include <filesystem>

#include "error.hpp"
#include "markdown.hpp"
#include "next_step.hpp"
#include "points.hpp"

namespace docrun {
namespace {

class TourReporter : public Reporter {
public:
    TourReporter(std::ostream& out, std::istream& in, const TourOptions& options)
        : out_(out), in_(in), style_(options.color), pause_(options.pause) {}

    void begin_doc(const Doc& doc, std::size_t position, std::size_t count) override
    {
        position_ = position;
        count_ = count;
        printed_.clear();
        out_ << "\n" << style_.bold(doc.title.empty() ? doc.path : doc.title) << "\n";
        if (!doc.follows.empty()) out_ << doc.follows << "\n";
        out_ << style_.dim(doc.path + ": lab " + std::to_string(position) + " of " + std::to_string(count) + ", " +
                           std::to_string(doc.steps.size()) + " steps")
             << std::endl;
    }

    void norun_block(const Doc& doc, const Block& block) override
    {
        headings(doc, block.headings);
        out_ << "\n" << style_.dim("(in the doc, not run by the tour:)") << "\n";
        for (const auto& line : block.lines) out_ << style_.dim("  " + line) << "\n";
        out_ << std::flush;
    }

    void begin_step(const Doc& doc, const Step& step, std::size_t number) override
    {
        announce(doc, step, number);
    }

    // Whole lines only, so a background line never lands in the middle of one.
    void output(std::string_view chunk) override
    {
        pending_ += chunk;
        const auto end = pending_.rfind('\n');
        if (end == std::string::npos) return;
        write(std::string_view(pending_).substr(0, end + 1));
        pending_.erase(0, end + 1);
    }

    void ready_output(const Step&, const std::string& output) override { write(output); }

    void background_line(std::string_view program, std::string_view line) override
    {
        end_line();  // a line the foreground command has not finished stays in pending_
        out_ << style_.magenta("  [" + std::string(program) + "] ") << line << std::endl;
    }

    void skipped(const Doc& doc, const Step& step, std::size_t number, const std::string& why) override
    {
        announce(doc, step, number);
        out_ << style_.dim("(skipped: " + why + ")") << std::endl;
        if (skips_.empty() || skips_.back().first != doc.path) skips_.emplace_back(doc.path, why);
    }

    // Each doc that had steps skipped, with the first reason: the summary
    // says in one line per doc what the learner did not see, and why.
    const std::vector<std::pair<std::string, std::string>>& skips() const { return skips_; }

    void passed(const Doc&, const Step&, std::size_t) override
    {
        flush_pending();
        end_line();
    }

    void failed(const Doc& doc, const Step& step, std::size_t number, const std::string& report) override
    {
        flush_pending();
        end_line();
        out_ << style_.red("This step's output does not match the doc:") << "\n" << report;
        failure_ = doc.path + ":" + std::to_string(step.line) + " (" + progress(doc, number) + ")";
    }

    // An exercise is not done: one line that says which and what to do, not
    // a failing step's report (the program's own stub line has been shown).
    void stub_reached(const Doc& doc, const Step&, std::size_t, const std::vector<std::string>& stubs,
                      const std::string&) override
    {
        flush_pending();
        end_line();
        out_ << "\n" << style_.bold(stub_stop_line(doc.path, stubs)) << std::endl;
    }

    void end_doc(const Doc& doc, const Tally& tally) override
    {
        end_line();
        if (!tally.stubs.empty()) return;  // the stop line said it all
        const std::string line = summary(doc, tally);
        out_ << "\n" << (tally.failed ? style_.red(line) : style_.green(line)) << std::endl;
    }

    const std::string& failure() const { return failure_; }

private:
    // Headings on the way to the step (not yet shown), progress, then "$ command".
    void announce(const Doc& doc, const Step& step, std::size_t number)
    {
        wait_for_enter();
        headings(doc, step.headings);
        const std::string& host = doc.blocks[step.block].host;
        out_ << "\n" << style_.dim(progress(doc, number)) << "\n";
        std::size_t start = 0;
        bool first = true;
        while (start <= step.shown.size()) {
            auto end = step.shown.find('\n', start);
            if (end == std::string::npos) end = step.shown.size();
            const std::string line = step.shown.substr(start, end - start);
            out_ << style_.cyan((first ? host + "$ " : "") + line) << "\n";
            first = false;
            start = end + 1;
        }
        out_ << std::flush;
        at_line_start_ = true;
    }

    void headings(const Doc& doc, const std::vector<std::size_t>& path)
    {
        for (std::size_t index : path) {
            const Heading& h = doc.headings[index];
            if (h.level == 1 || !printed_.insert(index).second) continue;
            out_ << "\n" << style_.bold(std::string(static_cast<std::size_t>(h.level), '#') + " " + h.text) << "\n";
            if (!h.lead.empty()) out_ << h.lead << "\n";
        }
    }

    std::string progress(const Doc& doc, std::size_t number) const
    {
        return "lab " + std::to_string(position_) + "/" + std::to_string(count_) + ", step " +
               std::to_string(number) + "/" + std::to_string(doc.steps.size());
    }

    void wait_for_enter()
    {
        if (!pause_) return;
        if (!first_step_) {
            out_ << style_.dim("[Enter: next step]") << std::flush;
            std::string ignored;
            if (!std::getline(in_, ignored)) {
                pause_ = false;
                out_ << "\n";
            }
        }
        first_step_ = false;
    }

    void write(std::string_view text)
    {
        if (text.empty()) return;
        out_ << text << std::flush;
        at_line_start_ = text.back() == '\n';
    }

    void flush_pending()
    {
        write(pending_);
        pending_.clear();
    }

    void end_line()
    {
        if (!at_line_start_) out_ << "\n";
        at_line_start_ = true;
    }

    std::ostream& out_;
    std::istream& in_;
    Style style_;
    bool pause_;
    bool first_step_ = true;
    bool at_line_start_ = true;
    std::size_t position_ = 1, count_ = 1;
    std::set<std::size_t> printed_;
    std::string failure_;
    std::string pending_;  // the foreground command's unfinished last line
    std::vector<std::pair<std::string, std::string>> skips_;
};

} // namespace

std::string stub_stop_line(const std::string& doc_path, const std::vector<std::string>& stubs)
{
    namespace fs = std::filesystem;
    namespace grade = netlabs::grade;
    const std::string first = stubs.empty() ? std::string("a stub") : stubs.front();
    const std::string fallback = "tour stopped: a program reached an exercise that is not done yet: " + first;
    std::error_code ec;
    const fs::path doc = fs::absolute(doc_path, ec);
    const std::string lang = doc.parent_path().filename().string();
    const fs::path root = doc.parent_path().parent_path().parent_path();
    const auto id = grade::stub_exercise(first);
    if (ec || !id || !fs::exists(root / "tests" / "points.json", ec)) return fallback;
    try {
        const grade::Points points = grade::load_points(root / "tests" / "points.json");
        const grade::Exercise* exercise = points.find_exercise(*id);
        if (exercise == nullptr) return fallback;
        const grade::NextStep next = grade::next_step(root, *exercise, lang);
        std::string files;
        for (const auto& f : next.files) files += (files.empty() ? "" : (lang == "ko" ? ", " : " and ")) + f;
        if (files.empty()) files = exercise->lab + "-*/";
        if (lang == "ko")
            return "투어를 여기서 멈춥니다. 이 단계에는 " + next.exercise + "(" + next.title +
                   ") 문제가 필요한데 아직 끝나지 않았습니다. " + files + " 파일을 열고, " + next.section + " 절을 읽은 다음, '" + next.command +
                   "'로 확인하세요. 통과하면 './netlabs tour'가 이 단계를 지나 이어 갑니다.";
        return "tour stopped: this step needs " + next.exercise + " (" + next.title +
               "), an exercise not done yet: open " + files + ", read " + next.section + ", check it with '" +
               next.command + "'; once it passes, './netlabs tour' runs on past this step.";
    } catch (const std::exception&) {
        return fallback;
    }
}

int tour_docs(const std::vector<std::string>& files, const Options& options, const TourOptions& tour,
              const HostLookup& hosts, std::ostream& out, std::istream& in)
{
    TourReporter reporter(out, in, tour);
    const Style style(tour.color);
    Tally total;
    for (std::size_t i = 0; i < files.size(); ++i) {
        Doc doc;
        try {
            doc = load_doc(files[i]);
        } catch (const DocError& e) {
            out << style.red(e.what()) << "\n" << "tour stopped: fix this doc first" << std::endl;
            return 1;
        }
        const Tally tally = run_doc(doc, options, reporter, hosts, i + 1, files.size());
        total.passed += tally.passed;
        total.skipped += tally.skipped;
        if (!tally.stubs.empty()) return 1;  // stopped at an exercise that is not done: reporter said so
        if (tally.failed) {
            out << style.red("tour stopped at " + reporter.failure() + ": its output does not match the doc")
                << std::endl;
            return 1;
        }
    }
    out << "\n" << style.bold("tour done: " + std::to_string(files.size()) + " lab(s), " +
                              std::to_string(total.passed) + " steps ran and matched their docs" +
                              (total.skipped ? ", " + std::to_string(total.skipped) + " skipped" : ""))
        << std::endl;
    for (const auto& [path, why] : reporter.skips())
        out << style.dim("skipped in " + path + ": " + why) << std::endl;
    return 0;
}

} // namespace docrun
