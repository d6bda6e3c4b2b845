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
std::vector<Impact> compute_impacts(std::span<const uint32_t> wdfs,
                                    std::span<const uint32_t> doclens);

// count:varint, then the first pair (wdf:varint doclen:varint) and each next as its
// increases minus one (both strictly increase).
void encode_impacts(std::span<const Impact> impacts, std::string& out);

// Decodes a frontier into out[0..count); false if the bytes do not hold one.
bool decode_impacts(ByteReader& in, Impact (&out)[kMaxImpacts], size_t& count);

}  // namespace morgue
