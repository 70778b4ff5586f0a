// What a parsed doc holds: its headings (for narration), its console blocks,
// and the commands ("steps") inside them, each with the line it came from.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "words.hpp"

namespace docrun {

struct Heading {
    int level = 1;      // 1 for "#", 2 for "##", 3 for "###"
    std::string text;
    int line = 0;
    std::string lead;   // first sentence of the paragraph under the heading
};

struct ExpectedLine {
    int line = 0;       // line in the doc
    std::string text;   // as written (trailing whitespace removed)
};

struct Step {
    int line = 0;                       // line of the "$ " command
    std::string shown;                  // as written, continuation lines kept
    std::string text;                   // one line, continuations joined
    Command command;                     // split into env, argv, background
    std::vector<ExpectedLine> expected; // empty: output not compared
    int exit_code = 0;                  // from a final "[exit N]" line, else 0
    std::optional<int> exit_line;       // the line of "[exit N]", if any
    std::size_t block = 0;              // index into Doc::blocks
    std::vector<std::size_t> headings;  // heading path, outermost first (indices into Doc::headings)
};

struct Block {
    int line = 0;                       // line of the opening fence
    int end_line = 0;                   // line of the closing fence
    std::string info;                   // the info words after "console", as written
    std::string host;                   // host=NAME, or "" for this machine
    bool norun = false;                 // shown to the reader, never run
    std::vector<std::string> lines;     // the block's text (for norun blocks)
    std::vector<std::size_t> steps;     // indices into Doc::steps (runnable blocks)
    std::vector<std::size_t> headings;  // heading path at the block
};

struct Doc {
    std::string path;                   // as given on the command line
    std::string title;                  // the "# " heading
    std::string follows;                // the "Follows:" line, else the intro's first sentence
    std::vector<Heading> headings;
    std::vector<Block> blocks;          // console blocks, in order
    std::vector<Step> steps;            // commands of runnable blocks, in order

    std::size_t host_steps() const;     // steps that need the virtual network
};

} // namespace docrun
