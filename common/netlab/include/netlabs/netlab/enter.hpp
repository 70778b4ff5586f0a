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

// Runs argv (looked up on PATH; `fallback` if argv[0] is not found) with our
// standard streams and `env` (empty: ours), passes SIGINT/SIGTERM/SIGHUP/SIGQUIT
// on, and ends this process with its status. `where` goes into the error for
// a program that cannot start: "cannot run 'x' on host laptop: ...".
[[noreturn]] void run_and_exit(const std::vector<std::string>& argv, const std::vector<std::string>& env,
                               const std::vector<std::string>& fallback, const std::string& where);

// `netlabs-net isolate -- CMD...`: runs CMD in a network namespace of its own
// that has nothing but loopback (up), and a user namespace first when not
// root. Programs there may use any port on 127.0.0.1 without meeting another
// test's or a learner's server. Throws std::runtime_error ("netlab:
// unavailable: ...") where namespaces cannot be made.
[[noreturn]] void isolate(const std::vector<std::string>& argv);

// The directory whose programs come first on PATH: $NETLABS_BIN, or the
// directory holding this executable (build/bin).
std::string bin_dir();

} // namespace netlabs::netlab
