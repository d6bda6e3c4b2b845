// Writes the in-memory segment (the Inverter) as an immutable segment on disk, numbering
// its live documents in publication order (ties by article id).
#pragma once

#include <string>

#include "common/codec/block_codec.h"
#include "common/format/manifest.h"
#include "common/store/store_writer.h"
#include "indexer/index/inverter.h"

namespace morgue {

// zstd level of the store of a segment that a build's final merge will rewrite: such a
// store is left uncompressed (kStoreRawLevel, no dictionary), since only that merge reads
// it. zstd's fastest level, -30, still searched for matches, to shrink the text by about 5%
// (docs/BENCHMARKS.md).
inline constexpr int kTemporaryStoreZstdLevel = kStoreRawLevel;

// Requires: inverter.live_count() > 0. The files are durable on return; the segment is not
// in any manifest until the writer commits. `temporary`: the store is written at
// kTemporaryStoreZstdLevel, and the postings carry loose score bounds
// (ScoreBounds::kLooseForMerge): the segment is for a build's final merge to rewrite.
Result<SegmentMeta> flush_segment(const std::string& dir, uint64_t number,
                                  const Inverter& inverter, const BlockCodec& codec,
                                  bool temporary = false);

}  // namespace morgue
