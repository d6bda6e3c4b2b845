// Article -> the terms the index holds for it, with within-document frequencies and
// positions: the single definition the index writer, deletions and the Xapian oracle share.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/analysis/analyzer.h"
#include "common/article/article.h"

namespace morgue {

struct TermOccurrences {
  std::string term;
  uint32_t wdf = 0;  // 0 for filter terms
  // Increasing; words of the text and the headline have them, other terms none. The index
  // stores the text words' only (has_positions); the Xapian oracle holds both.
  std::vector<uint32_t> positions;
  bool operator==(const TermOccurrences&) const = default;
};

struct ArticleTerms {
  // Each term once, in the order of its first occurrence (headline, body, then filters);
  // not sorted.
  std::vector<TermOccurrences> terms;
  uint32_t doclen = 0;                 // sum of wdf (Xapian's document length)
};

// Analyses `article`: headline and body words (surface with positions, and stems), headline
// words again in the headline field, and the filter terms of its entities, topics, source,
// authors and id. Requires the article's strings to be valid UTF-8.
void article_terms(const Article& article, Analyzer& analyzer, ArticleTerms& out);

}  // namespace morgue
