// The deletion set of a segment at one commit: which documents are deleted, and how much
// they counted in the statistics, so that searches use live-only statistics exactly as
// Xapian does (docs/FORMAT.md#deletions).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/format/doc_id.h"
#include "common/format/file_format.h"

namespace morgue {

struct TermDelta {
  uint32_t df = 0;  // deleted documents holding the term
  uint64_t cf = 0;  // their wdf for it
};

class DeletionSet {
 public:
  DeletionSet() = default;
  explicit DeletionSet(uint32_t doc_count) : doc_count_(doc_count), bits_((doc_count + 63) / 64) {}

  uint32_t doc_count() const { return doc_count_; }
  uint32_t deleted_count() const { return deleted_count_; }
  uint64_t deleted_doclen() const { return deleted_doclen_; }
  bool is_deleted(DocNum doc) const { return (bits_[doc >> 6] >> (doc & 63)) & 1; }
  const std::vector<uint64_t>& bits() const { return bits_; }

  // Marks `doc` deleted, with its document length and terms (term, wdf). Returns false if it
  // was already deleted (nothing changes).
  bool mark(DocNum doc, uint32_t doclen,
            const std::vector<std::pair<std::string_view, uint32_t>>& terms);

  // The statistics of deleted documents for a term (zero if none).
  TermDelta delta(std::string_view term) const;
  size_t delta_count() const { return deltas_.size(); }

  Status write(const std::string& path, const Uuid& segment_uuid) const;
  static Result<DeletionSet> read(const std::string& path, const Uuid* expected_uuid,
                                  uint32_t doc_count, bool verify_checksum);

 private:
  uint32_t doc_count_ = 0;
  uint32_t deleted_count_ = 0;
  uint64_t deleted_doclen_ = 0;
  std::vector<uint64_t> bits_;
  std::vector<std::pair<std::string, TermDelta>> deltas_;  // sorted by term
};

}  // namespace morgue
