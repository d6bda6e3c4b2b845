#include "query/parser/parser.h"

#include <fmt/format.h>

#include "common/analysis/folding.h"
#include "common/analysis/utf8.h"
#include "common/base/time.h"
#include "query/parser/lexer.h"

namespace morgue {
namespace {

struct FieldInfo {
  std::string_view name;
  bool is_filter;
  FilterField filter;
};

constexpr FieldInfo kFields[] = {
    {"headline", false, FilterField::kEntity}, {"entity", true, FilterField::kEntity},
    {"person", true, FilterField::kPerson},    {"org", true, FilterField::kOrg},
    {"place", true, FilterField::kPlace},      {"topic", true, FilterField::kTopic},
    {"source", true, FilterField::kSource},    {"id", true, FilterField::kId},
    {"author", true, FilterField::kAuthor},    {"date", false, FilterField::kEntity},
};

// Thrown inside the parser only, caught by parse_query: it keeps each rule short.
struct Failure {
  ParseError error;
};

[[noreturn]] void fail(size_t column, std::string message) { throw Failure{{std::move(message), column}}; }

// "2024", "2024-03", "2024-03-01" -> [start, end] of that year, month or day.
bool parse_period(std::string_view s, int64_t& start, int64_t& end) {
  auto digits = [&](size_t at, size_t n, int& out) {
    if (at + n > s.size()) return false;
    out = 0;
    for (size_t k = at; k < at + n; ++k) {
      if (s[k] < '0' || s[k] > '9') return false;
      out = out * 10 + (s[k] - '0');
    }
    return true;
  };
  int y = 0, m = 1, d = 1;
  if (!digits(0, 4, y)) return false;
  if (s.size() == 4) {
    start = utc_seconds(y, 1, 1);
    end = utc_seconds(y + 1, 1, 1) - 1;
    return true;
  }
  if (s.size() < 7 || s[4] != '-' || !digits(5, 2, m) || m < 1 || m > 12) return false;
  if (s.size() == 7) {
    start = utc_seconds(y, m, 1);
    end = (m == 12 ? utc_seconds(y + 1, 1, 1) : utc_seconds(y, m + 1, 1)) - 1;
    return true;
  }
  if (s.size() != 10 || s[7] != '-' || !digits(8, 2, d) || !is_valid_date(y, m, d)) return false;
  start = utc_seconds(y, m, d);
  end = start + 86399;
  return true;
}

class Parser {
 public:
  Parser(std::vector<QueryToken> tokens, const ParseOptions& options)
      : tokens_(std::move(tokens)), options_(options) {}

  std::unique_ptr<Node> parse() {
    if (peek().kind == TokenKind::kEnd) fail(peek().column, "empty query");
    auto node = parse_or();
    if (peek().kind == TokenKind::kRParen) fail(peek().column, "unmatched ')'");
    if (peek().kind != TokenKind::kEnd) fail(peek().column, "unexpected '" + peek().text + "'");
    return node;
  }

 private:
  const QueryToken& peek() const { return tokens_[pos_]; }
  const QueryToken& take() { return tokens_[pos_++]; }

  // Can the current token start a clause?
  bool at_clause_start() const {
    TokenKind k = peek().kind;
    return k == TokenKind::kWord || k == TokenKind::kPhrase || k == TokenKind::kField ||
           k == TokenKind::kLParen || k == TokenKind::kNot;
  }

  static std::unique_ptr<Node> join(NodeKind kind, std::vector<std::unique_ptr<Node>> parts) {
    if (parts.size() == 1) return std::move(parts[0]);
    auto n = Node::make(kind);
    for (auto& p : parts) {
      if (p->kind == kind) {  // flatten (a AND b) AND c
        for (auto& c : p->children) n->children.push_back(std::move(c));
      } else {
        n->children.push_back(std::move(p));
      }
    }
    return n;
  }

