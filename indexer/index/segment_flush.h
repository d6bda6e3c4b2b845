// Writes the in-memory segment (the Inverter) as an immutable segment on disk, numbering
// its live documents in publication order (ties by article id).
#pragma once

#include <string>

#include "common/codec/block_codec.h"
#include "common/format/manifest.h"
#include "indexer/index/inverter.h"

namespace morgue {

// Requires: inverter.live_count() > 0. The files are durable on return; the segment is not
// in any manifest until the writer commits.
Result<SegmentMeta> flush_segment(const std::string& dir, uint64_t number,
                                  const Inverter& inverter, const BlockCodec& codec);

}  // namespace morgue
