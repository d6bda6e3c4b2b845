// The analysed query: the AST with every word turned into index terms. The engine builds
// its iterators from a Plan, and the Xapian oracle builds its Xapian::Query from the same
// Plan, so the two can only differ in how they evaluate it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/analysis/analyzer.h"
#include "query/parser/ast.h"

namespace morgue {

struct Plan {
  enum class Kind {
    kTerm,    // one term; `scoring` says whether it contributes to the score
    kPhrase,  // surface terms at consecutive positions (scoring)
    kDate,    // publication date in [from, to]
    kAnd,
    kOr,
    kAndNot,  // children[0] and not children[1]
    kAll,     // every document, scoring nothing
  };
  Kind kind = Kind::kAll;
  std::string term;                // kTerm
  bool scoring = true;             // kTerm
  std::vector<std::string> terms;  // kPhrase
  int64_t from = INT64_MIN, to = INT64_MAX;
  std::vector<std::unique_ptr<Plan>> children;
};

// Analyses the query. A word is matched by its stem (Z prefix; ZS in the headline) or,
// when it splits into several words ("high-level"), as a phrase of them; a quoted phrase
// by its surface words; filters by their prefixed term. Words with nothing to search for
// ("--") are dropped; nullptr if nothing at all is left.
std::unique_ptr<Plan> plan_query(const Node& query, Analyzer& analyzer);

// Canonical form for --explain and tests: Zrafah, "joint statement", (FILTER Lgaza),
// (DATE 2024-03-01..2024-04-30), (AND ...), (OR ...), (NOT a b), (ALL).
std::string to_string(const Plan& plan);

}  // namespace morgue
