// Writes a segment's term dictionary: terms in bytewise order, front-coded in blocks, with a
// block index for binary search. Layout: docs/FORMAT.md#term-dictionary
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/base/result.h"
#include "common/format/file_format.h"
#include "common/format/term_info.h"

namespace morgue {

// Streams blocks to the file as they fill; keeps only the block index (16 bytes plus the
// first term per block) in memory. Move-only. Not thread-safe.
class TermDictWriter {
 public:
  // Creates `path` (it must not exist) and writes the file header. `block_size` is the
  // number of terms per block; it is a parameter only for tests and measurement.
  // Errors: kInvalidArgument if block_size is 0 or above kTermDictMaxBlockSize; kIOError.
  [[nodiscard]] static Result<TermDictWriter> create(const std::string& path,
                                                     const Uuid& segment_uuid,
                                                     uint32_t block_size = kTermDictBlockSize);

  TermDictWriter(TermDictWriter&&) noexcept = default;
  TermDictWriter& operator=(TermDictWriter&&) noexcept = default;
  TermDictWriter(const TermDictWriter&) = delete;
  TermDictWriter& operator=(const TermDictWriter&) = delete;

  // Appends a term and its info. Requires: `term` is bytewise greater than the previous
  // term (the empty term may come first). Errors: kInvalidArgument for an out-of-order or
  // repeated term, or after finish(); kIOError. A failed writer keeps failing; destroying
  // it without finish() removes the file.
  [[nodiscard]] Status add(std::string_view term, const TermInfo& info);

  // Writes the last block, the block index, the trailer and the footer, then fsyncs and
  // closes the file. Call once.
  [[nodiscard]] Status finish();

  uint64_t term_count() const { return term_count_; }

 private:
  TermDictWriter() = default;
  Status flush_block();

  IndexFileWriter file_;
  uint32_t block_size_ = kTermDictBlockSize;
  uint64_t term_count_ = 0;
  uint32_t in_block_ = 0;           // terms in block_
  std::string block_;               // the open block's bytes
  std::string last_term_;
  uint64_t postings_end_ = 0;       // end of the previous term's postings, within the block
  uint64_t positions_end_ = 0;
  std::vector<uint64_t> block_offsets_;  // body offset of each written block
  std::vector<uint64_t> key_offsets_;    // offset of each block's first term in keys_
  std::string keys_;
  Status error_;                    // sticky
  bool finished_ = false;
};

}  // namespace morgue
