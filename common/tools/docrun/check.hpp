// `netlabs-docrun check`: runs docs and compares; prints only what failed
// (every step with --verbose) and one summary line per doc.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "host.hpp"
#include "runner.hpp"

namespace docrun {

// 0 when every doc passed, 1 otherwise. A doc that cannot be parsed fails
// with its "path:line: ..." message and the next doc runs.
int check_docs(const std::vector<std::string>& files, const Options& options, bool verbose,
               const HostLookup& hosts, std::ostream& out);

} // namespace docrun
