// Writes one immutable segment: documents first (their values, in document order), then
// terms in bytewise order with their postings; the stored articles go through a separate
// entry point so that they can be compressed on a second thread while this one writes the
// postings. finish() makes the files durable and returns the segment's manifest entry.
// Layout: docs/FORMAT.md#segment.
#pragma once

#include <cstdint>
#include <future>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/codec/block_codec.h"
#include "common/format/doc_values.h"
#include "common/format/manifest.h"
#include "common/format/postings_writer.h"
#include "common/store/store_writer.h"
#include "indexer/index/pending_posting.h"

namespace morgue {

// add_term stores a list once when a later term's postings bytes are the same
// (docs/FORMAT.md#shared-postings); lists shorter than this are not remembered for it. At a
// million articles 64 rather than 16 remembers 94,000 lists instead of 133,000 and shares
// 165.4 MB instead of 167.0 MB.
inline constexpr uint64_t kMinSharedPostingsBytes = 64;

// The score bounds a segment's postings carry: the exact frontiers that queries prune with,
// or, for a segment only a merge will read (a build's flushes, rewritten by its final
// merge), one loose pair per run (PostingsWriter::use_loose_bounds).
enum class ScoreBounds { kExact, kLooseForMerge };

class SegmentWriter {
 public:
  // Creates the segment's files in `dir` (none may exist) but the store (open_store()).
  static Result<std::unique_ptr<SegmentWriter>> create(const std::string& dir, uint64_t number,
                                                       const BlockCodec& codec,
                                                       ScoreBounds bounds = ScoreBounds::kExact);
  ~SegmentWriter();  // removes the files unless finish() succeeded
  SegmentWriter(const SegmentWriter&) = delete;
  SegmentWriter& operator=(const SegmentWriter&) = delete;

  // Adds the next document's values. Requires: no term added yet; dates non-decreasing.
  Status add_document(const DocValues& values);

  // The stored articles: open_store() once, then add_stored() for every document in
  // document order. These two touch only the store, so one other thread may call them
  // while this one adds documents and terms; finish() must come after both are done.
  // `dictionary` is the store's zstd dictionary (empty for none).
  // compression_threads as StoreWriter::create takes it.
  Status open_store(std::string dictionary, int zstd_level = kStoreZstdLevel,
                    unsigned compression_threads = 1);
  Status add_stored(std::string_view stored_article);

  // Adds the next term (bytewise greater than the previous) with its postings: documents
  // strictly increasing, their wdfs, and for terms with positions each document's
  // positions, asked for in turn (PostingsWriter::PositionsOf; an empty positions_of for a
  // term without). Filter terms pass empty wdfs.
  Status add_term(std::string_view term, std::span<const uint32_t> docs,
                  std::span<const uint32_t> wdfs, const PostingsWriter::PositionsOf& positions_of);

  // For a flush, which renumbers its buffered articles by date (a merge's inputs arrive in
  // order): sorts `postings` by document and adds the term as add_term() does; frequencies and
  // positions are kept as the term's kind asks (field_terms.h).
  Status add_unsorted_term(std::string_view term, std::vector<PendingPosting>& postings,
                           std::span<const uint32_t> positions);

  uint32_t doc_count() const;
  // Requires: as many stored articles as documents.
  Result<SegmentMeta> finish();

 private:
  struct Files;
  SegmentWriter() = default;
  std::unique_ptr<Files> files_;
};

// Runs `write_store` (open_store and add_stored calls only) on a second thread while
// `write_terms` runs on this one: a store's zstd (and, in a flush, its dictionary training;
// a merge trains before it starts) is about a third of a flush or merge. Joins on every
// path, before the caller may finish or drop the writer; returns the terms' error first,
// else the store's.
template <class WriteStore, class WriteTerms>
Status write_store_beside_terms(WriteStore&& write_store, WriteTerms&& write_terms) {
  std::future<Status> stored =
      std::async(std::launch::async, std::forward<WriteStore>(write_store));
  Status terms = write_terms();
  Status store = stored.get();
  return terms.is_ok() ? store : terms;
}

}  // namespace morgue
