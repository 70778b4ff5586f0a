// netlabs-grade's command line: one line naming the bad value, exit 2, and
// nothing built or run first (docs/en/instructors.md).
#include "programs.hpp"

using namespace netlabs::test;

TEST_CASE("netlabs-grade refuses bad numbers before it builds or runs anything", "[grade][usage]")
{
    const std::string seconds = "must be a number of seconds from 0 to 86400, e.g. 2.5";
    check_usage_errors({
        {{"netlabs-grade", "grade", "-j", "0"}, "netlabs-grade: invalid --jobs '0': must be a whole number from 1 to 1024"},
        {{"netlabs-grade", "grade", "--jobs", "-2"},
         "netlabs-grade: invalid --jobs '-2': must be a whole number from 1 to 1024"},
        {{"netlabs-grade", "grade", "--build-jobs", "many"},
         "netlabs-grade: invalid --build-jobs 'many': must be a whole number from 1 to 1024"},
        {{"netlabs-grade", "grade", "--timeout", "-1"}, "netlabs-grade: invalid --timeout '-1': " + seconds},
        {{"netlabs-grade", "grade", "--timeout", "nan"}, "netlabs-grade: invalid --timeout 'nan': " + seconds},
        {{"netlabs-grade", "grade", "--timeout", "0"}, "netlabs-grade: invalid --timeout '0': must be more than 0 seconds"},
        {{"netlabs-grade", "prove-student", "--work", "unused", "-j", "0"},
         "netlabs-grade: invalid --jobs '0': must be a whole number from 1 to 1024"},
        {{"netlabs-grade", "--bogus"}, "netlabs-grade: unknown option '--bogus' (see --help)"},
        {{"netlabs-grade", "bogus"}, "netlabs-grade: unknown subcommand 'bogus' (see --help)"},
    });
}
