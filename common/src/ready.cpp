#include "netlabs/ready.hpp"

#include <cstdio>
#include <fstream>
#include <iostream>
#include <system_error>

#include "netlabs/errors.hpp"

namespace netlabs {

void announce_listening(const std::string& endpoint, const std::string& ready_file,
                        std::string_view suffix)
{
    std::cout << ready_prefix << endpoint << suffix << std::endl;
    if (ready_file.empty()) return;

    // Write whole, then rename: a reader polling for the file never sees half of it.
    const std::string partial = ready_file + ".partial";
    {
        std::ofstream out(partial, std::ios::trunc);
        out << endpoint << '\n';
        if (!out.flush())
            throw UsageError("invalid --ready-file '" + ready_file + "': cannot write it");
    }
    if (std::rename(partial.c_str(), ready_file.c_str()) != 0)
        throw UsageError("invalid --ready-file '" + ready_file +
                         "': " + std::generic_category().message(errno));
}

} // namespace netlabs
