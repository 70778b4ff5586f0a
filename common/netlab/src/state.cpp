#include "netlabs/netlab/state.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "netlabs/errors.hpp"
#include "netlabs/process.hpp"

namespace netlabs::netlab {
namespace {

using json = nlohmann::ordered_json;

std::string errno_text(int err) { return std::strerror(err); }

json to_json(const ProcessId& p) { return json{{"pid", p.pid}, {"start", p.start}}; }

ProcessId process_of(const json& j)
{
    return ProcessId{j.at("pid").get<pid_t>(), j.at("start").get<std::uint64_t>()};
}

// A directory we own, mode 0700, not a symbolic link; created if missing.
int open_private_dir(const std::string& path, bool create)
{
    if (create && ::mkdir(path.c_str(), 0700) != 0 && errno != EEXIST)
        throw std::runtime_error("cannot create state directory " + path + ": " + errno_text(errno));
    const int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) return -1;
    struct stat st {};
    if (::fstat(fd, &st) != 0 || st.st_uid != ::geteuid() || (st.st_mode & 0077) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

} // namespace

std::optional<std::uint64_t> start_time(pid_t pid)
{
    if (pid <= 0) return std::nullopt;
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string text;
    if (!in || !std::getline(in, text)) return std::nullopt;
    // "PID (comm) S ppid ...": comm may hold spaces and parentheses.
    const auto close = text.rfind(')');
    if (close == std::string::npos) return std::nullopt;
    std::istringstream fields(text.substr(close + 2));
    std::string field;
    std::uint64_t start = 0;
    for (int i = 3; i <= 22 && fields >> field; ++i) {
        if (i == 3 && (field == "Z" || field == "X")) return std::nullopt;
        if (i == 22) start = std::strtoull(field.c_str(), nullptr, 10);
    }
    if (start == 0) return std::nullopt;
    return start;
}

ProcessId process_id(pid_t pid)
{
    return ProcessId{pid, start_time(pid).value_or(0)};
}

bool ProcessId::alive() const
{
    const auto now = start_time(pid);
    return now && *now == start;
}

bool wait_gone(const ProcessId& p, std::chrono::milliseconds timeout)
{
    // The start time tells a pid taken by another process from ours.
    return !p.alive() || process::wait_gone(p.pid, timeout) || !p.alive();
}

const HostState* State::find_host(const std::string& host) const
{
    for (const auto& h : hosts)
        if (h.name == host) return &h;
    return nullptr;
}

std::string State::host_names() const
{
    std::string names;
    for (const auto& h : hosts) names += (names.empty() ? "" : ", ") + h.name;
    return names;
}

std::string to_json(const State& state)
{
    json hosts = json::object();
    for (const auto& h : state.hosts)
        hosts[h.name] = json{{"pid", h.process.pid},
                             {"start", h.process.start},
                             {"inner_pid", h.inner_pid},
                             {"interfaces", h.interfaces},
                             {"addresses", h.addresses}};
    json j{{"name", state.name},
           {"lab", state.lab},
           {"topology", state.topology},
           {"rootless", state.rootless},
           {"starting", state.starting},
           {"supervisor", to_json(state.supervisor)},
           {"init", to_json(state.init)},
           {"hosts", hosts}};
    return j.dump(2) + "\n";
}

State from_json(const std::string& text)
{
    try {
        const json j = json::parse(text);
        State s;
        s.name = j.at("name").get<std::string>();
        s.lab = j.at("lab").get<std::string>();
        s.topology = j.value("topology", std::string{});
        s.rootless = j.at("rootless").get<bool>();
        s.starting = j.value("starting", false);
        s.supervisor = process_of(j.at("supervisor"));
        s.init = process_of(j.at("init"));
        for (const auto& [name, h] : j.at("hosts").items()) {
            HostState host;
            host.name = name;
            host.process = process_of(h);
            host.inner_pid = h.value("inner_pid", -1);
            host.interfaces = h.value("interfaces", std::vector<std::string>{});
            host.addresses = h.value("addresses", std::vector<std::string>{});
            s.hosts.push_back(std::move(host));
        }
        return s;
    } catch (const json::exception& e) {
        throw std::runtime_error(std::string("bad state file: ") + e.what());
    }
}

StateDir StateDir::open()
{
    const std::string uid = std::to_string(::geteuid());
    // $XDG_RUNTIME_DIR only when it is really ours (sudo and setpriv keep the
    // caller's variable); otherwise /tmp/netlabs-<uid>.
    if (const char* xdg = std::getenv("XDG_RUNTIME_DIR"); xdg && *xdg == '/') {
        struct stat st {};
        if (::stat(xdg, &st) == 0 && S_ISDIR(st.st_mode) && st.st_uid == ::geteuid() &&
            ::access(xdg, W_OK | X_OK) == 0) {
            const std::string path = std::string(xdg) + "/netlabs";
            if (const int fd = open_private_dir(path, true); fd >= 0) return StateDir(path, fd);
        }
    }
    const std::string path = "/tmp/netlabs-" + uid;
    const int fd = open_private_dir(path, true);
    if (fd < 0)
        throw std::runtime_error("state directory " + path +
                                 " is not a private directory of this user (remove it, or set XDG_RUNTIME_DIR)");
    return StateDir(path, fd);
}

StateDir::StateDir(StateDir&& other) noexcept : path_(std::move(other.path_)), fd_(other.fd_)
{
    other.fd_ = -1;
}

StateDir::~StateDir()
{
    if (fd_ >= 0) ::close(fd_);
}

std::optional<State> StateDir::read(const std::string& name) const
{
    const int fd = ::openat(fd_, (name + ".json").c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) return std::nullopt;
    std::string text;
    char buf[4096];
    ssize_t n;
    while ((n = ::read(fd, buf, sizeof buf)) > 0) text.append(buf, static_cast<std::size_t>(n));
    ::close(fd);
    try {
        return from_json(text);
    } catch (const std::exception&) {
        return State{};  // unreadable: treated as stale (supervisor pid -1)
    }
}

std::optional<State> StateDir::load(const std::string& name) const
{
    auto state = read(name);
    if (!state) return std::nullopt;
    if (!state->supervisor.alive()) {
        remove(name);
        return std::nullopt;
    }
    return state;
}

std::vector<State> StateDir::list() const
{
    std::vector<std::string> names;
    const int fd = ::dup(fd_);
    if (DIR* dir = fd >= 0 ? ::fdopendir(fd) : nullptr) {
        ::rewinddir(dir);
        while (const dirent* e = ::readdir(dir)) {
            const std::string file = e->d_name;
            if (file.size() > 5 && file.ends_with(".json")) names.push_back(file.substr(0, file.size() - 5));
        }
        ::closedir(dir);
    }
    std::sort(names.begin(), names.end());
    std::vector<State> states;
    for (const auto& name : names)
        if (auto s = load(name)) states.push_back(std::move(*s));
    return states;
}

bool StateDir::claim(const State& state) const
{
    const int fd = ::openat(fd_, (state.name + ".json").c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        if (errno == EEXIST) return false;
        throw std::runtime_error("cannot create " + file(state.name) + ": " + errno_text(errno));
    }
    const std::string text = to_json(state);
    const bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
    ::close(fd);
    if (!ok) throw std::runtime_error("cannot write " + file(state.name));
    return true;
}

void StateDir::write(const State& state) const
{
    const std::string tmp = state.name + ".json.tmp";
    const int fd = ::openat(fd_, tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) throw std::runtime_error("cannot write " + path_ + "/" + tmp + ": " + errno_text(errno));
    const std::string text = to_json(state);
    const bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
    ::close(fd);
    if (!ok || ::renameat(fd_, tmp.c_str(), fd_, (state.name + ".json").c_str()) != 0)
        throw std::runtime_error("cannot write " + file(state.name) + ": " + errno_text(errno));
}

void StateDir::remove(const std::string& name) const
{
    ::unlinkat(fd_, (name + ".json").c_str(), 0);
}

std::string normalize_name(const std::string& name)
{
    if (!name.empty() && name.size() <= 2 && name.find_first_not_of("0123456789") == std::string::npos) {
        const int n = std::stoi(name);
        return n < 10 ? "lab0" + std::to_string(n) : "lab" + std::to_string(n);
    }
    if (name.empty() || name.size() > 32 || name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-") != std::string::npos)
        throw UsageError("invalid netlab name '" + name + "': use 1-32 characters a-z, 0-9 and '-'");
    return name;
}

} // namespace netlabs::netlab
