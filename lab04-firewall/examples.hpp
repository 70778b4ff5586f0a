// The rule files the lab's doc uses, built in so that `lab04-firewall
// example NAME` can write one into the current directory on any host.
#pragma once

#include <string>
#include <vector>

namespace lab04 {

struct Example {
    std::string name;     // "desktop": written as desktop.rules
    std::string summary;  // one line
    std::string text;     // the file
};

const std::vector<Example>& examples();

} // namespace lab04
