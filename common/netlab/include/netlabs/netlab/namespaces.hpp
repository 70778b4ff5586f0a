// Namespaces: the few system calls the virtual network is made of, and the
// one-line explanations a learner gets when the kernel says no.
#pragma once

#include <string>

#include <sys/types.h>

namespace netlabs::netlab {

// unshare(CLONE_NEWUSER), then map uid/gid 0 inside to `uid`/`gid` outside
// (setgroups denied first, as the kernel requires). Returns "" or what failed
// ("unshare(CLONE_NEWUSER): Operation not permitted"). The process must be
// single-threaded.
std::string enter_new_user_namespace(uid_t uid, gid_t gid);

// Why user namespaces are refused here and the fix, as a sentence that
// follows "netlab: unavailable: ", given what failed (`failure`):
// "unprivileged user namespaces are restricted
// (kernel.apparmor_restrict_unprivileged_userns=1): run as root or with sudo,
// or set that sysctl to 0".
std::string explain_refusal(const std::string& failure, bool rootless);

// Reads a sysctl ("kernel.apparmor_restrict_unprivileged_userns"); "" if absent.
std::string read_sysctl(const std::string& key);

// Ends the process without exit handlers, after flushing stdio. For processes
// whose children now land in a topology's PID namespace: there, an exit
// handler that forks (LeakSanitizer's) would fork into a namespace that may
// be gone.
[[noreturn]] void exit_now(int code);

} // namespace netlabs::netlab
