// accept() failed: go on, or give up? Out of file descriptors (ulimit -n)
// or memory is temporary: say so once, wait a little longer each time (10 ms
// doubling up to 640 ms), and try again, as Go's net/http does; the clients
// waiting in the queue stay there. Anything else is a real failure.
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
    static bool temporary(const std::error_code& ec)
    {
        const int e = ec.value();
        return e == EMFILE || e == ENFILE || e == ENOBUFS || e == ENOMEM;
    }

    // A temporary failure: logs it the first time, returns how long to wait.
    std::chrono::milliseconds failed(const std::error_code& ec, std::ostream& log)
    {
        if (failures_++ == 0)
            log << prefix_ << "accept: " << std::strerror(ec.value())
                << " (out of file descriptors? see ulimit -n); retrying" << std::endl;
        return std::chrono::milliseconds(std::min(1000, 10 << std::min(failures_, 6)));
    }

    // accept() worked: after failures, says so once.
    void succeeded(std::ostream& log)
    {
        if (failures_ > 0) log << prefix_ << "accept works again after " << failures_ << " failures" << std::endl;
        failures_ = 0;
    }

private:
    std::string prefix_;
    int failures_ = 0;
};

} // namespace netlabs
