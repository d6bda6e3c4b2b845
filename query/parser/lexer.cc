#include "query/parser/lexer.h"

namespace morgue {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool is_continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }
bool is_ascii_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

}  // namespace

bool lex_query(std::string_view q, std::vector<QueryToken>& tokens, LexError& error) {
  tokens.clear();
  // Columns count code points, so the caret lines up under non-ASCII text too.
  std::vector<size_t> column_at(q.size() + 1);
  size_t points = 0;
  for (size_t i = 0; i < q.size(); ++i) {
    if (!is_continuation(q[i])) ++points;
    column_at[i] = points;
  }
  column_at[q.size()] = points + 1;

  size_t i = 0;
  bool clause_start = true;  // a '-' here negates the next clause
  while (i < q.size()) {
    char c = q[i];
    if (is_space(c)) {
      ++i;
      clause_start = true;
      continue;
    }
    size_t start = i;
    if (c == '(' || c == ')') {
      tokens.push_back({c == '(' ? TokenKind::kLParen : TokenKind::kRParen, std::string(1, c),
                        column_at[i]});
      ++i;
      clause_start = c == '(';
      continue;
    }
    if (c == '"') {
      size_t close = q.find('"', i + 1);
      if (close == std::string_view::npos) {
        error = {"unterminated quote: a phrase needs a closing \"", column_at[i]};
        return false;
      }
      tokens.push_back({TokenKind::kPhrase, std::string(q.substr(i + 1, close - i - 1)), column_at[i]});
      i = close + 1;
      clause_start = false;
      continue;
    }
    // One dash before a clause negates it; a run of dashes ("--", "---") is a typed dash.
    if (c == '-' && clause_start && i + 1 < q.size() && !is_space(q[i + 1]) && q[i + 1] != '-') {
      tokens.push_back({TokenKind::kNot, "-", column_at[i]});
      ++i;
      continue;
    }
    // Dashes that do not negate (one standing alone, or after a group or a phrase: (a)-b)
    // are punctuation, as the analyser treats them; kept, they would make words that cannot
    // be written back at the start of a clause without turning into a NOT.
    while (i < q.size() && q[i] == '-') ++i;
    auto ends_word = [&](size_t k) {
      return k >= q.size() || is_space(q[k]) || q[k] == '(' || q[k] == ')' || q[k] == '"';
    };
    if (ends_word(i)) {
      clause_start = true;
      continue;
    }
    start = i;
    while (!ends_word(i)) ++i;
    std::string word(q.substr(start, i - start));
    clause_start = false;
    if (word == "AND" || word == "OR" || word == "NOT") {
      TokenKind kind = word == "AND" ? TokenKind::kAnd : word == "OR" ? TokenKind::kOr : TokenKind::kNot;
      tokens.push_back({kind, word, column_at[start]});
      clause_start = true;
      continue;
    }
    // "field:value": a field name is letters only; anything else with a colon (10:30) is
    // a word.
    size_t colon = word.find(':');
    bool field = colon != std::string::npos && colon > 0;
    for (size_t k = 0; field && k < colon; ++k) field = is_ascii_letter(word[k]);
    if (!field) {
      tokens.push_back({TokenKind::kWord, word, column_at[start]});
      continue;
    }
    std::string name = word.substr(0, colon);
    for (char& ch : name) ch = static_cast<char>(ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch);
    tokens.push_back({TokenKind::kField, name, column_at[start]});
    std::string value = word.substr(colon + 1);
    if (!value.empty()) {
      tokens.push_back({TokenKind::kWord, value, column_at[start + colon + 1]});
    } else if (i >= q.size() || is_space(q[i]) || q[i] == ')') {
      error = {"'" + name + ":' needs a value after it", column_at[start]};
      return false;
    }
  }
  tokens.push_back({TokenKind::kEnd, "", column_at[q.size()]});
  return true;
}

}  // namespace morgue
