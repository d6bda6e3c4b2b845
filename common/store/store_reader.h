// Reads the stored-articles file of a segment (.sto): one article by document number (one
// chunk decompression), or all of them in order for merges and verification.
// Layout: docs/FORMAT.md#store
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/article/article.h"
#include "common/base/file.h"
#include "common/base/result.h"
#include "common/format/file_format.h"

namespace morgue {

// Owns its memory map and the digested zstd dictionary. Open validates the header, footer,
// trailer and the whole chunk index (offsets and first documents increasing and in bounds,
// padding zero), in O(chunks). The dictionary is checked against its checksum and digested
// when the first chunk is read: at a million articles it is 1.6 MiB, and checking and
// copying it cost a tenth of the instructions of a `morgue-query --count` run, which
// reads no article. A chunk is checked when it is read: its XXH3-64 before decompression, then its
// size and its document lengths, so a damaged chunk (or dictionary) gives kCorruption
// naming the file, chunk and byte offset, never garbage or a crash.
// Thread-safety: all const methods may be called from many threads at once (each thread
// decompresses with its own thread_local zstd context; the dictionary is shared read-only).
// Move-only.
class StoreReader {
 public:
  // Errors: kIOError, kNotSupported (format version), kCorruption (including a segment UUID
  // other than *expected_uuid when given). verify_checksum also checks the whole-file
  // XXH3-64 (reads every byte).
  [[nodiscard]] static Result<StoreReader> open(const std::string& path, const Uuid* expected_uuid,
                                                bool verify_checksum);

  StoreReader(StoreReader&&) noexcept;
  StoreReader& operator=(StoreReader&&) noexcept;
  StoreReader(const StoreReader&) = delete;
  StoreReader& operator=(const StoreReader&) = delete;
  ~StoreReader();

  uint32_t doc_count() const { return doc_count_; }
  uint32_t chunk_count() const { return chunk_count_; }

  // The bytes of document `doc` (as given to StoreWriter::add). Decompresses its chunk.
  // Errors: kInvalidArgument if doc >= doc_count(), kCorruption, kInternal (out of memory).
  [[nodiscard]] Result<std::string> get(uint32_t doc) const;

  // Reads documents decompressing a chunk only when the document asked for is not in the
  // chunk read last: reading a store in document order (a merge does) costs one
  // decompression a chunk, not one a document. It reads the chunks with pread, not through
  // the map, so that streaming through a store leaves none of it resident
  // (RandomAccessFile says why). Errors: those of get(), and of opening or reading the file.
  class Cursor {
   public:
    explicit Cursor(const StoreReader& store) : store_(&store) {}
    // The bytes stay valid until the next call.
    [[nodiscard]] Result<std::string_view> get(uint32_t doc);

   private:
    const StoreReader* store_;
    RandomAccessFile file_;  // opened on the first read
    bool file_open_ = false;
    bool has_chunk_ = false;
    uint32_t first_ = 0;  // first document of the chunk held
    std::string frame_;   // the chunk's compressed bytes
    std::string buffer_;
    std::vector<std::string_view> docs_;
  };

  // get() then decode_article(). Errors: those of get() and of decode_article().
  [[nodiscard]] Result<Article> get_article(uint32_t doc) const;

  // Calls visit(doc, bytes) for every document in order, decompressing each chunk once (for
  // merges and dumps). `bytes` lives until visit returns. Stops at the first error: a
  // damaged chunk (kCorruption) or an error visit returns (returned as is).
  [[nodiscard]] Status for_each(
      const std::function<Status(uint32_t doc, std::string_view bytes)>& visit) const;

  // Checks every chunk: checksum, decompression, document lengths, and that the documents
  // add up to the trailer's raw_bytes. Does not parse the documents. Errors: kCorruption.
  [[nodiscard]] Status verify() const;

  // Bytes of the zstd dictionary (0 when the file has none).
  uint64_t dictionary_bytes() const { return dictionary_.size(); }
  // Sum of the documents' lengths, as the writer recorded it.
  uint64_t raw_bytes() const { return raw_bytes_; }
  // Size of the whole file.
  uint64_t file_bytes() const { return file_.size(); }
  void drop_resident_pages() const { file_.drop_resident_pages(); }
  const std::string& path() const { return file_.path(); }

 private:
  struct Zstd;  // the digested dictionary (store_reader.cc)
  StoreReader();
  // Checks and decompresses chunk `chunk` into buffer[0, raw_length), then finds its
  // documents: docs[i] = document first_doc + i, viewing into buffer.
  Status read_chunk(uint32_t chunk, std::string& buffer, std::vector<std::string_view>& docs) const;
  // The same, from the chunk's frame read elsewhere (Cursor).
  Status decode_chunk(uint32_t chunk, std::string_view frame, std::string& buffer,
                      std::vector<std::string_view>& docs) const;
  // Checks the dictionary and digests it, once (the first caller does it; the others wait
  // and share the outcome). kCorruption if it is damaged or zstd rejects it.
  Status digest_dictionary() const;
  uint64_t chunk_offset(uint32_t chunk) const;  // body offset of the chunk's frame
  uint64_t chunk_end(uint32_t chunk) const;     // body offset just past it
  Status check_doc(uint32_t doc) const;         // kInvalidArgument if out of range
  uint32_t chunk_of(uint32_t doc) const;        // the chunk holding a document
  uint32_t first_doc(uint32_t chunk) const;
  Status corrupt(uint64_t body_offset, std::string_view what) const;

  MmapFile file_;
  std::unique_ptr<Zstd> zstd_;
  std::string_view body_;
  std::string_view dictionary_;
  uint64_t dictionary_checksum_ = 0;
  const char* index_ = nullptr;  // chunk_count_ entries of kStoreIndexEntryBytes
  uint32_t doc_count_ = 0;
  uint32_t chunk_count_ = 0;
  uint64_t chunks_end_ = 0;
  uint64_t raw_bytes_ = 0;
};

}  // namespace morgue
