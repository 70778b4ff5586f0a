// Is the virtual network available here? Found out by doing it: a forked
// child makes a user namespace (when not root) and a network namespace, and
// creates a veth pair in it with the real `ip`. (On Ubuntu 24.04 unshare
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
