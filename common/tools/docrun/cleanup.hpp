// Children the runner must not leave behind if it is itself interrupted
// (Ctrl-C in the tour, SIGTERM from ctest's timeout).
//
// On SIGINT, SIGTERM, SIGHUP or SIGPIPE (a tour piped into `head`) the
// handler sends SIGTERM to every tracked child and records the signal; the
// runner's waits notice it and throw Interrupted, so the stack unwinds
// (background processes are stopped, the temporary directory removed) and
// main re-raises the signal. A second signal ends the runner at once.
#pragma once

#include <sys/types.h>

namespace docrun {

// Not a std::exception, so that no catch-all on the way swallows it.
struct Interrupted {
    int signal;
};

void install_cleanup_handlers();
void track_child(pid_t pid);
void forget_child(pid_t pid);

// Throws Interrupted if a signal came.
void throw_if_interrupted();

// Ends the process by `signal`, as if it had not been caught.
[[noreturn]] void die_by(int signal);

} // namespace docrun
