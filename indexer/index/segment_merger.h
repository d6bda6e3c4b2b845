// Merges segments into one: live documents only (deletions are purged), renumbered in
// publication order (ties by article id), terms merged in bytewise order. Streams term by
// term, so memory stays bounded by the largest single posting list, not the index.
#pragma once

#include <string>
#include <vector>

#include "common/codec/block_codec.h"
#include "common/format/deletions.h"
#include "common/format/manifest.h"
#include "common/index/segment_reader.h"

namespace morgue {

struct MergeInput {
  const SegmentReader* segment;
  const DeletionSet* deletions;  // the writer's current view (may be ahead of the reader's)
};

// Writes segment `number` in `dir` from the inputs. Returns its manifest entry; doc_count 0
// (and no files) if no input document is live.
Result<SegmentMeta> merge_into_segment(const std::string& dir, uint64_t number,
                                       const std::vector<MergeInput>& inputs,
                                       const BlockCodec& codec);

}  // namespace morgue
