// What lab01's black-box tests share: tests/support/programs.hpp (where the
// programs are, a raw client for the test to play a misbehaving peer).
#pragma once

#include "programs.hpp"

namespace lab01 {
using namespace netlabs::test;
} // namespace lab01
