#include "reply.hpp"

#include <utility>

namespace netlabs::lab01 {

std::string fill_reply(std::string reply, std::string_view data)
{
    const std::pair<std::string_view, std::string> fields[] = {{"{bytes}", std::to_string(data.size())},
                                                              {"{message}", std::string(data)}};
    for (const auto& [key, value] : fields)
        for (auto at = reply.find(key); at != std::string::npos; at = reply.find(key, at + value.size()))
            reply.replace(at, key.size(), value);
    return reply;
}

} // namespace netlabs::lab01
