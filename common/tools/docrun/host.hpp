// Where a doc's commands run.
//
// LocalHost runs them on this machine (the loopback blocks). The virtual
// network (issue 3) adds one Host per lab host: its spawn() enters the host's
// network namespace in the child, before exec, and everything else (pipes,
// timeouts, matching, stopping by PID) stays as it is.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <sys/types.h>

namespace docrun {

// What to start. `program` is a path (see find_program); `env` holds
// "NAME=value" entries; the child starts in `cwd`.
struct Launch {
    std::string program;
    std::vector<std::string> argv;
    std::vector<std::string> env;
    std::string cwd;
};

class Host {
public:
    virtual ~Host() = default;
    virtual std::string name() const = 0;  // "" for this machine
    // Starts `launch` with standard input from /dev/null and both standard
    // output and standard error on `output` (one pipe keeps them in write
    // order). Returns the child's PID; throws std::runtime_error if it could
    // not start ("cannot run '...': Permission denied").
    virtual pid_t spawn(const Launch& launch, int output) = 0;
};

class LocalHost : public Host {
public:
    std::string name() const override { return {}; }
    pid_t spawn(const Launch& launch, int output) override;
};

// fork + exec with the set-up above. `enter`, if given, runs in the child just
// before exec (only async-signal-safe calls, e.g. setns); it returns 0 or an errno.
pid_t spawn_process(const Launch& launch, int output, const std::function<int()>& enter = {});

// Finds `program` in the directories of `path` ("dir:dir"). A name holding a
// '/' is returned as it is.
std::optional<std::string> find_program(const std::string& program, const std::string& path);

// Maps a block's host=NAME, in the doc at `doc_path`, to a Host; nullptr
// (with `why_not` set) when the host is not available, e.g. "needs the
// virtual network (lab topology)". A Host may throw std::runtime_error when
// bringing the host up fails: that fails the step.
using HostLookup =
    std::function<Host*(const std::string& doc_path, const std::string& name, std::string& why_not)>;

} // namespace docrun
