// Writes the stored-articles file of a segment (.sto): documents in zstd-compressed chunks,
// a zstd dictionary trained on the segment's articles, and a chunk index.
// Layout: docs/FORMAT.md#store
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/base/result.h"
#include "common/format/file_format.h"

namespace morgue {

// Defaults chosen by measurement (docs/FORMAT.md#store, "Choices"): serialised bytes a
// chunk collects before it is compressed, the zstd level, and the trained dictionary's
// size, which grows with the store from kStoreDictionaryBytes (Reuters-21578 and smaller)
// to kStoreMaxDictionaryBytes (a million articles) as store_dictionary_bytes() says.
inline constexpr size_t kStoreChunkBytes = 16 * 1024;
inline constexpr int kStoreZstdLevel = 9;
// The level for a store left uncompressed: each chunk is a zstd frame of raw blocks, which
// any zstd decoder reads back as a copy. For stores read once and then dropped (a build's
// flushed segments): even zstd's fastest level searches for matches. zstd's own level 0
// means its default level, which no writer here asks for. Takes no dictionary.
inline constexpr int kStoreRawLevel = 0;
inline constexpr size_t kStoreDictionaryBytes = 112 * 1024;
inline constexpr size_t kStoreMaxDictionaryBytes = 2 * 1024 * 1024;
// Sample bytes a dictionary is trained on: at most kStoreTrainingBytesPerDictByte per
// dictionary byte (ZDICT gains little beyond ~100, zstd's documentation) and at most
// kStoreMaxTrainingBytes, which bounds the memory and time of training (~3 s for 16 MiB).
inline constexpr size_t kStoreTrainingBytesPerDictByte = 100;
inline constexpr size_t kStoreMaxTrainingBytes = 16 * 1024 * 1024;

// The dictionary size for a store of `serialised_bytes` of articles: one 512th of them,
// within [kStoreDictionaryBytes, kStoreMaxDictionaryBytes]. A larger store repays a larger
// dictionary (more of its vocabulary is learnt once rather than in every chunk) and carries
// it at a smaller share of its size.
[[nodiscard]] size_t store_dictionary_bytes(uint64_t serialised_bytes);

// The sample bytes to collect for training a dictionary of `dict_bytes`.
[[nodiscard]] size_t store_training_bytes(size_t dict_bytes);

// The largest document add() accepts. It keeps every chunk's raw length within a u32 and
// bounds what a reader allocates for one chunk.
inline constexpr size_t kStoreMaxDocBytes = size_t{1} << 30;

// Fixed sizes of the file's layout, shared with StoreReader.
inline constexpr size_t kStoreIndexEntryBytes = 24;  // offset:u64 checksum:u64 first:u32 raw:u32
inline constexpr size_t kStoreTrailerBytes = 48;
inline constexpr uint32_t kStoreFlagDictionary = 1;  // trailer flags bit 0; others reserved (0)

// Trains a zstd dictionary (ZDICT_trainFromBuffer's) on `samples`, typically the serialised
// articles of the segment. Uses at most store_training_bytes(max_dict_bytes) of sample
// bytes, taking an evenly spaced subset of the samples when there are more (deterministic:
// the same samples give the same dictionary). The dictionary is at most max_dict_bytes and
// at most a tenth of the sample bytes, so a small segment does not carry a dictionary
// larger than its text. Each sample counts for at most its first kStoreMaxSampleBytes.
// Returns an empty string when training is not possible (fewer than 16 samples, under
// 256 KiB of them, or ZDICT fails): the store then compresses without a dictionary. The
// views need only live for the call.
[[nodiscard]] std::string train_store_dictionary(const std::vector<std::string_view>& samples,
                                                 size_t max_dict_bytes = kStoreDictionaryBytes);

// The same on samples already laid end to end in `concatenated` (sizes[i] bytes each, in
// order), all of which are used: for a caller that collects its samples itself and should
// not hold them twice. ZDICT's search over five candidate dictionaries runs on `threads`
// threads; the dictionary is the same on any number (store_dictionary.cc).
[[nodiscard]] std::string train_store_dictionary(std::string_view concatenated,
                                                 const std::vector<size_t>& sizes,
                                                 size_t max_dict_bytes, unsigned threads = 1);

// A sample longer than this teaches nothing more; cutting it keeps one huge article from
// eating the training budget.
inline constexpr size_t kStoreMaxSampleBytes = 16 * 1024;

// Closed chunks a writer compressing on several threads holds, per thread, between closing
// and writing them: room for every thread to be compressing one while the chunk to write
// next is still being compressed.
inline constexpr size_t kStoreChunksPerThread = 8;
// A bound on StoreWriter's compression_threads, against a caller's mistake.
inline constexpr unsigned kStoreMaxCompressionThreads = 64;

// How a writer with a large dictionary (over 256 KiB: stores of more than ~128 MB of
// articles) searches for matches, when its level searches lazy2 or deeper (level 9 does):
// kLevel as the level does; kFast with a shallower lazy search that ignores matches under
// 6 bytes, about 1.85x faster; kTrial compresses the first kStoreTrialChunks chunks both
// ways and keeps, for the whole file, the search that made them smaller (a tie goes to
// kFast). Which one wins depends on the text (docs/FORMAT.md#store, "Choices"). Smaller
// dictionaries, and other levels, always search as the level does.
enum class StoreSearch : uint8_t { kTrial, kLevel, kFast };
inline constexpr size_t kStoreTrialChunks = 16;

// Appends documents (numbered 0, 1, ... in the order added) and writes the file on finish().
// Documents are opaque bytes to the store; the segment writer passes encode_article()
// output. Memory: the chunks between closing and writing (kStoreChunksPerThread per
// compressing thread, raw and compressed; during a trial kStoreTrialChunks, compressed
// twice), a zstd context per compressing thread, the digested dictionary (twice during a
// trial), and 24 bytes a chunk for the index. A writer destroyed before finish() succeeds
// removes its file. Not thread-safe (its helper threads are its own); move-only.
class StoreWriter {
 public:
  // Creates `path` (it must not exist) and writes the header and `dictionary` (may be empty:
  // no dictionary). zstd_level: a zstd compression level (ZSTD_minCLevel()..ZSTD_maxCLevel()),
  // or kStoreRawLevel (with no dictionary) for chunks left uncompressed.
  // chunk_bytes: serialised bytes a chunk collects before it is compressed (≥ 1).
  // compression_threads (≥ 1): the threads that compress chunks, this one and helpers it
  // starts. Helpers run at the lowest priority (nice 19): they take up cores the rest of the
  // process leaves idle (a merge's terms keep theirs), while this thread compresses
  // whatever they have not taken. Each chunk is compressed alone from the dictionary, so
  // the file's bytes are the same whatever the count.
  // search: StoreSearch.
  // Errors: kInvalidArgument (level, chunk_bytes, compression_threads, a dictionary zstd
  // rejects or given with kStoreRawLevel), kIOError, kInternal (no zstd context).
  [[nodiscard]] static Result<StoreWriter> create(const std::string& path, const Uuid& segment_uuid,
                                                  std::string dictionary, int zstd_level,
                                                  size_t chunk_bytes = kStoreChunkBytes,
                                                  unsigned compression_threads = 1,
                                                  StoreSearch search = StoreSearch::kTrial);

