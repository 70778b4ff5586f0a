// The messages of lab05-server: what one POST /messages stores, and the
// bounded list that holds them.
//
//   {"name": "friend", "text": "hello from the hotspot"}
//
// validate_message is the server's guard (lab05-ex1): whatever a client
// sends, only a message that passes it is stored; anything else is a 400 with
// one line that says which field is wrong and why.
#pragma once

#include <cstddef>
#include <deque>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace lab05 {

inline constexpr std::size_t max_name_length = 40;   // characters (UTF-8 bytes)
inline constexpr std::size_t max_text_length = 500;

struct Message {
    long long id = 0;  // 1, 2, 3 ... in the order they came
    std::string name;
    std::string text;
    friend bool operator==(const Message&, const Message&) = default;
};

nlohmann::json to_json(const Message& message);

// A request the server refuses with 400: what() is the one line the client
// gets in {"error": "..."}, e.g. "missing field 'text'".
class ValidationError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Checks a message sent as JSON and returns it (id 0, the board numbers it).
// The body must be a JSON object with the string fields "name" and "text";
// each is trimmed of spaces, tabs and newlines at both ends and must then be
// non-empty and at most max_name_length / max_text_length bytes. Other fields
// are ignored. Throws ValidationError:
//   body is not a JSON object (got array)
//   missing field 'name'
//   field 'text' must be a string (got number)
//   field 'name' is empty
//   field 'text' is too long (501 bytes, at most 500)
Message validate_message(const nlohmann::json& body);

// The same for a form (POST application/x-www-form-urlencoded): the fields
// as strings, checked by the same rules.
Message validate_form(const std::multimap<std::string, std::string>& fields);

// The body of a POST sent as JSON: parsed, then validate_message. Not JSON is
// a ValidationError too ("body is not valid JSON (byte 12)"), and so is a
// number no double holds (1e999), which nlohmann::json reports as out_of_range.
Message parse_message_body(std::string_view body);

// The in-memory list: at most `capacity` messages, the oldest dropped first.
// Safe to use from the server's worker threads at once.
class MessageBoard {
public:
    explicit MessageBoard(std::size_t capacity = 100) : capacity_(capacity) {}
    Message add(Message message);  // numbers it, stores it, returns it
    std::vector<Message> all() const;
    std::size_t capacity() const { return capacity_; }

private:
    mutable std::mutex mutex_;
    std::deque<Message> messages_;
    std::size_t capacity_;
    long long next_id_ = 1;
};

} // namespace lab05
