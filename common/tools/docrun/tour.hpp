// `netlabs-docrun tour`: runs docs as a narrated walk-through for a learner.
//
//   Lab 01: one socket on loopback
//   Follows: seed 002 (a Python socket server) ...
//   docs/en/lab01.md: lab 1 of 1, 11 steps
//
//   ## Start the server
//   A server binds a port and listens.
//
//   lab 1/1, step 1/11
//   $ lab01-server &
//   listening on 127.0.0.1:8000
//     [lab01-server] Received data: Hello, server!     (a background line)
#pragma once

#include <istream>
#include <ostream>
#include <string>
#include <vector>

#include "host.hpp"
#include "runner.hpp"
#include "style.hpp"

namespace docrun {

struct TourOptions {
    bool pause = false;  // wait for Enter between steps (EOF on stdin: stop waiting)
    bool color = false;
};

// The one line the tour stops with when a step reached a stub of the student
// edition (`stubs`: the NotImplemented lines, the first decides): which
// exercise, which file, which doc section (in the language of `doc_path`,
// docs/LANG/labNN.md, whose repository holds tests/points.json), the grade
// command, and that the tour goes on from there once it passes. Without a
// points table, or for a stub it does not name, the stub's own line.
std::string stub_stop_line(const std::string& doc_path, const std::vector<std::string>& stubs);

// 0 when every step matched its doc (skipped steps do not count against it);
// 1 at the first step that did not, after naming it.
int tour_docs(const std::vector<std::string>& files, const Options& options, const TourOptions& tour,
              const HostLookup& hosts, std::ostream& out, std::istream& in);

} // namespace docrun
