// The one analysis pipeline that the indexer and the query parser both call:
// tokenize -> fold -> (surface token with position) + Snowball stem (no position).
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/analysis/stemmer.h"
#include "common/analysis/tokenizer.h"

namespace morgue {

struct AnalyzedToken {
  Token surface;     // folded surface form with position and byte span
  std::string stem;  // Snowball English stem of surface.text
  bool operator==(const AnalyzedToken&) const = default;
};

// Not thread-safe (it owns a Stemmer): one Analyzer per thread.
class Analyzer {
 public:
  // The stem cache is larger than a core's L2 cache: each word's entry is asked for
  // (prefetch_stem) this many words before it is read. Without it a million-article
  // build's analysis workers took about 15% more CPU; 16 words did no better
  // (docs/ANALYSIS.md).
  static constexpr size_t kStemLookahead = 8;

  // Appends the analysed tokens of `text`, positions from `first_position`; returns the
  // next free position. Requires valid UTF-8.
  uint32_t analyze(std::string_view text, uint32_t first_position,
                   std::vector<AnalyzedToken>& out);

  // The same tokens, handed to visit(Token& surface, std::string_view stem) one by one,
  // in order (surface may be moved from), without copying them into AnalyzedTokens (the
  // string moves were most of analyze()'s own time in the indexer). `stem` is valid only
  // during the call.
  template <class Visit>
  uint32_t for_each_token(std::string_view text, uint32_t first_position, Visit&& visit) {
    uint32_t next = 0;
    std::span<Token> tokens = this->tokens(text, first_position, next);
    for (size_t i = 0; i < tokens.size(); ++i) {
      if (i + kStemLookahead < tokens.size())
        stemmer_.prefetch(tokens[i + kStemLookahead].text);
      visit(tokens[i], stemmer_.stem_view(tokens[i].text));
    }
    return next;
  }

  // The folded surface tokens of `text` alone, positions from `first_position`, for a
  // caller that stems only some of them (stem_view): valid until the next call. `next`
  // gets the position after the last one used.
  std::span<Token> tokens(std::string_view text, uint32_t first_position, uint32_t& next) {
    if (tokens_.capacity() > kKeptTokens) tokens_ = std::vector<Token>();
    tokens_.clear();
    next = tokenize(text, first_position, tokens_);
    return tokens_;
  }

  void prefetch_stem(std::string_view folded_word) const { stemmer_.prefetch(folded_word); }
  // The stem of one folded word, as for_each_token() hands it: valid until the next call.
  std::string_view stem_view(std::string_view folded_word) {
    return stemmer_.stem_view(folded_word);
  }

  // The stem of one folded word, as analyze() computes it.
  std::string stem(std::string_view folded_word) { return stemmer_.stem(folded_word); }

 private:
  Stemmer stemmer_;
  // analyze()'s tokens before stemming, kept from call to call: a vector grown from
  // nothing for every text, its reallocations took 2% of the analysis micro bench. Not
  // kept past kKeptTokens (48 KB), which no memory budget counts.
  static constexpr size_t kKeptTokens = 1000;
  std::vector<Token> tokens_;
};

}  // namespace morgue
