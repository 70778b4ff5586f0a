// Where a doc's commands run.
//
// LocalHost runs them on this machine (the loopback blocks); NetlabHosts
// (netlab_hosts.hpp) runs them on a host of the virtual network through
// `netlabs-net exec`. Everything else (pipes, timeouts, matching, stopping
// by PID) is the same for both.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "netlabs/process.hpp"

namespace docrun {

// What to start. `program` is a path (see netlabs::process::find_program); `env` holds
// "NAME=value" entries; the child starts in `cwd`.
struct Launch {
    std::string program;
    std::vector<std::string> argv;
    std::vector<std::string> env;
    std::string cwd;
};

// netlabs::process::spawn with the set-up above; the child gets SIGTERM if
// the runner dies.
netlabs::process::Child spawn_process(const Launch& launch);

class Host {
public:
    virtual ~Host() = default;
    virtual std::string name() const = 0;  // "" for this machine
    // Starts `launch` with standard input from /dev/null and both standard
    // output and standard error on one pipe (in write order): the child's
    // output_fd(). Throws std::runtime_error if it could not start
    // ("cannot run 'lab01-serve': Permission denied").
    virtual netlabs::process::Child spawn(const Launch& launch) = 0;
};

class LocalHost : public Host {
public:
    std::string name() const override { return {}; }
    netlabs::process::Child spawn(const Launch& launch) override { return spawn_process(launch); }
};

// Maps a block's host=NAME, in the doc at `doc_path`, to a Host; nullptr
// (with `why_not` set) when the host is not available, e.g. "needs the
// virtual network (lab topology)". A Host may throw std::runtime_error when
// bringing the host up fails: that fails the step.
using HostLookup =
    std::function<Host*(const std::string& doc_path, const std::string& name, std::string& why_not)>;

} // namespace docrun
