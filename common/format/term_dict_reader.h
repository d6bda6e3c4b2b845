// Reads a segment's term dictionary from a memory map: exact lookups, ordered iteration and
// lower-bound seeks (prefix scans). Layout: docs/FORMAT.md#term-dictionary
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/base/coding.h"
#include "common/base/result.h"
#include "common/format/file_format.h"
#include "common/format/term_info.h"

namespace morgue {

// Owns its memory map. Open validates the header, footer, trailer and the whole block
// index (sizes, offsets increasing and in bounds, first terms increasing); the entries
// inside a block are checked as they are decoded, so damage there surfaces as a
// kCorruption Status from find() or an iterator, never as a crash or an endless loop.
// Every error names the file and a byte offset in it.
// Thread-safety: const methods may be called from many threads at once. Move-only; moving
// the reader keeps its iterators valid (the decoded state lives on the heap).
class TermDictReader {
  struct State;  // the mapped file and its validated index (term_dict_reader.cc)

 public:
  // Errors: kIOError, kNotSupported (format version), kCorruption (including a segment
  // UUID other than *expected_uuid, when given). verify_checksum reads the whole file.
  [[nodiscard]] static Result<TermDictReader> open(const std::string& path,
                                                   const Uuid* expected_uuid,
                                                   bool verify_checksum);

  TermDictReader(TermDictReader&&) noexcept;
  TermDictReader& operator=(TermDictReader&&) noexcept;
  TermDictReader(const TermDictReader&) = delete;
  TermDictReader& operator=(const TermDictReader&) = delete;
  ~TermDictReader();

  // The info of `term`, or nullopt if the dictionary does not hold it. Binary-searches the
  // block index, then scans one block without copying terms. Errors: kCorruption.
  [[nodiscard]] Result<std::optional<TermInfo>> find(std::string_view term) const;

  // Sequential access in bytewise term order, for merges, verify and stats. Follows
  // leveldb's iterator pattern: on damaged bytes it becomes !valid() and status() holds
  // the kCorruption error, so check status() once after the loop. Valid while its reader
  // lives.
  class Iterator {
   public:
    Iterator() = default;  // !valid(), status() OK
    bool valid() const { return valid_; }
    // Requires: valid(). The view points into the iterator and lives until next().
    std::string_view term() const { return term_; }
    // Requires: valid(). Lives until next().
    const TermInfo& info() const { return info_; }
    // Requires: valid(). Moves to the next term; past the last one, valid() becomes false.
    void next();
    // OK unless damage was found; sticky.
    const Status& status() const { return status_; }

   private:
    friend class TermDictReader;
    void enter_block(uint64_t block);
    void read_entry();
    void fail(const char* at, std::string_view what);

    const State* state_ = nullptr;
    uint64_t block_ = 0;
    uint32_t entry_ = 0;       // index in the block of the current entry
    uint32_t block_terms_ = 0;
    ByteReader in_;            // the current block, positioned after the current entry
    uint64_t postings_end_ = 0;
    uint64_t positions_end_ = 0;
    std::string term_;
    TermInfo info_;
    bool valid_ = false;
    Status status_;
  };

  // The first term.
  Iterator begin() const;
  // The first term >= lower_bound (bytewise); !valid() if there is none. For a prefix
  // scan, seek to the prefix and stop at the first term that does not start with it.
  Iterator seek(std::string_view lower_bound) const;

  uint64_t term_count() const;
  uint64_t block_count() const;
  uint32_t block_size() const;
  uint64_t file_bytes() const;
  void drop_resident_pages() const;
  const std::string& path() const;

 private:
  TermDictReader() = default;
  std::unique_ptr<const State> state_;
};

}  // namespace morgue
