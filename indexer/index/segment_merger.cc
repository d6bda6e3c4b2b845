#include "indexer/index/segment_merger.h"

#include <algorithm>
#include <fmt/format.h>

#include "common/analysis/field_terms.h"
#include "common/store/store_writer.h"
#include "indexer/index/segment_writer.h"

namespace morgue {
namespace {

constexpr uint32_t kDead = UINT32_MAX;
// Articles decompressed to train the merged segment's store dictionary.
constexpr size_t kDictionarySamples = 2000;

struct LiveDoc {
  int64_t published;
  std::string_view id;
  uint32_t input;
  DocNum doc;
};

// The article id of every document of a segment, from its Q terms (a prefix scan of the
// dictionary: no stored article is decompressed).
Status ids_of(const SegmentReader& segment, std::vector<std::string>& ids) {
  ids.assign(segment.meta().doc_count, std::string());
  auto it = segment.terms().seek(prefix::kId);
  for (; it.valid() && it.term().starts_with(prefix::kId); it.next()) {
    PostingsIterator postings;
    MORGUE_RETURN_IF_ERROR(segment.open_postings(it.info(), postings));
    for (; postings.doc() != kEndDoc; postings.next()) {
      if (postings.doc() >= ids.size()) {
        return Status::corruption(fmt::format("segment {}: id term points past the last document",
                                              segment.meta().number));
      }
      ids[postings.doc()] = std::string(it.term().substr(prefix::kId.size()));
    }
    MORGUE_RETURN_IF_ERROR(postings.status());
  }
  return it.status();
}

}  // namespace

Result<SegmentMeta> merge_into_segment(const std::string& dir, uint64_t number,
                                       const std::vector<MergeInput>& inputs,
                                       const BlockCodec& codec) {
  // 1. The merged order and each input document's new number.
  std::vector<std::vector<std::string>> ids(inputs.size());
  std::vector<LiveDoc> live;
  for (uint32_t i = 0; i < inputs.size(); ++i) {
    const SegmentReader& s = *inputs[i].segment;
    MORGUE_RETURN_IF_ERROR(ids_of(s, ids[i]));
    for (DocNum d = 0; d < s.meta().doc_count; ++d) {
      if (!inputs[i].deletions->is_deleted(d))
        live.push_back({s.values().published(d), ids[i][d], i, d});
    }
  }
  if (live.empty()) return SegmentMeta{};
  std::sort(live.begin(), live.end(), [](const LiveDoc& a, const LiveDoc& b) {
    return a.published != b.published ? a.published < b.published : a.id < b.id;
  });
  std::vector<std::vector<uint32_t>> new_doc(inputs.size());
  for (uint32_t i = 0; i < inputs.size(); ++i)
    new_doc[i].assign(inputs[i].segment->meta().doc_count, kDead);
  for (uint32_t n = 0; n < live.size(); ++n) new_doc[live[n].input][live[n].doc] = n;

  // 2. Documents: values and stored articles in the new order.
  std::vector<std::string> sample_bytes;
  size_t step = std::max<size_t>(1, live.size() / kDictionarySamples);
  for (size_t n = 0; n < live.size(); n += step) {
    MORGUE_ASSIGN_OR_RETURN(std::string bytes,
                            inputs[live[n].input].segment->store().get(live[n].doc));
    sample_bytes.push_back(std::move(bytes));
  }
  std::vector<std::string_view> samples(sample_bytes.begin(), sample_bytes.end());
  MORGUE_ASSIGN_OR_RETURN(auto writer,
                          SegmentWriter::create(dir, number, codec, train_store_dictionary(samples)));
  sample_bytes.clear();
  for (const LiveDoc& d : live) {
    const SegmentReader& s = *inputs[d.input].segment;
    DocValues v;
    v.published = d.published;
    v.version = s.values().version(d.doc);
    v.doclen = s.values().doclen(d.doc);
    v.source = std::string(s.values().source(d.doc));
    MORGUE_ASSIGN_OR_RETURN(std::string stored, s.store().get(d.doc));
    MORGUE_RETURN_IF_ERROR(writer->add_document(v, stored));
  }
  live.clear();
  ids.clear();

  // 3. Terms: a k-way merge of the dictionaries; each term's postings gathered from every
  // input that has it, remapped, and sorted by new document number.
  std::vector<TermDictReader::Iterator> terms;
  for (const MergeInput& in : inputs) terms.push_back(in.segment->terms().begin());
  std::vector<SegmentWriter::PendingPosting> pending;
  std::vector<uint32_t> positions;
  while (true) {
    bool any = false;
    std::string current;
    for (const auto& it : terms) {
      if (it.valid() && (!any || it.term() < current)) {
        current.assign(it.term());
        any = true;
      }
    }
    for (const auto& it : terms) MORGUE_RETURN_IF_ERROR(it.status());
    if (!any) break;
    bool with_freqs = !is_filter_term(current);
    bool with_positions = has_positions(current);
    pending.clear();
    positions.clear();
    for (uint32_t i = 0; i < inputs.size(); ++i) {
      auto& it = terms[i];
      if (!it.valid() || it.term() != current) continue;
      PostingsIterator postings;
      MORGUE_RETURN_IF_ERROR(inputs[i].segment->open_postings(it.info(), postings));
      for (; postings.doc() != kEndDoc; postings.next()) {
        uint32_t doc = new_doc[i][postings.doc()];
        if (doc == kDead) continue;
        SegmentWriter::PendingPosting p{doc, with_freqs ? postings.tf() : 0,
                                        static_cast<uint32_t>(positions.size()), 0};
        if (with_positions) {
          auto pos = postings.positions();
          positions.insert(positions.end(), pos.begin(), pos.end());
          p.pos_count = static_cast<uint32_t>(pos.size());
        }
        pending.push_back(p);
      }
      MORGUE_RETURN_IF_ERROR(postings.status());
      it.next();
    }
    if (pending.empty()) continue;
    MORGUE_RETURN_IF_ERROR(writer->add_unsorted_term(current, pending, positions));
  }
  return writer->finish();
}

}  // namespace morgue
