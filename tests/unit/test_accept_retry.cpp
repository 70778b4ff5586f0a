// common/accept_retry.hpp: which accept() errors a server survives, and what
// it says about them.
#include <cerrno>
#include <sstream>
#include <system_error>

#include "catch.hpp"
#include "netlabs/accept_retry.hpp"

namespace {

std::error_code errno_code(int e)
{
    return {e, std::generic_category()};
}

} // namespace

TEST_CASE("out of descriptors: one line, a growing pause, and one line when accept works again",
          "[common][accept]")
{
    netlabs::AcceptRetry retry("srv: ");
    std::ostringstream log;
    CHECK(retry.temporary(errno_code(EMFILE)));
    CHECK(retry.failed(errno_code(EMFILE), log) == std::chrono::milliseconds(20));
    CHECK(retry.failed(errno_code(ENFILE), log) == std::chrono::milliseconds(40));
    for (int i = 0; i < 10; ++i) (void)retry.failed(errno_code(EMFILE), log);
    CHECK(retry.failed(errno_code(EMFILE), log) == std::chrono::milliseconds(640));  // no more than that
    CHECK(log.str() == "srv: accept: Too many open files (out of file descriptors? see ulimit -n); retrying\n");
    retry.succeeded(log);
    retry.succeeded(log);  // said once
    CHECK(log.str() == "srv: accept: Too many open files (out of file descriptors? see ulimit -n); retrying\n"
                       "srv: accept works again after 13 failures\n");
}

TEST_CASE("a client gone from the queue: the next one at once, nothing logged", "[common][accept]")
{
    netlabs::AcceptRetry retry;
    std::ostringstream log;
    for (int e : {ECONNABORTED, EPROTO, ENETUNREACH, EHOSTUNREACH}) {
        CHECK(retry.temporary(errno_code(e)));
        CHECK(retry.failed(errno_code(e), log) == std::chrono::milliseconds(0));
    }
    retry.succeeded(log);
    CHECK(log.str().empty());
}

TEST_CASE("any other accept error is not survived", "[common][accept]")
{
    for (int e : {EBADF, EINVAL, ENOTSOCK, EPERM}) CHECK_FALSE(netlabs::AcceptRetry::temporary(errno_code(e)));
}
