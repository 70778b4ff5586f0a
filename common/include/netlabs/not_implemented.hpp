// NotImplemented: what an exercise's stub throws in the student edition.
//
// `./netlabs starter DIR` replaces each solution region of a lab with
//
//   // TODO(lab01-ex1): bind, listen ... (docs/en/lab01.md#the-server-seed-002)
//   throw netlabs::NotImplemented("lab01-ex1", "bind, listen ... (docs/en/lab01.md#...)");
//
// and a program that reaches the stub exits 1 with one line (run_main prints
// what()):
//
//   lab01-server: lab01-ex1 is not implemented yet: bind, listen ... (docs/en/lab01.md#...)
//
// The reference edition never throws it. See docs/en/instructors.md.
#pragma once

#include <stdexcept>
#include <string>

namespace netlabs {

class NotImplemented : public std::logic_error {
public:
    // `exercise` is "labNN-exK"; `hint` says what to implement and where the
    // doc explains it (the generator fills it in from tests/points.json).
    explicit NotImplemented(const std::string& exercise, const std::string& hint = {});

    const std::string& exercise() const noexcept { return exercise_; }

private:
    std::string exercise_;
};

// The line NotImplemented carries: "lab01-ex1 is not implemented yet: <hint>".
std::string not_implemented_message(const std::string& exercise, const std::string& hint);

} // namespace netlabs
