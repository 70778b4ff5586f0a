#include "points.hpp"

#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

namespace netlabs::grade {

std::string Exercise::full_hint() const
{
    if (doc.empty()) return hint;
    return hint + " (see " + doc + ")";
}

double Lab::points() const
{
    double sum = 0;
    for (const auto& e : exercises) sum += e.points;
    return sum;
}

const Lab* Points::find_lab(const std::string& id) const
{
    for (const auto& lab : labs)
        if (lab.id == id) return &lab;
    return nullptr;
}

const Exercise* Points::find_exercise(const std::string& id) const
{
    for (const auto& lab : labs)
        for (const auto& e : lab.exercises)
            if (e.id == id) return &e;
    return nullptr;
}

bool is_exercise_id(const std::string& text)
{
    static const std::regex shape(R"(lab\d\d-ex\d+)");
    return std::regex_match(text, shape);
}

namespace {

std::string text_field(const nlohmann::json& object, const char* key, const std::string& where, bool required)
{
    if (!object.contains(key)) {
        if (required) throw PointsError(where + ": '" + key + "' is missing");
        return {};
    }
    if (!object[key].is_string()) throw PointsError(where + ": '" + key + "' must be a string");
    return object[key].get<std::string>();
}

} // namespace

Points parse_points(const std::string& json_text, const std::string& file_name)
{
    nlohmann::json doc;
    try {
        doc = nlohmann::json::parse(json_text);
    } catch (const nlohmann::json::exception& e) {  // parse_error, and out_of_range for 1e999
        throw PointsError(file_name + ": not valid JSON: " + e.what());
    }
    if (!doc.is_object() || !doc.contains("labs") || !doc["labs"].is_array())
        throw PointsError(file_name + ": must be an object with a 'labs' array");
    Points points;
    if (doc.contains("timeout_seconds")) {
        if (!doc["timeout_seconds"].is_number() || doc["timeout_seconds"].get<double>() <= 0)
            throw PointsError(file_name + ": 'timeout_seconds' must be a positive number");
        points.timeout_seconds = doc["timeout_seconds"].get<double>();
    }
    static const std::regex lab_shape(R"(lab(\d\d))");
    // At most four digits: ex99999999999 would overflow std::stoi.
    static const std::regex ex_shape(R"(ex(\d{1,4}))");
    std::set<std::string> seen;
    for (const auto& l : doc["labs"]) {
        const std::string where = file_name + ": lab " + (l.contains("lab") ? l["lab"].dump() : "?");
        if (!l.is_object()) throw PointsError(file_name + ": every entry of 'labs' must be an object");
        Lab lab;
        lab.id = text_field(l, "lab", where, true);
        std::smatch m;
        if (!std::regex_match(lab.id, m, lab_shape))
            throw PointsError(where + ": 'lab' must look like lab01");
        lab.number = std::stoi(m[1]);
        if (!seen.insert(lab.id).second) throw PointsError(where + ": listed twice");
        lab.title = text_field(l, "title", where, false);
        if (l.contains("targets")) {
            if (!l["targets"].is_array()) throw PointsError(where + ": 'targets' must be an array of target names");
            for (const auto& t : l["targets"]) {
                if (!t.is_string() || t.get<std::string>().empty())
                    throw PointsError(where + ": 'targets' must be an array of target names");
                lab.targets.push_back(t.get<std::string>());
            }
        }
        const std::string lab_scoring = l.contains("scoring") ? text_field(l, "scoring", where, true) : "all";
        if (lab_scoring != "all" && lab_scoring != "proportional")
            throw PointsError(where + ": 'scoring' must be \"all\" or \"proportional\"");
        const bool lab_proportional = lab_scoring == "proportional";
        if (!l.contains("exercises") || !l["exercises"].is_array() || l["exercises"].empty())
            throw PointsError(where + ": 'exercises' must be a non-empty array");
        for (const auto& x : l["exercises"]) {
            if (!x.is_object()) throw PointsError(where + ": every exercise must be an object");
            Exercise e;
            e.lab = lab.id;
            e.key = text_field(x, "id", where, true);
            const std::string ewhere = where + " exercise '" + e.key + "'";
            if (!std::regex_match(e.key, m, ex_shape)) throw PointsError(ewhere + ": 'id' must look like ex1");
            e.number = std::stoi(m[1]);
            e.id = lab.id + "-" + e.key;
            if (!seen.insert(e.id).second) throw PointsError(ewhere + ": listed twice");
            e.title = text_field(x, "title", ewhere, true);
            e.hint = text_field(x, "hint", ewhere, true);
            e.doc = text_field(x, "doc", ewhere, false);
            if (!x.contains("points") || !x["points"].is_number() || x["points"].get<double>() < 0)
                throw PointsError(ewhere + ": 'points' must be a number, 0 or more");
            e.points = x["points"].get<double>();
            const std::string scoring = x.contains("scoring") ? text_field(x, "scoring", ewhere, true)
                                                              : lab_proportional ? "proportional" : "all";
            if (scoring != "all" && scoring != "proportional")
                throw PointsError(ewhere + ": 'scoring' must be \"all\" or \"proportional\"");
            e.proportional = scoring == "proportional";
            lab.exercises.push_back(std::move(e));
        }
        points.labs.push_back(std::move(lab));
    }
    return points;
}

Points load_points(const std::filesystem::path& file)
{
    std::ifstream in(file, std::ios::binary);
    if (!in) throw PointsError(file.string() + ": cannot read the points table");
    std::ostringstream text;
    text << in.rdbuf();
    return parse_points(text.str(), file.string());
}

} // namespace netlabs::grade
