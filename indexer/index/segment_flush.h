// Writes the in-memory segment (the Inverter) as an immutable segment on disk, numbering
// its live documents in publication order (ties by article id).
#pragma once

#include <string>

#include "common/codec/block_codec.h"
#include "common/format/manifest.h"
#include "indexer/index/inverter.h"

namespace morgue {

// zstd level of the store of a segment that a build's final merge will rewrite: such a
// store is written fast (and without a dictionary), since only that merge reads it. At
// -30 zstd barely compresses (about 95% of the text) but runs about 7x faster than at
// level 1 and decompresses 5x faster; a million-article build took 7.5 CPU-s (5%) less
// than at level 1, for 0.5 GB more of temporary files (docs/BENCHMARKS.md).
inline constexpr int kTemporaryStoreZstdLevel = -30;

// Requires: inverter.live_count() > 0. The files are durable on return; the segment is not
// in any manifest until the writer commits. `temporary`: the store is compressed at
// kTemporaryStoreZstdLevel without a dictionary, and the postings carry loose score bounds
// (ScoreBounds::kLooseForMerge): the segment is for a build's final merge to rewrite.
Result<SegmentMeta> flush_segment(const std::string& dir, uint64_t number,
                                  const Inverter& inverter, const BlockCodec& codec,
                                  bool temporary = false);

}  // namespace morgue
