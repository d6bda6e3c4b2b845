#include "indexer/index/segment_flush.h"

#include <algorithm>
#include <numeric>

#include "common/analysis/field_terms.h"
#include "common/store/store_writer.h"
#include "indexer/index/segment_writer.h"

namespace morgue {
namespace {

constexpr uint32_t kDead = UINT32_MAX;

// Adds every term with the postings of the live documents, renumbered by `new_doc`.
Status write_terms(const Inverter& inverter, const std::vector<uint32_t>& new_doc,
                   SegmentWriter& writer) {
  std::vector<PendingPosting> pending;
  std::vector<uint32_t> positions;
  const auto terms = inverter.sorted_terms();
  // In bytewise order the terms' bytes and postings lie scattered over the heap: decode()
  // waited on their first loads for most of its samples. Each term's string and entry are
  // asked for kLookahead * 2 terms ahead, its postings' bytes (whose address is in the
  // entry) kLookahead terms ahead.
  constexpr size_t kLookahead = 4;
  for (size_t i = 0; i < terms.size(); ++i) {
    if (i + 2 * kLookahead < terms.size()) {
      const auto& [ahead_term, ahead_packed] = terms[i + 2 * kLookahead];
      __builtin_prefetch(ahead_term.data());
      __builtin_prefetch(ahead_packed);
    }
    if (i + kLookahead < terms.size())
      __builtin_prefetch(terms[i + kLookahead].second->bytes.data());
    const auto& [term, packed] = terms[i];
    Inverter::decode(term, *packed, pending, positions);
    for (PendingPosting& p : pending) p.doc = new_doc[p.doc];
    std::erase_if(pending, [](const PendingPosting& p) { return p.doc == kDead; });
    if (pending.empty()) continue;  // only dead articles held it
    MORGUE_RETURN_IF_ERROR(writer.add_unsorted_term(term, pending, positions));
  }
  return Status::ok();
}

}  // namespace

Result<SegmentMeta> flush_segment(const std::string& dir, uint64_t number,
                                  const Inverter& inverter, const BlockCodec& codec,
                                  bool temporary) {
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

  MORGUE_ASSIGN_OR_RETURN(
      auto writer,
      SegmentWriter::create(dir, number, codec,
                            temporary ? ScoreBounds::kLooseForMerge : ScoreBounds::kExact));
  for (uint32_t slot : order) MORGUE_RETURN_IF_ERROR(writer->add_document(inverter.values(slot)));

  auto write_store = [&]() -> Status {
    if (temporary) {
      MORGUE_RETURN_IF_ERROR(writer->open_store("", kTemporaryStoreZstdLevel));
    } else {
      std::vector<std::string_view> samples;
      samples.reserve(order.size());
      uint64_t serialised_bytes = 0;
      for (uint32_t slot : order) {
        samples.push_back(inverter.stored(slot));
        serialised_bytes += samples.back().size();
      }
      MORGUE_RETURN_IF_ERROR(writer->open_store(
          train_store_dictionary(samples, store_dictionary_bytes(serialised_bytes))));
    }
    for (uint32_t slot : order) MORGUE_RETURN_IF_ERROR(writer->add_stored(inverter.stored(slot)));
    return Status::ok();
  };
  MORGUE_RETURN_IF_ERROR(write_store_beside_terms(
      write_store, [&] { return write_terms(inverter, new_doc, *writer); }));
  return writer->finish();
}

}  // namespace morgue
