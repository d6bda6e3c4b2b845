// Article -> the terms the index holds for it, with within-document frequencies and
// positions: the single definition the index writer, deletions and the Xapian oracle share.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/analysis/analyzer.h"
#include "common/article/article.h"
#include "common/base/hash.h"

namespace morgue {

struct TermOccurrences {
  // Where its bytes are in ArticleTerms::text (ArticleTerms::term).
  uint32_t term_begin = 0;
  uint32_t term_size = 0;
  uint32_t wdf = 0;  // 0 for filter terms
  // Where its positions are in ArticleTerms::positions (ArticleTerms::positions_of): words
  // of the text and the headline have them, other terms none. The index stores the text
  // words' only (has_positions); the Xapian oracle holds both.
  uint32_t positions_begin = 0;
  uint32_t position_count = 0;
  // short_key_hash(term), made with the term on the analysis's threads: the index writer's
  // term table is keyed by it.
  uint64_t hash = 0;
  bool operator==(const TermOccurrences&) const = default;
};

struct ArticleTerms {
  // Each term once, in the order of its first occurrence (headline, body, then filters);
  // not sorted.
  std::vector<TermOccurrences> terms;
  // Every term's bytes end to end, and every term's positions (each term's increasing) end
  // to end: an article's hundred-odd terms cost two buffers, not a string and an array
  // each.
  std::string text;
  std::vector<uint32_t> positions;
  uint32_t doclen = 0;  // sum of wdf (Xapian's document length)
  // Equal when built alike: the same terms in the same order, laid out the same way.
  bool operator==(const ArticleTerms&) const = default;

  std::string_view term(const TermOccurrences& t) const {
    return {text.data() + t.term_begin, t.term_size};
  }
  std::span<const uint32_t> positions_of(const TermOccurrences& t) const {
    return {positions.data() + t.positions_begin, t.position_count};
  }
  // Appends a term with its wdf and positions (increasing), as article_terms() would;
  // doclen is left to the caller. For terms made by hand (tests, benches).
  TermOccurrences& add(std::string_view term, uint32_t wdf,
                       std::span<const uint32_t> term_positions) {
    TermOccurrences& t = terms.emplace_back();
    t.term_begin = static_cast<uint32_t>(text.size());
    t.term_size = static_cast<uint32_t>(term.size());
    text += term;
    t.wdf = wdf;
    t.positions_begin = static_cast<uint32_t>(positions.size());
    t.position_count = static_cast<uint32_t>(term_positions.size());
    positions.insert(positions.end(), term_positions.begin(), term_positions.end());
    t.hash = short_key_hash(term);
    return t;
  }
};

// Analyses `article`: headline and body words (surface with positions, and stems), headline
// words again in the headline field, and the filter terms of its entities, topics, source,
// authors and id. Requires the article's strings to be valid UTF-8.
void article_terms(const Article& article, Analyzer& analyzer, ArticleTerms& out);

}  // namespace morgue
