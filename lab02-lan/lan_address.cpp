#include "lan_address.hpp"

#include "classify.hpp"

namespace netlabs::lab02 {
namespace {

// Lower is better; nullopt: never offer this one to a friend.
std::optional<int> rank(const Interface& interface, const InterfaceAddress& a,
                        const std::optional<Gateway>& gateway)
{
    if (!interface.up || interface.loopback || !a.address.is_v4()) return std::nullopt;
    int score = 0;
    switch (classify(a.address)) {
    case AddressKind::private_:
    case AddressKind::shared:
        score = 0;
        break;
    case AddressKind::public_:
    case AddressKind::documentation:  // the labs' stand-ins for public addresses
        score = 2;
        break;
    default:
        return std::nullopt;
    }
    if (!(gateway && gateway->interface == interface.name)) score += 1;
    return score;
}

} // namespace

std::optional<LanAddress> choose_lan_address(const std::vector<Interface>& interfaces,
                                             const std::optional<Gateway>& gateway)
{
    std::optional<LanAddress> best;
    int best_rank = 0;
    for (const auto& interface : interfaces) {
        for (const auto& address : interface.addresses) {
            const auto r = rank(interface, address, gateway);
            if (r && (!best || *r < best_rank)) {
                best = LanAddress{&interface, &address};
                best_rank = *r;
            }
        }
    }
    return best;
}

} // namespace netlabs::lab02
