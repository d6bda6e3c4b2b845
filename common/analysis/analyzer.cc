#include "common/analysis/analyzer.h"

namespace morgue {

uint32_t Analyzer::analyze(std::string_view text, uint32_t first_position,
                           std::vector<AnalyzedToken>& out) {
  std::vector<Token>& tokens = tokens_;
  if (tokens.capacity() > kKeptTokens) tokens = std::vector<Token>();
  tokens.clear();
  uint32_t next = tokenize(text, first_position, tokens);
  out.reserve(out.size() + tokens.size());
  // The stem cache is larger than a core's L2 cache: each word's entry is asked for
  // kStemLookahead words before it is read.
  constexpr size_t kStemLookahead = 8;
  for (size_t i = 0; i < tokens.size(); ++i) {
    if (i + kStemLookahead < tokens.size()) stemmer_.prefetch(tokens[i + kStemLookahead].text);
    std::string stemmed = stemmer_.stem(tokens[i].text);
    out.push_back({std::move(tokens[i]), std::move(stemmed)});
  }
  return next;
}

}  // namespace morgue