  std::unique_ptr<Node> parse_or() {
    std::vector<std::unique_ptr<Node>> parts;
    parts.push_back(parse_and());
    while (true) {
      if (peek().kind == TokenKind::kOr) {
        const QueryToken& op = take();
        if (!at_clause_start()) fail(op.column, "OR needs a clause after it");
        parts.push_back(parse_and());
      } else if (options_.default_or && at_clause_start() && peek().kind != TokenKind::kNot) {
        parts.push_back(parse_and());
      } else {
        break;
      }
    }
    return join(NodeKind::kOr, std::move(parts));
  }

  std::unique_ptr<Node> parse_and() {
    std::vector<std::unique_ptr<Node>> positive, negative;
    auto add = [&](std::unique_ptr<Node> n, bool negated) {
      // "NOT x" is parsed by parse_unary as (NOT (ALL) x): take x as a negative clause.
      if (negated) {
        negative.push_back(std::move(n));
      } else if (n->kind == NodeKind::kAndNot && n->children[0]->kind == NodeKind::kMatchAll) {
        negative.push_back(std::move(n->children[1]));
      } else {
        positive.push_back(std::move(n));
      }
    };
    add(parse_unary(), false);
    while (true) {
      TokenKind k = peek().kind;
      if (k == TokenKind::kAnd) {
        const QueryToken& op = take();
        if (!at_clause_start()) fail(op.column, "AND needs a clause after it");
        add(parse_unary(), false);
      } else if (k == TokenKind::kNot) {
        add(parse_unary(), false);
      } else if (!options_.default_or && at_clause_start()) {
        add(parse_unary(), false);
      } else {
        break;
      }
    }
    std::unique_ptr<Node> result =
        positive.empty() ? Node::make(NodeKind::kMatchAll) : join(NodeKind::kAnd, std::move(positive));
    if (negative.empty()) return result;
    auto n = Node::make(NodeKind::kAndNot);
    n->children.push_back(std::move(result));
    n->children.push_back(join(NodeKind::kOr, std::move(negative)));
    return n;
  }

  std::unique_ptr<Node> parse_unary() {
    if (peek().kind == TokenKind::kNot) {
      const QueryToken& op = take();
      if (!at_clause_start()) fail(op.column, op.text + " needs a clause after it");
      enter(op);
      auto n = Node::make(NodeKind::kAndNot);
      n->children.push_back(Node::make(NodeKind::kMatchAll));
      n->children.push_back(parse_unary());
      --depth_;
      return n;
    }
    return parse_primary();
  }

  std::unique_ptr<Node> parse_group() {
    const QueryToken& open = take();
    if (peek().kind == TokenKind::kRParen) fail(open.column, "empty parentheses");
    if (!at_clause_start()) fail(peek().column, "unexpected '" + peek().text + "'");
    enter(open);
    auto inner = parse_or();
    if (peek().kind != TokenKind::kRParen) fail(open.column, "unmatched '('");
    take();
    --depth_;
    return inner;
  }

  // One level deeper, at `token` (an opening parenthesis or a NOT): refused past
  // max_nesting, before the recursion could exhaust the stack.
  void enter(const QueryToken& token) {
    if (++depth_ > options_.max_nesting) {
      fail(token.column, fmt::format("parentheses and NOTs nested more than {} deep",
                                     options_.max_nesting));
    }
  }

  std::unique_ptr<Node> parse_primary() {
    const QueryToken& t = peek();
    switch (t.kind) {
      case TokenKind::kLParen: return parse_group();
      case TokenKind::kWord: {
        take();
        auto n = Node::make(NodeKind::kWord);
        n->text = t.text;
        return n;
      }
      case TokenKind::kPhrase: {
        take();
        if (t.text.find_first_not_of(" \t") == std::string::npos) fail(t.column, "empty phrase");
        auto n = Node::make(NodeKind::kPhrase);
        n->text = t.text;
        return n;
      }
      case TokenKind::kField: return parse_field();
      case TokenKind::kRParen: fail(t.column, "unmatched ')'");
      case TokenKind::kEnd: fail(t.column, "the query ends where a clause was expected");
      default: fail(t.column, "unexpected '" + t.text + "'");
    }
  }

