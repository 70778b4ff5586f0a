#include "spawn.hpp"

#include "netlabs/process.hpp"

namespace netlabs::grade {

Spawned run_captured(const std::vector<std::string>& argv, const std::filesystem::path& cwd,
                     std::chrono::milliseconds timeout,
                     const std::vector<std::pair<std::string, std::string>>& environment, std::size_t cap)
{
    process::Spec spec(argv);
    spec.cwd = cwd.string();
    spec.env = environment;
    spec.output = process::Output::merged;
    spec.own_group = true;
    Spawned result;
    try {
        const process::Result r = process::run(spec, timeout, cap);
        result.exit_code = r.exit.code;
        result.signal = r.exit.signal;
        result.timed_out = r.timed_out;
        result.output = r.out;
        result.seconds = r.seconds;
    } catch (const process::SpawnError& e) {
        result.started = false;
        result.output = e.what();
    }
    return result;
}

} // namespace netlabs::grade
