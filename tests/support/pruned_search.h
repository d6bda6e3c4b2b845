// The check that dynamic pruning does not change the top, shared by the Xapian oracle and
// the pruning tests: against the exhaustive search of the same plan, the same hits with the
// same scores, bit for bit, whether pruning starts at once or after some exact counting.
#pragma once

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>

#include "common/index/index_reader.h"
#include "query/searcher.h"

namespace morgue::testing {

// `exhaustive` is `plan`'s search with every match as a hit. With `require_skipping`, a
// pruned search past its exact count must also have passed over some matches: the caller's
// data exercised the skipping.
inline void require_pruned_top(const IndexSnapshot& snapshot, const Plan& plan,
                               const SearchResult& exhaustive, bool require_skipping) {
  struct Case {
    size_t limit, offset;
    uint64_t exact_count_limit;
  };
  for (Case c : {Case{10, 0, 0}, Case{1, 0, 0}, Case{20, 5, 0}, Case{10, 0, 100}}) {
    CAPTURE(c.limit, c.offset, c.exact_count_limit);
    SearchOptions options;
    options.limit = c.limit;
    options.offset = c.offset;
    options.exact_count_limit = c.exact_count_limit;
    auto pruned = search(snapshot, plan, options);
    REQUIRE(pruned.is_ok());
    size_t expected =
        std::min(exhaustive.hits.size() - std::min(exhaustive.hits.size(), c.offset), c.limit);
    REQUIRE(pruned->hits.size() == expected);
    for (size_t i = 0; i < expected; ++i) {
      CAPTURE(i);
      REQUIRE(pruned->hits[i].global == exhaustive.hits[c.offset + i].global);
      REQUIRE(pruned->hits[i].score == exhaustive.hits[c.offset + i].score);
    }
    REQUIRE(pruned->total <= exhaustive.total);
    if (pruned->total_exact) REQUIRE(pruned->total == exhaustive.total);
    if (c.exact_count_limit > 0 && exhaustive.total < c.exact_count_limit)
      REQUIRE(pruned->total_exact);
    if (require_skipping && exhaustive.total > c.exact_count_limit)
      REQUIRE(pruned->total < exhaustive.total);
  }
}

}  // namespace morgue::testing
