#include "host.hpp"

#include <csignal>

namespace docrun {

netlabs::process::Child spawn_process(const Launch& launch)
{
    netlabs::process::Spec spec(launch.argv);
    spec.program = launch.program;
    spec.environment = launch.env;
    spec.cwd = launch.cwd;
    spec.output = netlabs::process::Output::merged;
    spec.parent_death_signal = SIGTERM;  // if the runner dies, its children die with it
    return netlabs::process::spawn(spec);
}

} // namespace docrun
