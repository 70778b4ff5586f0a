// Fuzzes Endpoint and address parsing (common/src/endpoint.cpp): what every
// program reads from its command line, and lab03's tables and lab05's URLs
// reuse. Text in, an Endpoint or a UsageError out; whatever parses prints
// back to text that parses to the same Endpoint.
#include <cstdint>
#include <string>

#include "fuzz.hpp"
#include "netlabs/endpoint.hpp"
#include "netlabs/errors.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view text = fuzz::text(data, size);
    try {
        const netlabs::Endpoint e = netlabs::parse_endpoint(text);
        const netlabs::Endpoint again = netlabs::parse_endpoint(e.to_string());
        fuzz::check(again == e, "parse_endpoint(e.to_string()) == e");
    } catch (const netlabs::UsageError&) {
    }
    try {
        const std::uint16_t port = netlabs::parse_port(text);
        fuzz::check(netlabs::parse_port(std::to_string(port)) == port, "parse_port round trip");
    } catch (const netlabs::UsageError&) {
    }
    try {
        const std::string host = netlabs::parse_host(text);
        fuzz::check(host == text, "parse_host returns its text unchanged");
    } catch (const netlabs::UsageError&) {
    }
    // A host and a port given separately: split the input at its first NUL.
    const auto nul = text.find('\0');
    if (nul != std::string_view::npos) {
        try {
            (void)netlabs::make_endpoint(text.substr(0, nul), text.substr(nul + 1));
        } catch (const netlabs::UsageError&) {
        }
    }
    return 0;
}
