// The hosts of a lab's virtual network, for blocks marked host=NAME.
//
// The first such block of a doc brings up the lab's topology in the
// foreground (`netlabs-net up labNN --name docrun-<pid>-<n>`, which dies with
// the runner) and waits for its "netlab NAME is up" line. Each command then
// runs as `netlabs-net exec NAME HOST -- PROGRAM ARGS...`: an ordinary child
// process, stopped by PID like any other. The topology goes down when a doc
// of another lab needs one, or when the run ends.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>

#include "host.hpp"

namespace docrun {

class NetlabHosts {
public:
    explicit NetlabHosts(std::string bin_dir);
    ~NetlabHosts();  // takes the topology down
    NetlabHosts(const NetlabHosts&) = delete;
    NetlabHosts& operator=(const NetlabHosts&) = delete;

    // The host `name` of the lab that `doc_path` (docs/<lang>/labNN.md)
    // belongs to; nullptr with `why_not` set when it cannot be had.
    Host* lookup(const std::string& doc_path, const std::string& name, std::string& why_not);

private:
    void down();

    std::string bin_dir_;
    std::string net_;                 // path of netlabs-net
    std::optional<std::string> unavailable_;  // why the virtual network cannot be used here
    bool probed_ = false;
    std::string lab_;                 // the lab whose topology is up, "" when none
    std::string instance_;            // its --name
    std::optional<netlabs::process::Child> supervisor_;  // `netlabs-net up`; its output is drained until EOF
    std::map<std::string, std::unique_ptr<Host>> hosts_;
    int count_ = 0;
};

} // namespace docrun
