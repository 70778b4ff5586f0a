// A pipe whose two ends close themselves (and are close-on-exec, so one
// child's pipe never leaks into the next child).
#pragma once

#include <utility>

namespace docrun {

class Pipe {
public:
    static Pipe make();  // throws std::runtime_error
    Pipe() = default;
    Pipe(Pipe&& other) noexcept { *this = std::move(other); }
    Pipe& operator=(Pipe&& other) noexcept
    {
        std::swap(fds_, other.fds_);
        return *this;
    }
    ~Pipe();

    int read_end() const { return fds_[0]; }
    int write_end() const { return fds_[1]; }
    int release_read();  // the caller now owns the read end
    void close_read();
    void close_write();

private:
    int fds_[2] = {-1, -1};
};

} // namespace docrun
