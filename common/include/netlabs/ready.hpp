// The ready-line convention: a server says it is ready to accept clients by
// printing exactly one line
//
//     listening on 127.0.0.1:8000
//
// on standard output (flushed at once), and, when started with
// `--ready-file PATH`, by writing the same endpoint to PATH (written whole to a
// temporary file, then renamed into place, so a reader never sees half).
// Tests, the doc runner and the tour wait for this line instead of sleeping.
#pragma once

#include <string>
#include <string_view>

#include "netlabs/asio_endpoint.hpp"

namespace netlabs {

// "listening on " -- what a reader looks for.
inline constexpr std::string_view ready_prefix = "listening on ";

// Prints "listening on <endpoint><suffix>" and writes the ready file (if any).
// `suffix` adds a note for a learner, e.g. " (UDP)".
void announce_listening(const std::string& endpoint, const std::string& ready_file,
                        std::string_view suffix = {});

template <typename AsioEndpoint>
    requires requires(const AsioEndpoint& e) { e.address(); }
void announce_listening(const AsioEndpoint& local, const std::string& ready_file,
                        std::string_view suffix = {})
{
    announce_listening(to_string(local), ready_file, suffix);
}

} // namespace netlabs
