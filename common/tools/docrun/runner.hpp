// Runs a doc's console blocks in order and compares each command's output
// with the lines the doc expects. check and tour differ only in their Reporter.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

#include "doc.hpp"
#include "host.hpp"
#include "session.hpp"

namespace docrun {

struct Options {
    std::string bin_dir;                                   // first on PATH
    milliseconds timeout = std::chrono::seconds(20);       // per command
    milliseconds ready_timeout = std::chrono::seconds(10); // per background command
};

struct Tally {
    std::size_t passed = 0, failed = 0, skipped = 0;
    std::size_t not_run = 0;  // steps after a failure
    std::vector<std::string> stubs;  // the stubs reached where the run stopped ("lab01-ex1 is not implemented yet: ...")
};

// What happens while a doc runs. Also a Listener: the session reports output
// to it as it arrives. `number` counts steps from 1 across the whole doc.
class Reporter : public Listener {
public:
    virtual void begin_doc(const Doc&, std::size_t /*position*/, std::size_t /*count*/) {}
    virtual void norun_block(const Doc&, const Block&) {}
    virtual void begin_step(const Doc&, const Step&, std::size_t /*number*/) {}
    // A background command's output up to its ready line (foreground output
    // comes through Listener::output as it is printed).
    virtual void ready_output(const Step&, const std::string& /*output*/) {}
    virtual void skipped(const Doc&, const Step&, std::size_t /*number*/, const std::string& /*why*/) {}
    virtual void passed(const Doc&, const Step&, std::size_t /*number*/) {}
    // `report`: "docs/en/lab01.md:57: ..." and the lines that explain it.
    virtual void failed(const Doc&, const Step&, std::size_t /*number*/, const std::string& /*report*/) {}
    // A program this step (or one still running in the background) reached
    // a stub of the student edition: an exercise is not done, so the doc
    // cannot go on. `stubs`: the NotImplemented lines; `failure`: the step's
    // own report ("" when its output matched anyway). By default a failure.
    virtual void stub_reached(const Doc& doc, const Step& step, std::size_t number,
                              const std::vector<std::string>& stubs, const std::string& failure);
    virtual void end_doc(const Doc&, const Tally&) {}
};

// Runs `doc` in a fresh session. Blocks naming a host go to `hosts`; a host it
// cannot provide makes their steps "skipped". Stops at the first failing step.
Tally run_doc(const Doc& doc, const Options& options, Reporter& reporter, const HostLookup& hosts,
              std::size_t position = 1, std::size_t count = 1);

// The default lookup: no host is available until the virtual network exists.
Host* no_virtual_network(const std::string& doc_path, const std::string& name, std::string& why_not);

// "docs/en/lab01.md: 12 passed, 0 failed, 0 skipped" (", 3 not run" when some were).
std::string summary(const Doc& doc, const Tally& tally);

} // namespace docrun
