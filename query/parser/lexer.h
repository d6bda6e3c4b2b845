// Splits query text into tokens with their columns, for the parser's error carets.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace morgue {

enum class TokenKind {
  kWord,    // rafah, 32,000, el-salvador, 2024-03-01..2024-04-30
  kPhrase,  // "joint statement" (text without the quotes)
  kField,   // place:  (text is the field name, lower-cased)
  kLParen,
  kRParen,
  kAnd,
  kOr,
  kNot,     // NOT, or '-' before a clause
  kEnd,
};

struct QueryToken {
  TokenKind kind;
  std::string text;
  size_t column;  // 1-based, in characters (code points) of the query
};

struct LexError {
  std::string message;
  size_t column;
};

// Tokenizes `query` (which must be valid UTF-8: the parser checks first). Returns false
// with `error` set for an unterminated quote or a field with nothing after it.
bool lex_query(std::string_view query, std::vector<QueryToken>& tokens, LexError& error);

}  // namespace morgue
