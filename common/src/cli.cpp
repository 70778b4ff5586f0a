#include "netlabs/cli.hpp"

#include <charconv>
#include <cmath>
#include <exception>
#include <iostream>

#include "netlabs/errors.hpp"
#include "netlabs/printable.hpp"

namespace netlabs {

namespace {

// CLI11's "Could not convert: --backlog = abc" (a typed option given text
// that is not of its type), said as every other bad value is: "invalid
// --backlog 'abc': must be a whole number". Empty if it is not that message.
std::string conversion_line(CLI::App& app, const std::string& message)
{
    const std::string prefix = "Could not convert: ";
    const auto eq = message.find(" = ");
    if (message.rfind(prefix, 0) != 0 || eq == std::string::npos) return {};
    const std::string name = message.substr(prefix.size(), eq - prefix.size());
    const std::string value = message.substr(eq + 3);
    std::string type;
    std::vector<CLI::App*> apps{&app};
    for (std::size_t i = 0; i < apps.size() && type.empty(); ++i) {
        if (const CLI::Option* option = apps[i]->get_option_no_throw(name)) type = option->get_type_name();
        for (CLI::App* sub : apps[i]->get_subcommands({})) apps.push_back(sub);
    }
    const std::string why = type == "INT"     ? "must be a whole number"
                            : type == "UINT"  ? "must be a whole number, 0 or more"
                            : type == "FLOAT" ? "must be a number"
                                              : "not a valid " + (type.empty() ? std::string("value") : type);
    return "invalid " + name + " '" + printable(value) + "': " + why;
}

} // namespace

int run_main(CLI::App& app, int argc, char** argv, const std::function<int()>& body)
{
    // A reader on a pipe (a test, the tour) must see each line when it is printed.
    std::cout << std::unitbuf;
    const std::string program = app.get_name();
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp&) {
        std::cout << app.help();
        return exit_ok;
    } catch (const CLI::CallForAllHelp&) {
        std::cout << app.help("", CLI::AppFormatMode::All);
        return exit_ok;
    } catch (const CLI::ConversionError& e) {
        const std::string line = conversion_line(app, e.what());
        std::cerr << program << ": " << (line.empty() ? e.what() + std::string(" (see --help)") : line) << '\n';
        return exit_usage;
    } catch (const CLI::ParseError& e) {
        // "prog --bogus" with a subcommand required: CLI11 checks for the
        // missing subcommand first and says "A subcommand is required". The
        // unknown option is the mistake to name.
        const auto extra = app.remaining();
        if (dynamic_cast<const CLI::RequiredError*>(&e) != nullptr && !extra.empty() &&
            app.get_subcommands().empty()) {
            const bool option = extra.front().size() > 1 && extra.front()[0] == '-';
            std::cerr << program << ": unknown " << (option ? "option" : "subcommand") << " '" << extra.front()
                      << "' (see --help)\n";
            return exit_usage;
        }
        std::cerr << program << ": " << e.what() << " (see --help)\n";
        return exit_usage;
    }
    try {
        return body();
    } catch (const UsageError& e) {
        std::cerr << program << ": " << e.what() << '\n';
        return exit_usage;
    } catch (const std::exception& e) {
        std::cerr << program << ": " << e.what() << '\n';
        return exit_failure;
    }
}

std::chrono::milliseconds parse_seconds(std::string_view text, std::string_view what)
{
    double seconds = 0;
    const char* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, seconds);
    if (text.empty() || ec != std::errc{} || ptr != end || !std::isfinite(seconds) || seconds < 0 ||
        seconds > 86400)
        throw UsageError("invalid " + std::string(what) + " '" + std::string(text) +
                         "': must be a number of seconds from 0 to 86400, e.g. 2.5");
    return std::chrono::milliseconds(static_cast<long long>(std::llround(seconds * 1000)));
}

std::string seconds_text(std::chrono::milliseconds duration)
{
    std::string text = std::to_string(duration.count() / 1000);
    if (const auto ms = duration.count() % 1000; ms != 0) {
        std::string fraction = std::to_string(1000 + (ms < 0 ? -ms : ms)).substr(1);
        while (fraction.back() == '0') fraction.pop_back();
        text += "." + fraction;
    }
    return text;
}

long long parse_count(std::string_view text, std::string_view what, long long min, long long max)
{
    long long value = 0;
    const char* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (text.empty() || ec != std::errc{} || ptr != end || value < min || value > max)
        throw UsageError("invalid " + std::string(what) + " '" + std::string(text) + "': must be a whole number from " +
                         std::to_string(min) + " to " + std::to_string(max));
    return value;
}

} // namespace netlabs
