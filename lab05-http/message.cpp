#include "message.hpp"

#include <string_view>

#include "netlabs/not_implemented.hpp"

namespace lab05 {

nlohmann::json to_json(const Message& message)
{
    return {{"id", message.id}, {"name", message.name}, {"text", message.text}};
}

namespace {

[[maybe_unused]] std::string trim(std::string_view text)
{
    const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
    while (!text.empty() && blank(text.front())) text.remove_prefix(1);
    while (!text.empty() && blank(text.back())) text.remove_suffix(1);
    return std::string(text);
}

// One field, trimmed and checked against its limit.
[[maybe_unused]] std::string checked_field(const std::string& field, const std::string& value, std::size_t limit)
{
    std::string trimmed = trim(value);
    if (trimmed.empty()) throw ValidationError("field '" + field + "' is empty");
    if (trimmed.size() > limit)
        throw ValidationError("field '" + field + "' is too long (" + std::to_string(trimmed.size()) +
                              " bytes, at most " + std::to_string(limit) + ")");
    return trimmed;
}

} // namespace

Message validate_message(const nlohmann::json& body)
{
    Message message;
    // BEGIN SOLUTION lab05-ex1
    if (!body.is_object())
        throw ValidationError(std::string("body is not a JSON object (got ") + body.type_name() + ")");
    for (const char* field : {"name", "text"}) {
        const auto it = body.find(field);
        if (it == body.end()) throw ValidationError(std::string("missing field '") + field + "'");
        if (!it->is_string())
            throw ValidationError(std::string("field '") + field + "' must be a string (got " +
                                  it->type_name() + ")");
    }
    message.name = checked_field("name", body["name"].get<std::string>(), max_name_length);
    message.text = checked_field("text", body["text"].get<std::string>(), max_text_length);
    // END SOLUTION
    // STUDENT: (void)body;
    // STUDENT: throw netlabs::NotImplemented("lab05-ex1");
    return message;
}

Message validate_form(const std::multimap<std::string, std::string>& fields)
{
    // A form's fields are always strings: the JSON rules apply unchanged.
    nlohmann::json body = nlohmann::json::object();
    for (const auto& [key, value] : fields)
        if (!body.contains(key)) body[key] = value;
    return validate_message(body);
}

Message parse_message_body(std::string_view body)
{
    nlohmann::json json;
    try {
        json = nlohmann::json::parse(body);
    } catch (const nlohmann::json::parse_error& e) {
        throw ValidationError("body is not valid JSON (byte " + std::to_string(e.byte) + ")");
    } catch (const nlohmann::json::exception&) {  // out_of_range: a number such as 1e999
        throw ValidationError("body has a number too large for JSON's doubles");
    }
    return validate_message(json);
}

Message MessageBoard::add(Message message)
{
    std::lock_guard lock(mutex_);
    message.id = next_id_++;
    messages_.push_back(message);
    while (messages_.size() > capacity_) messages_.pop_front();
    return message;
}

std::vector<Message> MessageBoard::all() const
{
    std::lock_guard lock(mutex_);
    return {messages_.begin(), messages_.end()};
}

} // namespace lab05
