// Writes one immutable segment: documents first (values and stored article, in document
// order), then terms in bytewise order with their postings; finish() makes the files
// durable and returns the segment's manifest entry. Layout: docs/FORMAT.md#segment.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/codec/block_codec.h"
#include "common/format/doc_values.h"
#include "common/format/manifest.h"

namespace morgue {

class SegmentWriter {
 public:
  // Creates the segment's files in `dir` (none may exist). `store_dictionary` is the zstd
  // dictionary for the stored articles (empty for none).
  static Result<std::unique_ptr<SegmentWriter>> create(const std::string& dir, uint64_t number,
                                                       const BlockCodec& codec,
                                                       std::string store_dictionary);
  ~SegmentWriter();  // removes the files unless finish() succeeded
  SegmentWriter(const SegmentWriter&) = delete;
  SegmentWriter& operator=(const SegmentWriter&) = delete;

  // Adds the next document. Requires: no term added yet; dates non-decreasing.
  Status add_document(const DocValues& values, std::string_view stored_article);

  // Adds the next term (bytewise greater than the previous) with its postings: documents
  // strictly increasing, their wdfs, and for terms with positions their positions in a row
  // (wdf-independent counts in pos_counts). Filter terms pass empty wdfs.
  Status add_term(std::string_view term, std::span<const uint32_t> docs,
                  std::span<const uint32_t> wdfs, std::span<const uint32_t> pos_counts,
                  std::span<const uint32_t> positions);

  // One posting of a term gathered out of document order (a flush renumbers its buffered
  // articles by date; a merge needs none of this: its inputs arrive in order): its positions are `pos_count` values starting at
  // `pos_begin` in the caller's position array.
  struct PendingPosting {
    uint32_t doc;
    uint32_t wdf;
    uint32_t pos_begin;
    uint32_t pos_count;
  };
  // Sorts `postings` by document and adds the term as add_term() does; frequencies and
  // positions are kept as the term's kind asks (field_terms.h).
  Status add_unsorted_term(std::string_view term, std::vector<PendingPosting>& postings,
                           std::span<const uint32_t> positions);

  uint32_t doc_count() const;
  Result<SegmentMeta> finish();

 private:
  struct Files;
  SegmentWriter() = default;
  std::unique_ptr<Files> files_;
};

}  // namespace morgue
