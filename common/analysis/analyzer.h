// The one analysis pipeline that the indexer and the query parser both call:
// tokenize -> fold -> (surface token with position) + Snowball stem (no position).
#pragma once

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

  // The folded words of `text` alone, positions from `first_position`, for a caller that
  // stems only some of them (stem_view): valid until the next call. `next` gets the
  // position after the last one used.
  const FoldedWords& words(std::string_view text, uint32_t first_position, uint32_t& next) {
    if (words_.words.capacity() > kKeptWords || words_.text.capacity() > kKeptTextBytes)
      words_ = FoldedWords();
    words_.clear();
    next = tokenize(text, first_position, words_);
    return words_;
  }

  void prefetch_stem(std::string_view folded_word) const { stemmer_.prefetch(folded_word); }
  // The stem of one folded word: valid until the next call.
  std::string_view stem_view(std::string_view folded_word) {
    return stemmer_.stem_view(folded_word);
  }

  // The stem of one folded word, as analyze() computes it.
  std::string stem(std::string_view folded_word) { return stemmer_.stem(folded_word); }

 private:
  Stemmer stemmer_;
  // words()' words, kept from call to call: a vector grown from nothing for every text,
  // its reallocations took 2% of the analysis micro bench. Not kept past kKeptWords
  // (20 KB) and kKeptTextBytes, which no memory budget counts.
  static constexpr size_t kKeptWords = 1000;
  static constexpr size_t kKeptTextBytes = 16384;
  FoldedWords words_;
};

}  // namespace morgue
