// `netlabs-net exec` and `netlabs-net shell`: run a program as one host of a
// running topology.
//
// This process joins the topology's namespaces (user when rootless, mount,
// PID, then the host's network namespace), starts the program there
// (netlabs::process) with PATH starting at the course's bin directory and
// NETLAB_HOST set, forwards
// SIGINT/SIGTERM/SIGHUP/SIGQUIT to it and exits with its status (128+signal
// when killed). The program's output is its own: this process's stdout and
// stderr, inherited.
#pragma once

#include <string>
#include <vector>

namespace netlabs::netlab {

struct EnterOptions {
    std::string name;               // the instance
    std::string host;
    std::vector<std::string> argv;  // the program and its arguments; empty: an interactive shell
};

// Does not return on success (the process ends with the program's status);
// throws UsageError for an unknown host, std::runtime_error otherwise.
[[noreturn]] void enter(const EnterOptions& options);

// The directory whose programs come first on PATH: $NETLABS_BIN, or the
// directory holding this executable (build/bin).
std::string bin_dir();

} // namespace netlabs::netlab
