// Runs a planned query over every segment of a snapshot: exact match counts, top-k by BM25
// (ties by document number) or by date, deleted documents never returned.
#pragma once

#include <cstdint>
#include <vector>

#include "common/index/index_reader.h"
#include "query/plan.h"
#include "query/search/doc_iterator.h"

namespace morgue {

enum class SortOrder { kRelevance, kNewest, kOldest };

struct SearchOptions {
  size_t limit = 10;
  size_t offset = 0;
  SortOrder sort = SortOrder::kRelevance;
};

struct Hit {
  size_t segment = 0;
  DocNum doc = 0;        // in its segment
  uint64_t global = 0;   // segment base + doc: the order Xapian's docids follow
  double score = 0;
  int64_t published = 0;
};

struct SearchResult {
  uint64_t total = 0;      // live documents matching, exactly
  std::vector<Hit> hits;   // ranks offset+1 .. offset+limit
};

Result<SearchResult> search(const IndexSnapshot& snapshot, const Plan& plan,
                            const SearchOptions& options);

// The iterator tree for one segment (exposed for tests and benches).
Result<DocIteratorPtr> build_iterator(const IndexSnapshot& snapshot, size_t segment,
                                      const Plan& plan);

}  // namespace morgue
