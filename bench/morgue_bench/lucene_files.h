// The two line formats morgue-bench hands to the Lucene baseline (bench/lucene/
// MorgueLucene.java), plain enough to read without a JSON library.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "common/base/status.h"
#include "query/plan.h"

namespace morgue {

// Articles, one a line: id TAB published (epoch seconds) TAB filter terms TAB headline TAB
// body. The filter terms are morgue's own (article_terms(): prefix letter + normalised name),
// separated by \x1f, so that Lucene's filter fields hold exactly the values morgue's do.
// Tabs, line breaks and \x1f inside text become spaces. The articles are those morgue-index
// reads (same readers, same checks); one whose version is lower than that of an earlier
// article with the same id is left out, as morgue and Xapian leave it out.
Status write_lucene_articles(const std::vector<std::string>& corpus, const std::string& path,
                             uint64_t& written);

// Queries, one a line: KIND TAB to_string(plan), morgue's canonical plan text. Fails if a term
// holds a character that text cannot carry unambiguously (space, parenthesis, tab, line
// break: only an id: value can).
Status write_lucene_plans(const std::vector<std::pair<std::string, const Plan*>>& queries,
                          const std::string& path);

}  // namespace morgue
