#include "indexer/index/segment_flush.h"

#include <algorithm>
#include <numeric>

#include "common/analysis/field_terms.h"
#include "common/store/store_writer.h"
#include "indexer/index/segment_writer.h"

namespace morgue {
namespace {

constexpr uint32_t kDead = UINT32_MAX;

// One posting of a term, remapped to its new document number, with where its positions
// lie in the term's arrival-order position array.
struct Entry {
  uint32_t doc;
  uint32_t wdf;
  uint32_t pos_begin;
  uint32_t pos_count;
};

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

  std::vector<Entry> entries;
  std::vector<uint32_t> docs, wdfs, pos_counts, positions;
  for (const auto& [term, postings] : inverter.sorted_terms()) {
    entries.clear();
    bool with_positions = !postings->pos_counts.empty();
    uint32_t pos_at = 0;
    for (size_t i = 0; i < postings->slots.size(); ++i) {
      uint32_t count = with_positions ? postings->pos_counts[i] : 0;
      uint32_t doc = new_doc[postings->slots[i]];
      if (doc != kDead) entries.push_back({doc, postings->wdfs[i], pos_at, count});
      pos_at += count;
    }
    if (entries.empty()) continue;  // only dead articles held it
    std::sort(entries.begin(), entries.end(),
              [](const Entry& a, const Entry& b) { return a.doc < b.doc; });
    bool with_freqs = !is_filter_term(term);
    docs.clear();
    wdfs.clear();
    pos_counts.clear();
    positions.clear();
    for (const Entry& e : entries) {
      docs.push_back(e.doc);
      if (with_freqs) wdfs.push_back(e.wdf);
      if (with_positions) {
        pos_counts.push_back(e.pos_count);
        positions.insert(positions.end(), postings->positions.begin() + e.pos_begin,
                         postings->positions.begin() + e.pos_begin + e.pos_count);
      }
    }
    MORGUE_RETURN_IF_ERROR(writer->add_term(term, docs, wdfs, pos_counts, positions));
  }
  return writer->finish();
}

}  // namespace morgue
