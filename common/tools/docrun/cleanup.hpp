// Children the runner must not leave behind if it is itself interrupted
// (Ctrl-C in the tour, SIGTERM from ctest's timeout): the signal handler sends
// SIGTERM to each tracked PID, then lets the signal take its course.
#pragma once

#include <sys/types.h>

namespace docrun {

void install_cleanup_handlers();  // SIGINT, SIGTERM, SIGHUP
void track_child(pid_t pid);
void forget_child(pid_t pid);

} // namespace docrun
