#include "netlabs/netlab/namespaces.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>

#include <fcntl.h>
#include <sched.h>
#include <unistd.h>

namespace netlabs::netlab {
namespace {

std::string write_file(const char* path, const std::string& text)
{
    const int fd = ::open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0) return std::string(path) + ": " + std::strerror(errno);
    const ssize_t n = ::write(fd, text.data(), text.size());
    const int err = errno;
    ::close(fd);
    if (n != static_cast<ssize_t>(text.size())) return std::string("write ") + path + ": " + std::strerror(err);
    return {};
}

} // namespace

std::string enter_new_user_namespace(uid_t uid, gid_t gid)
{
    if (::unshare(CLONE_NEWUSER) != 0) {
        const int err = errno;
        std::string why = std::string("unshare(CLONE_NEWUSER): ") + std::strerror(err);
        if (err == EINVAL) why += " (the process has more than one thread)";
        return why;
    }
    if (auto e = write_file("/proc/self/setgroups", "deny"); !e.empty()) return e;
    if (auto e = write_file("/proc/self/uid_map", "0 " + std::to_string(uid) + " 1"); !e.empty()) return e;
    if (auto e = write_file("/proc/self/gid_map", "0 " + std::to_string(gid) + " 1"); !e.empty()) return e;
    return {};
}

std::string read_sysctl(const std::string& key)
{
    std::string path = "/proc/sys/" + key;
    for (std::size_t i = 10; i < path.size(); ++i)
        if (path[i] == '.') path[i] = '/';
    std::ifstream in(path);
    std::string value;
    if (in) std::getline(in, value);
    return value;
}

std::string explain_refusal(const std::string& failure, bool rootless)
{
    if (rootless) {
        if (read_sysctl("kernel.apparmor_restrict_unprivileged_userns") == "1")
            return "unprivileged user namespaces are restricted (kernel.apparmor_restrict_unprivileged_userns=1): "
                   "run as root or with sudo, or set that sysctl to 0";
        if (read_sysctl("kernel.unprivileged_userns_clone") == "0")
            return "unprivileged user namespaces are disabled (kernel.unprivileged_userns_clone=0): "
                   "run as root or with sudo, or set that sysctl to 1";
        if (read_sysctl("user.max_user_namespaces") == "0")
            return "user namespaces are disabled (user.max_user_namespaces=0): "
                   "run as root or with sudo, or set that sysctl to 15000";
        return failure + ": run as root or with sudo";
    }
    return failure + ": in a container, run it with --privileged (or --cap-add SYS_ADMIN --cap-add NET_ADMIN)";
}

void exit_now(int code)
{
    std::cout.flush();
    std::cerr.flush();
    std::fflush(nullptr);
    ::_exit(code);
}

} // namespace netlabs::netlab
