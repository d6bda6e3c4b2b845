// Per-document values of a segment, one column each: publication date, version, document
// length and source (docs/FORMAT.md#document-values). Each column is packed to the bits its
// range needs and read in place. Documents are numbered in date order, so a date range is
// found by binary search on the date column.
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

// One column in the mapped file: value i is base + the `width` bits starting at bit i·width.
// One unaligned 8-byte load reads any value: widths are at most 56 (a value's bits then lie
// within the 8 bytes at its first byte) or exactly 64 (byte-aligned), and the writer leaves
// 7 bytes of slack after the last value.
class PackedColumn {
 public:
  PackedColumn() = default;
  PackedColumn(const char* bits, uint64_t base, unsigned width)
      : bits_(bits), base_(base), width_(width),
        mask_(width == 64 ? ~uint64_t{0} : (uint64_t{1} << width) - 1) {}

  uint64_t get(size_t i) const {
    size_t bit = i * width_;
    return base_ + ((load_fixed64(bits_ + bit / 8) >> (bit % 8)) & mask_);
  }
  unsigned width() const { return width_; }

 private:
  const char* bits_ = nullptr;
  uint64_t base_ = 0;
  unsigned width_ = 0;
  uint64_t mask_ = 0;
};

// Reads the columns straight from the mapped file. Open validates every length and width,
// the source ordinals, the lengths' range and that dates are non-decreasing; accessors then
// need no checks beyond doc < doc_count() (a precondition).
class DocValuesReader {
 public:
  static Result<DocValuesReader> open(const std::string& path, const Uuid* expected_uuid,
                                      bool verify_checksum);

  uint32_t doc_count() const { return doc_count_; }
  // Inline: the scorer reads a length for every document it scores.
  int64_t published(DocNum doc) const { return static_cast<int64_t>(published_.get(doc)); }
  int64_t version(DocNum doc) const { return static_cast<int64_t>(versions_.get(doc)); }
  uint32_t doclen(DocNum doc) const { return static_cast<uint32_t>(doclens_.get(doc)); }
  std::string_view source(DocNum doc) const { return sources_[source_ords_.get(doc)]; }

  // First document published at or after `seconds` (doc_count() if none).
  DocNum lower_bound_published(int64_t seconds) const;
  uint64_t file_bytes() const { return file_.size(); }
  void drop_resident_pages() const { file_.drop_resident_pages(); }

 private:
  MmapFile file_;
  uint32_t doc_count_ = 0;
  PackedColumn published_;
  PackedColumn versions_;
  PackedColumn doclens_;
  PackedColumn source_ords_;
  std::vector<std::string_view> sources_;
};

}  // namespace morgue
