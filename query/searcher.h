// Runs a planned query over every segment of a snapshot: top-k by BM25 (ties by document
// number) or by date, deleted documents never returned, match counts exact up to a limit.
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
  // Ranked searches count matches exactly until this many; from then on they skip the
  // documents that cannot reach the top (dynamic pruning), and the count becomes a lower
  // bound. The top hits are the same either way. UINT64_MAX: always count exactly.
  uint64_t exact_count_limit = UINT64_MAX;
};

struct Hit {
  size_t segment = 0;
  DocNum doc = 0;        // in its segment
  uint64_t global = 0;   // segment base + doc: the order Xapian's docids follow
  double score = 0;
  int64_t published = 0;
};

struct SearchResult {
  uint64_t total = 0;        // live documents matching (at least this many unless exact)
  bool total_exact = true;
  std::vector<Hit> hits;     // ranks offset+1 .. offset+limit
};

Result<SearchResult> search(const IndexSnapshot& snapshot, const Plan& plan,
                            const SearchOptions& options);

// The iterator tree for one segment (exposed for tests and benches).
Result<DocIteratorPtr> build_iterator(const IndexSnapshot& snapshot, size_t segment,
                                      const Plan& plan);

}  // namespace morgue
