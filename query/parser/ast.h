// The parsed query: a tree of words, phrases, field filters, date ranges and boolean
// operators, free of index concepts (the planner maps fields to term prefixes).
// to_string() gives its canonical form, used by golden tests and --explain.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace morgue {

enum class NodeKind {
  kWord,       // a bare word: matches any inflection (its stem)
  kPhrase,     // "quoted words": exact words at consecutive positions (one word: exact)
  kFilter,     // field:value for entity, person, org, place, topic, source, id, author
  kDateRange,  // date:FROM..TO
  kAnd,
  kOr,
  kAndNot,     // children[0] AND NOT children[1]
  kMatchAll,   // every document (the positive side of a query that is only negative)
};

// Where words and phrases are looked for.
enum class TextField { kText, kHeadline };

// The filter fields. Filters match exactly and do not score.
enum class FilterField { kEntity, kPerson, kOrg, kPlace, kTopic, kSource, kId, kAuthor };

std::string_view filter_field_name(FilterField field);  // "place"

struct Node {
  NodeKind kind = NodeKind::kMatchAll;
  TextField text_field = TextField::kText;     // kWord, kPhrase
  std::string text;                            // kWord: the word as typed; kPhrase: the
                                               // quoted text; kFilter: normalized value
  FilterField filter = FilterField::kEntity;   // kFilter
  int64_t from = INT64_MIN;                    // kDateRange, inclusive UTC seconds
  int64_t to = INT64_MAX;
  std::vector<std::unique_ptr<Node>> children;  // kAnd, kOr (2+), kAndNot (2)

  static std::unique_ptr<Node> make(NodeKind kind) {
    auto n = std::make_unique<Node>();
    n->kind = kind;
    return n;
  }
};

// Canonical, fully parenthesised form:
//   rafah   headline:rafah   "joint statement"   headline:"ceasefire talks"
//   (FILTER place el-salvador)   (DATE 2024-03-01..2024-04-30)   (DATE ..2024-04-30)
//   (AND a b c)   (OR a b)   (NOT a b) for a AND NOT b   (ALL)
std::string to_string(const Node& node);

// The same query in morgue's query syntax (parse(to_query_syntax(n)) has n's to_string).
std::string to_query_syntax(const Node& node);

}  // namespace morgue
