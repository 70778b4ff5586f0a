#include "runner.hpp"

#include <stdexcept>

#include "cleanup.hpp"
#include "match.hpp"
#include "report_text.hpp"

namespace docrun {
namespace {

// The expected lines' text, for match_lines.
std::vector<std::string> texts(const std::vector<ExpectedLine>& lines)
{
    std::vector<std::string> out;
    for (const auto& line : lines) out.push_back(line.text);
    return out;
}

// Compares one step's result; "" when it passed, else the failure report.
std::string judge(const Doc& doc, const Step& step, const std::string& output, std::optional<int> exit_code,
                  std::optional<int> signal)
{
    if (!step.expected.empty()) {
        const auto actual = split_lines(output);
        if (const auto mismatch = match_lines(texts(step.expected), actual))
            return output_mismatch(doc, step, *mismatch, actual, output, exit_code, signal);
    }
    if (exit_code && *exit_code != step.exit_code)
        return exit_mismatch(doc, step, output, *exit_code, signal);
    return {};
}

} // namespace

void Reporter::stub_reached(const Doc& doc, const Step& step, std::size_t number,
                            const std::vector<std::string>& stubs, const std::string& failure)
{
    std::string report = located(doc, step, "a program reached a stub of the student edition: " + stubs.front());
    if (!failure.empty()) report += "\n" + failure;
    failed(doc, step, number, report);
}

Host* no_virtual_network(const std::string&, const std::string&, std::string& why_not)
{
    why_not = "needs the virtual network (lab topology)";
    return nullptr;
}

Tally run_doc(const Doc& doc, const Options& options, Reporter& reporter, const HostLookup& hosts,
              std::size_t position, std::size_t count)
{
    Tally tally;
    reporter.begin_doc(doc, position, count);
    Session session(options.bin_dir, doc.path, &reporter);
    LocalHost local;
    bool stopped = false;
    for (const Block& block : doc.blocks) {
        if (block.norun) {
            if (!stopped) reporter.norun_block(doc, block);
            continue;
        }
        std::string why_not;
        Host* host = &local;
        std::string host_failure;
        if (!block.host.empty() && !stopped) {
            try {
                host = hosts(doc.path, block.host, why_not);
            } catch (const std::runtime_error& e) {
                host_failure = e.what();
            }
        }
        for (std::size_t index : block.steps) {
            const Step& step = doc.steps[index];
            const std::size_t number = index + 1;
            if (stopped) {
                ++tally.not_run;
                continue;
            }
            if (!host_failure.empty()) {
                reporter.begin_step(doc, step, number);
                ++tally.failed;
                reporter.failed(doc, step, number, located(doc, step, host_failure));
                stopped = true;
                continue;
            }
            if (!host) {
                reporter.skipped(doc, step, number, why_not);
                ++tally.skipped;
                continue;
            }
            throw_if_interrupted();
            reporter.begin_step(doc, step, number);
            std::string failure;
            try {
                if (step.command.background) {
                    const Started started = session.start(*host, step.command, options.ready_timeout);
                    if (!started.ready) failure = not_ready(doc, step, started, options.ready_timeout);
                    else {
                        reporter.ready_output(step, started.output);
                        failure = judge(doc, step, started.output, std::nullopt, std::nullopt);
                    }
                } else {
                    const Finished finished = session.run(*host, step.command, options.timeout);
                    if (finished.timed_out) failure = timed_out(doc, step, finished.output, options.timeout);
                    else failure = judge(doc, step, finished.output, finished.exit_code, finished.signal);
                }
                session.poll_background();
            } catch (const std::runtime_error& e) {
                failure = located(doc, step, e.what());
            }
            if (auto stubs = session.stubs_reached(); !stubs.empty()) {
                ++tally.failed;
                tally.stubs = std::move(stubs);
                reporter.stub_reached(doc, step, number, tally.stubs, failure);
                stopped = true;
            } else if (failure.empty()) {
                ++tally.passed;
                reporter.passed(doc, step, number);
            } else {
                ++tally.failed;
                reporter.failed(doc, step, number, failure);
                stopped = true;  // later steps usually depend on this one
            }
        }
    }
    session.stop_background();
    reporter.end_doc(doc, tally);
    return tally;
}

std::string summary(const Doc& doc, const Tally& tally)
{
    std::string text = doc.path + ": " + std::to_string(tally.passed) + " passed, " + std::to_string(tally.failed) +
                       " failed, " + std::to_string(tally.skipped) + " skipped";
    if (tally.not_run) text += ", " + std::to_string(tally.not_run) + " not run";
    return text;
}

} // namespace docrun
