// What lab02's black-box tests share: tests/support/programs.hpp (where the
// programs are, a raw client for the test to play a misbehaving peer).
//
// Safety: tests on plain loopback send only to 127.0.0.1. Anything that
// reaches further (0.0.0.0, broadcasts, 192.168.99.x) runs inside the virtual
// network (test_lan.cpp), never in this machine's own network namespace.
#pragma once

#include <asio/ip/udp.hpp>

#include "programs.hpp"

namespace lab02 {
using namespace netlabs::test;
} // namespace lab02
