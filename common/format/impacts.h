// Score bounds of a run of postings, kept free of collection statistics (which change as
// segments come and go): the Pareto frontier of its (wdf, doclen) pairs. A BM25-like score
// grows with wdf and falls with document length, so its largest value over the frontier is
// its largest value over the documents: an exact bound, as Lucene's "impacts" give.
// Layout: docs/FORMAT.md#postings
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "common/base/coding.h"

namespace morgue {

struct Impact {
  uint32_t wdf = 0;
  uint32_t doclen = 0;
  bool operator==(const Impact&) const = default;
};

// Longer frontiers are coarsened: two neighbours become (the higher wdf, the lower doclen),
// which still bounds both, merging first where the bound loosens least.
inline constexpr size_t kMaxImpacts = 8;

// The frontier of the postings (wdfs[i], doclens[i]), at most kMaxImpacts pairs with wdf and
// doclen both strictly increasing; every posting has a pair with wdf >= and doclen <= its own.
// coarsen_impacts(impact_frontier(wdfs, doclens)).
std::vector<Impact> compute_impacts(std::span<const uint32_t> wdfs,
                                    std::span<const uint32_t> doclens);

// The whole frontier, not coarsened: the pairs no other posting matches or beats on both.
std::vector<Impact> impact_frontier(std::span<const uint32_t> wdfs,
                                    std::span<const uint32_t> doclens);
// The whole frontier of two runs' postings from theirs (impact_frontier's or this one's),
// into `out`, which must be neither a nor b: a term's and a group's frontiers are merged
// from their blocks', so that a posting is read once, not three times.
void merge_frontiers(std::span<const Impact> a, std::span<const Impact> b,
                     std::vector<Impact>& out);
// A whole frontier cut to at most kMaxImpacts pairs as described above.
std::vector<Impact> coarsen_impacts(std::vector<Impact> frontier);

// count:varint, then the first pair (wdf:varint doclen:varint) and each next as its
// increases minus one (both strictly increase).
void encode_impacts(std::span<const Impact> impacts, std::string& out);

// Decodes a frontier into out[0..count); false if the bytes do not hold one.
bool decode_impacts(ByteReader& in, Impact (&out)[kMaxImpacts], size_t& count);

}  // namespace morgue
