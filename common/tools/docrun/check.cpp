#include "check.hpp"

#include "error.hpp"
#include "markdown.hpp"

namespace docrun {
namespace {

class CheckReporter : public Reporter {
public:
    CheckReporter(std::ostream& out, bool verbose) : out_(out), verbose_(verbose) {}

    void begin_step(const Doc& doc, const Step& step, std::size_t) override
    {
        if (verbose_) out_ << doc.path << ":" << step.line << ": $ " << step.text << std::endl;
    }
    void skipped(const Doc& doc, const Step& step, std::size_t, const std::string& why) override
    {
        out_ << doc.path << ":" << step.line << ": skipped: " << why << std::endl;
    }
    void failed(const Doc&, const Step&, std::size_t, const std::string& report) override
    {
        out_ << report << std::flush;
    }

private:
    std::ostream& out_;
    bool verbose_;
};

} // namespace

int check_docs(const std::vector<std::string>& files, const Options& options, bool verbose,
               const HostLookup& hosts, std::ostream& out)
{
    std::size_t failed_docs = 0;
    for (std::size_t i = 0; i < files.size(); ++i) {
        Doc doc;
        try {
            doc = load_doc(files[i]);
        } catch (const DocError& e) {
            out << e.what() << "\n" << files[i] << ": not run (fix the doc first)" << std::endl;
            ++failed_docs;
            continue;
        }
        CheckReporter reporter(out, verbose);
        const Tally tally = run_doc(doc, options, reporter, hosts, i + 1, files.size());
        out << summary(doc, tally) << std::endl;
        if (tally.failed) ++failed_docs;
    }
    if (files.size() > 1)
        out << files.size() << " docs: " << files.size() - failed_docs << " passed, " << failed_docs << " failed"
            << std::endl;
    return failed_docs == 0 ? 0 : 1;
}

} // namespace docrun
