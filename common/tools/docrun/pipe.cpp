#include "pipe.hpp"

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>

#include <fcntl.h>
#include <unistd.h>

namespace docrun {

Pipe Pipe::make()
{
    Pipe p;
    if (pipe(p.fds_) != 0) throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
    // The runner is single-threaded, so no other fork can slip in between.
    for (int fd : p.fds_) fcntl(fd, F_SETFD, FD_CLOEXEC);
    return p;
}

Pipe::~Pipe()
{
    close_read();
    close_write();
}

int Pipe::release_read() { return std::exchange(fds_[0], -1); }

void Pipe::close_read()
{
    if (fds_[0] >= 0) ::close(std::exchange(fds_[0], -1));
}

void Pipe::close_write()
{
    if (fds_[1] >= 0) ::close(std::exchange(fds_[1], -1));
}

} // namespace docrun
