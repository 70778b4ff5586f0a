// What lab01-server answers. Seed 002's server always says "Hello from
// server!"; to show what one recv() got (the framing part of the doc, and
// the tests), --reply can say what arrived instead:
//
//   --reply 'got {bytes} bytes'   ->  "got 1024 bytes"
//   --reply 'you said {message}'  ->  "you said Hello, server!"
#pragma once

#include <string>
#include <string_view>

namespace netlabs::lab01 {

inline constexpr std::string_view seed_reply = "Hello from server!";

// `reply` with every "{bytes}" replaced by the size of `data` and every
// "{message}" by `data` itself.
std::string fill_reply(std::string reply, std::string_view data);

} // namespace netlabs::lab01
