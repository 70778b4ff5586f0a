// Parsing the filter (recursive descent) and evaluating it on a frame.
//
//   expr     := and ("or" and)*
//   and      := unary ("and" unary)*
//   unary    := "not" unary | "(" expr ")" | primitive
//   primitive:= [proto] [src|dst] [host|net|port] VALUE | proto
#include "filter.hpp"

#include <cctype>
#include <optional>
#include <stdexcept>

namespace lab04 {

struct Filter::Node {
    enum class Kind { all, any_of, negate, proto, host, net, port } kind = Kind::all;
    std::vector<std::shared_ptr<const Node>> children;  // all (and), any_of (or), negate
    enum class Dir { either, src, dst } dir = Dir::either;
    std::string proto;    // proto; also restricts port ("tcp port 80")
    Cidr network;         // host (a /32), net
    PortRange ports;      // port
};

namespace {

using Node = Filter::Node;

std::vector<std::string> tokens_of(std::string_view text)
{
    std::vector<std::string> tokens;
    std::size_t i = 0;
    while (i < text.size()) {
        const char c = text[i];
        if (std::isspace(static_cast<unsigned char>(c))) {
            ++i;
        } else if (c == '(' || c == ')' || c == '!') {
            tokens.emplace_back(1, c);
            ++i;
        } else if ((c == '&' || c == '|') && i + 1 < text.size() && text[i + 1] == c) {
            tokens.push_back(c == '&' ? "and" : "or");
            i += 2;
        } else {
            const std::size_t start = i;
            while (i < text.size() && !std::isspace(static_cast<unsigned char>(text[i])) && text[i] != '(' &&
                   text[i] != ')')
                ++i;
            tokens.emplace_back(text.substr(start, i - start));
        }
    }
    return tokens;
}

bool is_proto(const std::string& w) { return w == "tcp" || w == "udp" || w == "icmp" || w == "ip" || w == "arp"; }

class Parser {
public:
    explicit Parser(std::vector<std::string> tokens) : tokens_(std::move(tokens)) {}

    std::shared_ptr<const Node> parse()
    {
        auto root = expr();
        if (pos_ < tokens_.size()) fail("unexpected '" + tokens_[pos_] + "'");
        return root;
    }

private:
    [[noreturn]] void fail(const std::string& what) const { throw std::invalid_argument(what); }
    const std::string* peek() const { return pos_ < tokens_.size() ? &tokens_[pos_] : nullptr; }
    bool accept(const char* word)
    {
        if (peek() && *peek() == word) {
            ++pos_;
            return true;
        }
        return false;
    }

    std::shared_ptr<const Node> expr()
    {
        auto first = conjunction();
        if (!peek() || *peek() != "or") return first;
        auto node = std::make_shared<Node>();
        node->kind = Node::Kind::any_of;
        node->children.push_back(first);
        while (accept("or")) node->children.push_back(conjunction());
        return node;
    }

    std::shared_ptr<const Node> conjunction()
    {
        auto first = unary();
        if (!peek() || *peek() != "and") return first;
        auto node = std::make_shared<Node>();
        node->kind = Node::Kind::all;
        node->children.push_back(first);
        while (accept("and")) node->children.push_back(unary());
        return node;
    }

    std::shared_ptr<const Node> unary()
    {
        if (accept("not") || accept("!")) {
            const Deeper deeper(*this);
            auto node = std::make_shared<Node>();
            node->kind = Node::Kind::negate;
            node->children.push_back(unary());
            return node;
        }
        if (accept("(")) {
            const Deeper deeper(*this);
            auto inner = expr();
            if (!accept(")")) fail(peek() ? "expected ')' before '" + *peek() + "'" : "a '(' is never closed");
            return inner;
        }
        return primitive();
    }

    // Each "not" and "(" is one level of recursion here, in matching and in
    // freeing the tree: without a limit, "! ! ! ... tcp" as long as a command
    // line can be (128 KiB) overflows the stack.
    static constexpr int max_depth = 64;
    struct Deeper {
        explicit Deeper(Parser& p) : parser(p)
        {
            if (++parser.depth_ > max_depth)
                parser.fail("the filter nests 'not' and '(' more than " + std::to_string(max_depth) + " deep");
        }
        ~Deeper() { --parser.depth_; }
        Deeper(const Deeper&) = delete;
        Deeper& operator=(const Deeper&) = delete;
        Parser& parser;
    };
    int depth_ = 0;

