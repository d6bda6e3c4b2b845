// The query language (docs/QUERY.md): a recursive-descent parser with error columns.
//   query    := or_expr END
//   or_expr  := and_expr ( OR and_expr | and_expr if default_or )*
//   and_expr := unary ( AND unary | NOT unary | unary unless default_or )*
//   unary    := ( NOT | '-' ) unary | primary
//   primary  := '(' or_expr ')' | FIELD ( WORD | PHRASE | '(' or_expr ')' ) | WORD | PHRASE
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "query/parser/ast.h"

namespace morgue {

// Parentheses and NOTs (or dashes) nest at most this deep in a query. The parser, the
// planner and the search recurse once a level, so a far deeper query (a fuzzer's 2,203 open
// parentheses) would exhaust the stack; no query a person writes comes near it.
inline constexpr size_t kMaxQueryNesting = 100;
// How deep to_query_syntax() may write back a query parsed within kMaxQueryNesting: it
// brackets every AND, OR and NOT, at most 3 written levels for one level of the query and 2
// at the top (3 * 100 + 2); this bound leaves room above that.
inline constexpr size_t kMaxWrittenBackNesting = 4 * (kMaxQueryNesting + 1);

struct ParseOptions {
  // Adjacent clauses are joined with OR instead of AND (morgue-query --or).
  bool default_or = false;
  // Deeper nesting is a syntax error. to_query_syntax() brackets every AND, OR and NOT, so
  // a query written back from a parsed one may nest a few times deeper than it.
  size_t max_nesting = kMaxQueryNesting;
};

struct ParseError {
  std::string message;
  size_t column = 1;  // 1-based, in characters
};

struct ParseResult {
  std::unique_ptr<Node> query;  // set on success
  ParseError error;             // set otherwise
  bool ok() const { return query != nullptr; }
};

ParseResult parse_query(std::string_view text, const ParseOptions& options = {});

// Three lines for a terminal: the query, a caret under the column, and the message.
std::string format_parse_error(std::string_view query, const ParseError& error);

}  // namespace morgue
