#include "indexer/index/segment_flush.h"

#include <algorithm>
#include <numeric>

#include "common/analysis/field_terms.h"
#include "common/store/store_writer.h"
#include "indexer/index/segment_writer.h"

namespace morgue {
namespace {

constexpr uint32_t kDead = UINT32_MAX;

}  // namespace

Result<SegmentMeta> flush_segment(const std::string& dir, uint64_t number,
                                  const Inverter& inverter, const BlockCodec& codec) {
  // Live slots in publication order, ties by id: the same order a merge produces, so that a
  // build's result does not depend on where the RAM budget cut it.
  std::vector<uint32_t> order;
  order.reserve(inverter.live_count());
  for (uint32_t slot = 0; slot < inverter.size(); ++slot)
    if (inverter.is_live(slot)) order.push_back(slot);
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    int64_t pa = inverter.values(a).published, pb = inverter.values(b).published;
    return pa != pb ? pa < pb : inverter.id(a) < inverter.id(b);
  });
  std::vector<uint32_t> new_doc(inverter.size(), kDead);
  for (uint32_t i = 0; i < order.size(); ++i) new_doc[order[i]] = i;

  std::vector<std::string_view> samples;
  for (uint32_t slot : order) samples.push_back(inverter.stored(slot));
  MORGUE_ASSIGN_OR_RETURN(auto writer,
                          SegmentWriter::create(dir, number, codec, train_store_dictionary(samples)));
  for (uint32_t slot : order)
    MORGUE_RETURN_IF_ERROR(writer->add_document(inverter.values(slot), inverter.stored(slot)));

  std::vector<SegmentWriter::PendingPosting> pending;
  for (const auto& [term, postings] : inverter.sorted_terms()) {
    pending.clear();
    bool with_positions = !postings->pos_counts.empty();
    uint32_t pos_at = 0;
    for (size_t i = 0; i < postings->slots.size(); ++i) {
      uint32_t count = with_positions ? postings->pos_counts[i] : 0;
      uint32_t doc = new_doc[postings->slots[i]];
      if (doc != kDead) pending.push_back({doc, postings->wdfs[i], pos_at, count});
      pos_at += count;
    }
    if (pending.empty()) continue;  // only dead articles held it
    MORGUE_RETURN_IF_ERROR(writer->add_unsorted_term(term, pending, postings->positions));
  }
  return writer->finish();
}

}  // namespace morgue
