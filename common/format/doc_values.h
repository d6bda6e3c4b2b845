// Per-document values of a segment, one column each: publication date, version, document
// length and source (docs/FORMAT.md#document-values). Documents are numbered in date order,
// so a date range is found by binary search on the date column.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/base/coding.h"
#include "common/base/file.h"
#include "common/format/doc_id.h"
#include "common/format/file_format.h"

namespace morgue {

struct DocValues {
  int64_t published = 0;  // seconds since the epoch, UTC
  int64_t version = 0;
  uint32_t doclen = 0;    // sum of wdf over the document's scoring terms
  std::string source;     // as the article gives it ("Reuters")
};

// Collects the values of a segment's documents, in document order, and writes the file.
class DocValuesWriter {
 public:
  void add(const DocValues& values);
  uint32_t doc_count() const { return static_cast<uint32_t>(published_.size()); }
  uint32_t doclen(DocNum doc) const { return doclens_[doc]; }
  int64_t published(DocNum doc) const { return published_[doc]; }
  const std::vector<uint32_t>& doclens() const { return doclens_; }
  Status write(const std::string& path, const Uuid& segment_uuid) const;

 private:
  std::vector<int64_t> published_;
  std::vector<int64_t> versions_;
  std::vector<uint32_t> doclens_;
  std::vector<uint16_t> source_ords_;
  std::vector<std::string> sources_;  // distinct sources, in order of first appearance
};

// Reads the columns straight from the mapped file. Open validates every length, the source
// ordinals and that dates are non-decreasing; accessors then need no checks beyond
// doc < doc_count() (a precondition).
class DocValuesReader {
 public:
  static Result<DocValuesReader> open(const std::string& path, const Uuid* expected_uuid,
                                      bool verify_checksum);

  uint32_t doc_count() const { return doc_count_; }
  // Inline: the scorer reads a length for every document it scores.
  int64_t published(DocNum doc) const {
    return static_cast<int64_t>(load_fixed64(published_ + 8 * size_t{doc}));
  }
  int64_t version(DocNum doc) const;
  uint32_t doclen(DocNum doc) const { return load_fixed32(doclens_ + 4 * size_t{doc}); }
  std::string_view source(DocNum doc) const;

  // First document published at or after `seconds` (doc_count() if none).
  DocNum lower_bound_published(int64_t seconds) const;
  uint64_t file_bytes() const { return file_.size(); }
  void drop_resident_pages() const { file_.drop_resident_pages(); }

 private:
  MmapFile file_;
  uint32_t doc_count_ = 0;
  const char* published_ = nullptr;
  const char* versions_ = nullptr;
  const char* doclens_ = nullptr;
  const char* source_ords_ = nullptr;
  std::vector<std::string_view> sources_;
};

}  // namespace morgue