    std::shared_ptr<const Node> primitive()
    {
        if (!peek()) fail(pos_ == 0 ? "empty filter" : "the filter ends after '" + tokens_[pos_ - 1] + "'");
        auto node = std::make_shared<Node>();
        bool qualified = false;
        if (is_proto(*peek())) {
            node->proto = tokens_[pos_++];
            node->kind = Node::Kind::proto;
            qualified = true;
        }
        if (accept("src")) node->dir = Node::Dir::src, qualified = true;
        else if (accept("dst")) node->dir = Node::Dir::dst, qualified = true;
        std::string type;
        if (peek() && (*peek() == "host" || *peek() == "net" || *peek() == "port")) type = tokens_[pos_++];
        if (type.empty()) {
            // "tcp" alone is a protocol test; "src 1.2.3.4" means "src host 1.2.3.4".
            if (node->kind == Node::Kind::proto && node->dir == Node::Dir::either) return node;
            if (!qualified) fail("unknown word '" + *peek() + "' (expected tcp, udp, icmp, ip, arp, src, dst, host, net, "
                                 "port, not or '(')");
            type = "host";
        }
        if (!peek() || *peek() == "and" || *peek() == "or" || *peek() == ")")
            fail("'" + type + "' needs a value after it");
        const std::string value = tokens_[pos_++];
        if (type == "port") {
            if (node->proto == "icmp" || node->proto == "arp" || node->proto == "ip")
                fail("'" + node->proto + " port': only tcp and udp have ports");
            node->ports = parse_port_range(value);
            node->kind = Node::Kind::port;
        } else {
            if (!node->proto.empty() && node->proto != "ip")
                fail("'" + node->proto + " " + type + "': write '" + node->proto + " and " + type + " " + value + "'");
            node->network = type == "host" ? Cidr{parse_ipv4(value), 32} : parse_cidr(value);
            if (type == "host" && value.find('/') != std::string::npos) fail("a host is one address; use 'net " + value + "'");
            node->kind = type == "host" ? Node::Kind::host : Node::Kind::net;
        }
        return node;
    }

    std::vector<std::string> tokens_;
    std::size_t pos_ = 0;
};

bool proto_matches(const std::string& proto, const Frame& f)
{
    if (proto == "ip") return f.ipv4;
    if (proto == "arp") return f.ethertype == 0x0806;
    if (!f.ipv4) return false;
    if (proto == "tcp") return f.protocol == 6;
    if (proto == "udp") return f.protocol == 17;
    if (proto == "icmp") return f.protocol == 1;
    return true;
}

bool eval(const Node& n, const Frame& f)
{
    using K = Node::Kind;
    using D = Node::Dir;
    switch (n.kind) {
    case K::all:
        for (const auto& c : n.children)
            if (!eval(*c, f)) return false;
        return true;
    case K::any_of:
        for (const auto& c : n.children)
            if (eval(*c, f)) return true;
        return false;
    case K::negate: return !eval(*n.children[0], f);
    case K::proto: return proto_matches(n.proto, f);
    case K::host:
    case K::net:
        if (!f.ipv4) return false;
        return (n.dir != D::dst && n.network.contains(f.source)) || (n.dir != D::src && n.network.contains(f.destination));
    case K::port:
        if (!f.has_ports) return false;
        if (!n.proto.empty() && !proto_matches(n.proto, f)) return false;
        return (n.dir != D::dst && n.ports.contains(f.source_port)) ||
               (n.dir != D::src && n.ports.contains(f.destination_port));
    }
    return false;
}

} // namespace

Filter Filter::parse(std::string_view text)
{
    Filter filter;
    auto tokens = tokens_of(text);
    if (tokens.empty()) return filter;
    filter.root_ = Parser(std::move(tokens)).parse();
    return filter;
}

bool Filter::matches(const Frame& frame) const { return !root_ || eval(*root_, frame); }

} // namespace lab04
