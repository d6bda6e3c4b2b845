#include "common/analysis/analyzer.h"

namespace morgue {

uint32_t Analyzer::analyze(std::string_view text, uint32_t first_position,
                           std::vector<AnalyzedToken>& out) {
  std::vector<Token>& tokens = tokens_;
  if (tokens.capacity() > kKeptTokens) tokens = std::vector<Token>();
  tokens.clear();
  uint32_t next = tokenize(text, first_position, tokens);
  out.reserve(out.size() + tokens.size());
  for (Token& t : tokens) {
    std::string stemmed = stemmer_.stem(t.text);
    out.push_back({std::move(t), std::move(stemmed)});
  }
  return next;
}

}  // namespace morgue
