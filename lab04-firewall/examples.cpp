// The lab's rule files (docs/en/lab04.md walks through each).
#include "examples.hpp"

namespace lab04 {

const std::vector<Example>& examples()
{
    static const std::vector<Example> all{
        {"seed000", "seed 000's rules as written: the Windows rule and the two pf rules",
         R"(# seed 000's firewall rules, as the post writes them.
# Its server address 111.222.33.123 is this lab's 203.0.113.123: the ROUTER's
# public address. The desktop behind the router never has it (seed error 11).
default in deny
default out allow
# Windows Defender: inbound, TCP, port 5000, allow, all profiles, name test
in allow tcp port 5000 name test
# pf.conf: pass in proto tcp from any to 111.222.33.123 port 5000
in allow proto tcp from any to 203.0.113.123 port 5000
# pf.conf: pass out proto tcp from 111.222.33.123 port 5000 to any
out allow proto tcp from 203.0.113.123 port 5000 to any
)"},
        {"pf-as-written", "only seed 000's pf rules, with the public address: they never match on the desktop",
         R"(# seed 000's pf.conf rules, with the router's public address (seed error 11)
default in deny
default out allow
in allow proto tcp from any to 203.0.113.123 port 5000
out allow proto tcp from 203.0.113.123 port 5000 to any
)"},
        {"desktop", "the desktop's firewall: 5000 open, 8000 refused, everything else dropped",
         R"(# the desktop's firewall (seed 000, fixed)
default in deny           # what no rule allows is dropped: no answer at all
default out allow         # the desktop may start connections anywhere
in allow tcp port 5000 name test          # seed 000: inbound, TCP, 5000, allow
in reject tcp port 8000 name closed       # answered "connection refused" at once
)"},
        {"seed002", "seed 002's two iptables rules, in the post's order",
         R"(# seed 002's rules in the order its code appends them. Its 192.168.0.100
# is this lab's laptop, 192.168.99.10. iptables' INPUT policy is ACCEPT.
default in allow
default out allow
in allow tcp port 8000          # iptables -A INPUT -p tcp --dport 8000 -j ACCEPT
in deny from 192.168.99.10      # iptables -A INPUT -s 192.168.0.100 -j DROP
)"},
        {"seed002-fixed", "seed 002's rules, the block first",
         R"(# seed 002's rules with the block first: first match wins
default in allow
default out allow
in deny from 192.168.99.10      # the laptop: nothing at all
in allow tcp port 8000
)"},
        {"outbound", "the desktop answers on 5000 but may start no connection",
         R"(# the desktop serves, but starts nothing: outbound rules (seed 000)
default in deny
default out deny          # nothing leaves unless a rule allows it...
in allow tcp port 5000 name test
# ...and yet the answers on 5000 leave: they belong to a connection the
# input rules allowed (no "pass out" needed, unlike seed 000's pf rules)
)"},
        {"injection", "seed 002's command injection, as a rule value (seed error 9)",
         R"(# seed 002 pastes a value into a shell command: port = "8000; rm -rf ~"
default in deny
in allow tcp port 8000; rm -rf ~
)"},
        {"web", "desktop.rules with a web server on port 80 (for watching packets)",
         R"(# the desktop's firewall with a web server: desktop.rules and port 80
default in deny
default out allow
in allow tcp port 80 name http            # seed 004 watches port 80
in allow tcp port 5000 name test
in reject tcp port 8000 name closed
)"},
    };
    return all;
}

} // namespace lab04
