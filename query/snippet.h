// The best passage of an article for a query, with the matched words marked.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/analysis/analyzer.h"
#include "query/plan.h"

namespace morgue {

// What a snippet highlights: the words and stems the query's scoring terms name.
struct MatchTerms {
  std::vector<std::string> surfaces;  // folded words (from phrases and exact words)
  std::vector<std::string> stems;     // stems (from bare words)
};
MatchTerms match_terms(const Plan& plan);

struct SnippetStyle {
  std::string_view open;   // written before a matched word ("\x1b[1;31m" or "")
  std::string_view close;  // and after it
};

// The window of about `words` words of `text` holding the most distinct query words (the
// earliest such window on a tie; the start of the text if nothing matches), whitespace
// collapsed, "…" where it is cut, matched words wrapped in the style's markers.
std::string make_snippet(std::string_view text, const MatchTerms& terms, Analyzer& analyzer,
                         const SnippetStyle& style, size_t words = 30);

}  // namespace morgue
