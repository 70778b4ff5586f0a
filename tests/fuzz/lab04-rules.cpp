// Fuzzes lab04-firewall's rule language (lab04-firewall/rules.cpp, ports.cpp
// lab04-ex1), the translators that turn rules into nft, iptables, pf, Windows
// and ufw commands (translate.cpp, nft.cpp lab04-ex3), and the packets that
// --explain reads (evaluate.cpp, lab04-ex2). The first byte chooses. A rule
// prints back to a rule that parses the same; a translated rule is one line.
#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

#include "evaluate.hpp"
#include "fuzz.hpp"
#include "netlabs/not_implemented.hpp"
#include "rules.hpp"
#include "translate.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::uint8_t mode = fuzz::take_byte(data, size);
    const std::string_view text = fuzz::text(data, size);
    try {
        if (mode % 2 == 0) {
            const lab04::RuleSet set = lab04::parse_rules(text, "fuzz.rules");
            for (const auto& rule : set.rules) {
                lab04::RuleSet again;
                const auto reparsed = lab04::parse_line(rule.to_string(), again);
                fuzz::check(reparsed && reparsed->to_string() == rule.to_string(), "a rule prints back to the same rule");
                fuzz::check(lab04::nft_rule(rule).find('\n') == std::string::npos, "an nft rule is one line");
            }
            (void)lab04::to_nft(set);
            (void)lab04::to_iptables(set);
            (void)lab04::to_pf(set);
            (void)lab04::to_windows(set);
            (void)lab04::to_ufw(set);
        } else {
            std::vector<std::string> words;
            std::istringstream in{std::string(text)};
            for (std::string w; in >> w;) words.push_back(w);
            const lab04::Packet packet = lab04::parse_packet(words);
            const lab04::RuleSet set = lab04::parse_rules(
                "default in deny\nin allow tcp port 5000 name test\nin deny from 192.168.0.100\n"
                "out reject tcp to 198.51.100.8 port 7000-7010\nin allow udp from 10.0.0.0/8 port 53\n",
                "seed.rules");
            const lab04::Decision d = lab04::decide(set, packet);
            fuzz::check(!d.rule || *d.rule < set.rules.size(), "a decision names a rule of the set");
            (void)lab04::explain(set, packet);
        }
    } catch (const lab04::RuleError&) {
    } catch (const std::invalid_argument&) {
    } catch (const netlabs::NotImplemented&) {  // the student edition's stubs
    }
    return 0;
}
