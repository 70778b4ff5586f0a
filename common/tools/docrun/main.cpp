// netlabs-docrun: runs the course's executable docs.
//
//   netlabs-docrun check  [--bin DIR] [--timeout S] [--ready-timeout S] [-v] FILE...
//   netlabs-docrun tour   [--bin DIR] [--timeout S] [--ready-timeout S] [--pause] [--no-color] FILE...
//   netlabs-docrun list   FILE...
//   netlabs-docrun parity EN.md KO.md
//
// Exit 0 when everything matched, 1 when a step or a doc did not, 2 on bad usage.
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#ifdef __APPLE__
#include <mach-o/dyld.h>
#endif

#include "netlabs/cli.hpp"
#include "netlabs/errors.hpp"

#include "check.hpp"
#include "cleanup.hpp"
#include "error.hpp"
#include "markdown.hpp"
#include "netlab_hosts.hpp"
#include "parity.hpp"
#include "tour.hpp"

namespace {

// The directory this program lives in: build/bin, where the labs' programs are.
std::string own_directory(const char* argv0)
{
    namespace fs = std::filesystem;
    std::error_code error;
#ifdef __APPLE__
    char buffer[4096];
    uint32_t size = sizeof buffer;
    if (_NSGetExecutablePath(buffer, &size) == 0) return fs::canonical(buffer, error).parent_path().string();
#else
    const fs::path self = fs::read_symlink("/proc/self/exe", error);
    if (!error) return self.parent_path().string();
#endif
    return fs::absolute(argv0, error).parent_path().string();
}

docrun::Doc load_or_usage(const std::string& file)
{
    try {
        return docrun::load_doc(file);
    } catch (const docrun::DocError& e) {
        throw netlabs::UsageError(e.what());
    }
}

int list_docs(const std::vector<std::string>& files)
{
    for (const auto& file : files) {
        const docrun::Doc doc = docrun::load_doc(file);
        const std::size_t hosts = doc.host_steps();
        std::cout << doc.path << ": " << doc.title << " (" << doc.steps.size() << " steps"
                  << (hosts ? ", " + std::to_string(hosts) + " on lab hosts" : "") << ")\n";
    }
    return 0;
}

int parity(const std::string& first, const std::string& second)
{
    const docrun::Doc a = load_or_usage(first), b = load_or_usage(second);
    if (const auto difference = docrun::parity_difference(a, b)) {
        std::cout << *difference << "\n";
        return 1;
    }
    std::size_t blocks = 0;
    for (const auto& block : a.blocks) blocks += block.norun ? 0 : 1;
    std::cout << a.path << " and " << b.path << " hold the same " << a.steps.size() << " commands in " << blocks
              << " runnable blocks\n";
    return 0;
}

int run(int argc, char** argv)
{
    CLI::App app{"Runs the course's executable docs: compares (check), narrates (tour), lists them, "
                 "and checks that two languages hold the same commands (parity).",
                 "netlabs-docrun"};
    app.require_subcommand(1);

    std::vector<std::string> files;
    std::string bin, timeout = "20", ready_timeout = "10";
    bool verbose = false, pause = false, no_color = false;
    const auto run_options = [&](CLI::App* sub) {
        sub->add_option("--bin", bin, "directory put first on PATH (default: this program's directory)")
            ->check(CLI::ExistingDirectory);
        sub->add_option("--timeout", timeout, "seconds a command may run (default 20)");
        sub->add_option("--ready-timeout", ready_timeout,
                        "seconds a background command may take to print 'listening on ...' (default 10)");
        sub->add_option("FILE", files, "docs to run, in order")->required()->check(CLI::ExistingFile);
    };
    CLI::App* check = app.add_subcommand("check", "run each doc's commands and compare their output");
    run_options(check);
    check->add_flag("-v,--verbose", verbose, "print each command as it runs");
    CLI::App* tour = app.add_subcommand("tour", "run the docs as a narrated walk-through");
    run_options(tour);
    tour->add_flag("--pause", pause, "wait for Enter between steps");
    tour->add_flag("--no-color", no_color, "no ANSI colours (also: NO_COLOR=1)");
    CLI::App* list = app.add_subcommand("list", "print each doc's title and number of steps");
    list->add_option("FILE", files, "docs")->required()->check(CLI::ExistingFile);
    CLI::App* parity_cmd = app.add_subcommand("parity", "check that two docs hold the same runnable blocks");
    std::string first, second;
    parity_cmd->add_option("EN", first, "first doc, e.g. docs/en/lab01.md")->required()->check(CLI::ExistingFile);
    parity_cmd->add_option("KO", second, "second doc, e.g. docs/ko/lab01.md")->required()->check(CLI::ExistingFile);

    return netlabs::run_main(app, argc, argv, [&]() -> int {
        if (*list) return list_docs(files);
        if (*parity_cmd) return parity(first, second);

        docrun::install_cleanup_handlers();
        docrun::Options options;
        options.bin_dir = bin.empty() ? own_directory(argv[0]) : std::filesystem::absolute(bin).string();
        options.timeout = netlabs::parse_seconds(timeout, "--timeout");
        options.ready_timeout = netlabs::parse_seconds(ready_timeout, "--ready-timeout");
        docrun::NetlabHosts netlab(options.bin_dir);
        const docrun::HostLookup hosts = [&](const std::string& doc, const std::string& host, std::string& why_not) {
            return netlab.lookup(doc, host, why_not);
        };
        if (*check) return docrun::check_docs(files, options, verbose, hosts, std::cout);
        docrun::TourOptions tour_options;
        tour_options.pause = pause;
        tour_options.color = docrun::Style::wanted(no_color);
        return docrun::tour_docs(files, options, tour_options, hosts, std::cout, std::cin);
    });
}

} // namespace

int main(int argc, char** argv)
{
    try {
        return run(argc, argv);
    } catch (const docrun::Interrupted& interrupted) {
        docrun::die_by(interrupted.signal);  // the unwinding has stopped the children and removed the temp dir
    }
}
