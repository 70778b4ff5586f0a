// An http:// URL, as lab05-client and lab05-raw take it:
//
//   http://203.0.113.123:5000/messages   host 203.0.113.123, port 5000, target /messages
//   http://localhost/hello               port 80
//
// A bad URL is a netlabs::UsageError (exit 2) naming it and why:
//   invalid URL 'https://x/': only http:// is supported (lab05 speaks plain HTTP)
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "netlabs/endpoint.hpp"

namespace lab05 {

struct Url {
    netlabs::Endpoint server;  // host and port
    std::string target = "/";  // path and query, as sent in the request line

    // "http://host:port/target"
    std::string to_string() const;
    // The Host header's value: "host:port" ("[v6]:port").
    std::string host_header() const { return server.to_string(); }
};

Url parse_url(std::string_view text);

} // namespace lab05
