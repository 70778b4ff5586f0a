// lab05-server's routes and limits on a cpp-httplib server, apart from main()
// so that the tests can run the same server in-process (bind port 0, wait
// until ready, stop, join: cpp-httplib's own example/server_and_client.cc).
//
//   GET  /          an HTML page with the messages and a form that POSTs one
//   GET  /hello     "hello from lab05-server"
//   POST /messages  {"name":..,"text":..} as JSON or a form: 201 and the message
//   GET  /messages  every message, as a JSON array
//   GET  /whoami    the client address this server sees: {"ip":..,"port":..}
//
// Errors are JSON too: {"error": "missing field 'text'", "status": 400}.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>

#include <httplib.h>

#include "message.hpp"

namespace lab05 {

struct ServerLimits {
    std::size_t max_body = 64 * 1024;  // bytes of one request's body: more is 413
    std::size_t max_headers = 64;      // header lines of one request: more is 431
    std::chrono::milliseconds read_timeout{5000};   // a client silent this long is dropped
    std::chrono::milliseconds write_timeout{5000};  // a client not reading this long is dropped
    std::size_t threads = 8;           // requests served at the same time
};

// The access log: one line per request, as it is answered.
//   127.0.0.1:41234 "POST /messages HTTP/1.1" 201 40
using AccessLog = std::function<void(const std::string& line)>;

// Sets up `server`: the routes above on `board`, the limits, the JSON error
// bodies and the access log. Call before bind/listen.
void configure(httplib::Server& server, MessageBoard& board, const ServerLimits& limits, AccessLog log);

// The access-log line for one answered request.
std::string access_line(const httplib::Request& request, const httplib::Response& response);

// The body of every error: {"error": WHY, "status": STATUS}.
std::string error_body(int status, const std::string& why);

} // namespace lab05
