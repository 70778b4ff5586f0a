// Is the virtual network available here? Found out by doing it: the real
// `ip` creates a veth pair in a user namespace (when not root) and a network
// namespace of its own, made by its pre-exec hook. (On Ubuntu 24.04 unshare
// succeeds and then nothing works, so only a real link proves anything.)
#pragma once

#include <string>

namespace netlabs::netlab {

struct ProbeResult {
    bool available = false;
    bool rootless = false;
    // "netlab: available (rootless)", or "netlab: unavailable: REASON: FIX".
    std::string line;
};

ProbeResult probe();

} // namespace netlabs::netlab
