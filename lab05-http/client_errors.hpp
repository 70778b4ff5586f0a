// Why a request failed, in the words a learner needs (lab05-ex3).
//
// cpp-httplib says only *that* a request failed (httplib::Error::Connection,
// ::Read ...). Refused, no route, a bad host name and a firewall that drops
// packets need different fixes, so lab05-client asks again: on a failed
// connect it resolves the name and connects once more with asio, and keeps
// the std::error_code that gives (the "cause"). classify turns both into one
// Failure; describe_failure writes the line the user sees.
#pragma once

#include <chrono>
#include <string>
#include <system_error>

#include <httplib.h>

#include "url.hpp"

namespace lab05 {

enum class Failure {
    dns,          // the host name did not resolve
    refused,      // something answered: nothing listens there (RST)
    timeout,      // no answer in time (a firewall dropping, a host gone)
    unreachable,  // no route to that network or host
    closed,       // connected, then the server hung up without a response
    other,
};

// "dns", "refused", ... for tests and messages.
const char* to_string(Failure failure);

// True for an error from the resolver (getaddrinfo): host not found, no data,
// try again ... asio reports these in its netdb and addrinfo categories.
bool is_resolver_error(std::error_code code);

// The kind of failure:
//   ConnectionTimeout                          -> timeout
//   Read: cause timed_out                      -> timeout (no response within the timeout)
//   Read or Write, any other cause             -> closed
//   Connection: cause from the resolver        -> dns
//   Connection: cause connection_refused       -> refused
//   Connection: cause timed_out                -> timeout
//   Connection: network or host unreachable    -> unreachable
//   anything else                              -> other
// Compare causes as conditions (cause == std::errc::connection_refused) after
// moving asio's system errors to std::system_category (portable()).
Failure classify(httplib::Error error, std::error_code cause);

// asio reports socket errors in its own category; the same value in
// std::system_category compares equal to std::errc conditions.
std::error_code portable(std::error_code code);

// The one line lab05-client prints for a failure, e.g.
//   connect 127.0.0.1:5000: connection refused (is the server running, and on that port?)
//   resolve nosuch.invalid: host not found (is the host name right? ...)
//   GET http://127.0.0.1:5000/: no response within 2 s (...)
std::string describe_failure(Failure failure, const std::string& method, const Url& url, std::error_code cause,
                             std::chrono::milliseconds timeout);

} // namespace lab05
