#include "common/analysis/analyzer.h"

namespace morgue {

uint32_t Analyzer::analyze(std::string_view text, uint32_t first_position,
                           std::vector<AnalyzedToken>& out) {
  uint32_t next = 0;
  const FoldedWords& folded = words(text, first_position, next);
  const std::vector<FoldedWord>& words = folded.words;
  out.reserve(out.size() + words.size());
  for (size_t i = 0; i < words.size(); ++i) {
    if (i + kStemLookahead < words.size())
      stemmer_.prefetch(folded.text_of(words[i + kStemLookahead]));
    out.push_back({folded.token(words[i]),
                   std::string(stemmer_.stem_view(folded.text_of(words[i])))});
  }
  return next;
}

}  // namespace morgue
