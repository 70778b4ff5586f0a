// Reads a doc: headings, console blocks and the commands in them.
//
//   ```console                 runs on this machine (loopback)
//   ```console host=laptop     runs on a host of the lab's virtual network
//   ```console norun           shown to the reader, never run
//
// Other fences (```cpp, ```text ...) are prose. Every command is split into
// words here, so a doc with a bad command fails before anything runs.
#pragma once

#include <string>
#include <string_view>

#include "doc.hpp"

namespace docrun {

// Parses `text`; `path` is used in messages. Throws DocError ("path:line: ...").
Doc parse_doc(const std::string& path, std::string_view text);

// Reads and parses the file at `path`. Throws DocError when it cannot be read.
Doc load_doc(const std::string& path);

// "First sentence. Second." -> "First sentence." (markdown emphasis and link
// targets removed).
std::string first_sentence(std::string_view paragraph);

} // namespace docrun
