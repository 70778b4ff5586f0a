// The text of a failing step's report. First line "path:line: what", so an
// editor can jump there; then expected and got; then the whole output.
//
//   docs/en/lab01.md:57: lab01-client --port 8000
//     expected (line 58): Received: Hello from server!
//                    got: Received: Hello
//     full output (exit 0):
//       Received: Hello
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "doc.hpp"
#include "match.hpp"
#include "session.hpp"

namespace docrun {

std::string located(const Doc& doc, const Step& step, const std::string& message);
std::string output_mismatch(const Doc& doc, const Step& step, const Mismatch& mismatch,
                            const std::vector<std::string>& actual, const std::string& output,
                            std::optional<int> exit_code, std::optional<int> signal);
std::string exit_mismatch(const Doc& doc, const Step& step, const std::string& output, int exit_code,
                          std::optional<int> signal);
std::string timed_out(const Doc& doc, const Step& step, const std::string& output, milliseconds timeout);
std::string not_ready(const Doc& doc, const Step& step, const Started& started, milliseconds wait);

// 20000 ms -> "20 s", 2500 ms -> "2.5 s".
std::string seconds_text(milliseconds duration);

} // namespace docrun