  std::unique_ptr<Node> parse_field() {
    const QueryToken& field = take();
    const FieldInfo* info = nullptr;
    for (const FieldInfo& f : kFields)
      if (f.name == field.text) info = &f;
    if (!info) {
      fail(field.column, "unknown field '" + field.text +
                             "' (known: headline, entity, person, org, place, topic, source, "
                             "id, author, date)");
    }
    if (info->name == "date") {
      if (peek().kind != TokenKind::kWord) fail(field.column, "date: needs a date or range, e.g. date:2024-03");
      return parse_date(take());
    }
    std::unique_ptr<Node> value;
    if (peek().kind == TokenKind::kLParen) {
      value = parse_group();
    } else if (peek().kind == TokenKind::kWord || peek().kind == TokenKind::kPhrase) {
      value = parse_primary();
    } else {
      fail(field.column, "'" + field.text + ":' needs a value after it");
    }
    apply_field(*value, *info, field.column);
    return value;
  }

  // Gives every word and phrase of `n` the field.
  void apply_field(Node& n, const FieldInfo& info, size_t column) {
    switch (n.kind) {
      case NodeKind::kWord:
      case NodeKind::kPhrase:
        if (!info.is_filter) {
          n.text_field = TextField::kHeadline;
          return;
        }
        n.filter = info.filter;
        n.text = info.filter == FilterField::kId ? n.text : normalize_name(n.text);
        if (n.text.empty()) fail(column, std::string(info.name) + ": the value has no letters or digits");
        n.kind = NodeKind::kFilter;
        return;
      case NodeKind::kFilter:
      case NodeKind::kDateRange:
        fail(column, "a field cannot apply to another field");
      default:
        for (auto& c : n.children) apply_field(*c, info, column);
    }
  }

  std::unique_ptr<Node> parse_date(const QueryToken& value) {
    std::string_view v = value.text;
    auto n = Node::make(NodeKind::kDateRange);
    size_t dots = v.find("..");
    int64_t start, end;
    auto bad = [&]() {
      fail(value.column, "'" + value.text + "' is not a date or range (2024, 2024-03, 2024-03-01, "
                                            "FROM..TO, FROM.. or ..TO)");
    };
    if (dots == std::string_view::npos) {
      if (!parse_period(v, start, end)) bad();
      n->from = start;
      n->to = end;
      return n;
    }
    std::string_view from = v.substr(0, dots), to = v.substr(dots + 2);
    if (from.empty() && to.empty()) bad();
    if (!from.empty()) {
      if (!parse_period(from, start, end)) bad();
      n->from = start;
    }
    if (!to.empty()) {
      if (!parse_period(to, start, end)) bad();
      n->to = end;
    }
    if (n->from > n->to) fail(value.column, "the range ends before it starts");
    return n;
  }

  std::vector<QueryToken> tokens_;
  ParseOptions options_;
  size_t pos_ = 0;
  size_t depth_ = 0;  // parentheses and NOTs open around the current token
};

}  // namespace

ParseResult parse_query(std::string_view text, const ParseOptions& options) {
  ParseResult result;
  if (auto bad = find_invalid_utf8(text)) {
    size_t column = 1;
    for (size_t i = 0; i < *bad; ++i)
      if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++column;
    result.error = {"invalid UTF-8 in the query", column};
    return result;
  }
  std::vector<QueryToken> tokens;
  LexError lex_error;
  if (!lex_query(text, tokens, lex_error)) {
    result.error = {lex_error.message, lex_error.column};
    return result;
  }
  try {
    result.query = Parser(std::move(tokens), options).parse();
  } catch (const Failure& f) {
    result.error = f.error;
  }
  return result;
}

std::string format_parse_error(std::string_view query, const ParseError& error) {
  return fmt::format("  {}\n  {}^\n{}", query, std::string(error.column - 1, ' '), error.message);
}

}  // namespace morgue