  StoreWriter(StoreWriter&&) noexcept;
  StoreWriter& operator=(StoreWriter&&) noexcept;
  StoreWriter(const StoreWriter&) = delete;
  StoreWriter& operator=(const StoreWriter&) = delete;
  ~StoreWriter();

  // Adds the next document; may compress and write a chunk. Errors: kInvalidArgument (after
  // finish(), a document over kStoreMaxDocBytes, more than 2^32 - 1 documents), kIOError,
  // kInternal (zstd failed).
  [[nodiscard]] Status add(std::string_view document);

  // Writes the last chunks, the chunk index, the trailer and the footer; fsyncs and closes.
  // Call once. Errors: kInvalidArgument (called twice), kIOError, kInternal.
  [[nodiscard]] Status finish();

  uint32_t doc_count() const { return doc_count_; }
  // Sum of the lengths of the documents added.
  uint64_t raw_bytes() const { return raw_bytes_; }
  // Bytes of the compressed chunks written so far (without dictionary, index, header).
  uint64_t compressed_bytes() const { return compressed_bytes_; }
  // Whether the chunks are compressed with StoreSearch::kFast's search (by choice or by the
  // trial's result; false while a trial is undecided).
  bool fast_search() const { return fast_search_; }
  // Chunks written so far.
  uint32_t chunk_count() const {
    return static_cast<uint32_t>(index_.size() / kStoreIndexEntryBytes);
  }

 private:
  // The dictionary, digested, the compression contexts, the closed chunks not yet written
  // and the helper threads (store_writer.cc). One object, so that a move or a drop stops
  // the helpers before anything they use goes.
  struct Compressor;
  StoreWriter();
  // Closes the open chunk and queues it for compression; writes the chunks ready when the
  // queue is full, or when the trial's chunks are all in.
  Status close_chunk();
  // Appends compressed chunks in order: those ready at the head of the queue, compressing
  // on this thread what the helpers have not taken until at least the first is; or
  // (`all`) every closed chunk.
  Status write_chunks(bool all);
  // Waits for every closed chunk to be compressed (compressing on this thread meanwhile),
  // keeps the search whose frames of them are smaller for them and for the rest of the
  // file, and writes them.
  Status end_trial();

  std::unique_ptr<Compressor> compressor_;
  IndexFileWriter file_;
  int zstd_level_ = 0;
  size_t chunk_bytes_ = kStoreChunkBytes;
  std::string pending_;  // documents of the open chunk, end to end
  std::vector<uint32_t> pending_lengths_;
  bool trial_pending_ = false;  // a trial is on: its chunks are compressed both ways
  bool fast_search_ = false;
  std::string index_;  // the encoded chunk index so far
  uint32_t doc_count_ = 0;
  uint32_t chunk_first_doc_ = 0;
  uint64_t raw_bytes_ = 0;
  uint64_t compressed_bytes_ = 0;
  bool finished_ = false;
};

}  // namespace morgue
