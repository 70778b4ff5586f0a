// accept() failed: go on, or give up? Out of file descriptors (ulimit -n)
// or memory is temporary: say so once, wait a little longer each time (20 ms
// doubling up to 640 ms), and try again, as Go's net/http does; the clients
// waiting in the queue stay there. A client that left while it waited in the
// queue (Linux's accept(2) reports its network error, ECONNABORTED or
// EPROTO, say, as accept's own) is no failure of ours: the next one is
// accepted at once, and nothing is logged. Anything else is a real failure.
//
//   netlabs::AcceptRetry retry("lab01-server: ");
//   ... accept(ec) ...
//   if (ec) { if (!retry.temporary(ec)) throw ...; sleep(retry.failed(ec, std::cerr)); continue; }
//   retry.succeeded(std::cerr);
#pragma once

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <ostream>
#include <string>
#include <system_error>

namespace netlabs {

class AcceptRetry {
public:
    // `prefix` starts each log line: "lab01-server: ", or "" for a server
    // whose log lines carry no program name.
    explicit AcceptRetry(std::string prefix = "") : prefix_(std::move(prefix)) {}

    // errno values, not std::errc: with no descriptor left, even a
    // sanitizer's check can fail, and the comparison must need nothing.
    static bool out_of_resources(const std::error_code& ec)
    {
        const int e = ec.value();
        return e == EMFILE || e == ENFILE || e == ENOBUFS || e == ENOMEM;
    }

    // The errors accept(2) says to treat "like EAGAIN by retrying" on Linux:
    // the queued client's own connection failed.
    static bool client_gone(const std::error_code& ec)
    {
        const int e = ec.value();
        if (e == ECONNABORTED || e == EPROTO || e == ENOPROTOOPT || e == ENETDOWN || e == ENETUNREACH ||
            e == EHOSTUNREACH || e == EOPNOTSUPP)
            return true;
#ifdef EHOSTDOWN
        if (e == EHOSTDOWN) return true;
#endif
#ifdef ENONET
        if (e == ENONET) return true;
#endif
        return false;
    }

    static bool temporary(const std::error_code& ec) { return out_of_resources(ec) || client_gone(ec); }

    // A temporary failure: logs the first of a run of them (one whole line,
    // in one write: other threads may log too), returns how long to wait.
    std::chrono::milliseconds failed(const std::error_code& ec, std::ostream& log)
    {
        if (client_gone(ec)) return std::chrono::milliseconds(0);
        if (failures_++ == 0)
            log << (prefix_ + "accept: " + std::strerror(ec.value()) +
                    " (out of file descriptors? see ulimit -n); retrying\n")
                << std::flush;
        return std::chrono::milliseconds(std::min(1000, 10 << std::min(failures_, 6)));
    }

    // accept() worked: after failures, says so once.
    void succeeded(std::ostream& log)
    {
        if (failures_ > 0)
            log << (prefix_ + "accept works again after " + std::to_string(failures_) + " failures\n") << std::flush;
        failures_ = 0;
    }

private:
    std::string prefix_;
    int failures_ = 0;
};

} // namespace netlabs
