// `netlabs-net up`: the supervisor, one process per running topology.
//
// It makes its own namespaces (user -- when not root --, network, mount and
// PID), forks an init (PID 1 of the new PID namespace) and one process per
// host (each in its own network namespace), builds the links with real `ip`
// commands, writes the state file, prints "netlab NAME is up" and waits for
// SIGINT/SIGTERM/SIGHUP. When it dies, for whatever reason, everything of the
// topology dies with it: the hosts and init by PR_SET_PDEATHSIG, every process
// started on a host with the PID namespace, the bridges and veths with the
// network namespaces. Nothing is named under /run/netns, nothing is left.
#pragma once

#include <string>

#include "netlabs/netlab/topology.hpp"

namespace netlabs::netlab {

struct UpOptions {
    Topology topology;
    std::string topology_file;  // as recorded in the state file
    std::string lab;            // "lab02", or the topology file's stem
    std::string name;           // the instance name (default: lab)
    bool verbose = false;       // print every command before running it
    bool detach = false;        // run the supervisor in the background
};

// Runs the supervisor (in the foreground, or forked off with `detach`).
// Returns the exit code; throws on failure with one line (topology torn down).
int up(const UpOptions& options);

// The table printed under "netlab NAME is up".
std::string describe_up(const UpOptions& options);

} // namespace netlabs::netlab
