// Layout: docs/FORMAT.md#store
//   body    := dictionary:bytes[dictionary_length] chunk* zero-pad-to-8 entry[chunk_count]
//              trailer
//   chunk   := one zstd frame (content size set, dictionary id when a dictionary is used)
//              whose content is: length:varint[docs in chunk] document bytes, end to end
//   entry   := offset:u64 checksum:u64 first_doc:u32 raw_length:u32
//              (checksum = XXH3-64 of the compressed frame; raw_length = its content size)
//   trailer := doc_count:u32 chunk_count:u32 dictionary_length:u64 chunks_end:u64
//              raw_bytes:u64 dictionary_checksum:u64 zstd_level:i32 flags:u32
#include "common/store/store_writer.h"

#include <fmt/format.h>
// For ZSTD_createCDict_advanced2 and the ZSTD_CCtx_params functions, zstd's "experimental"
// API, which libzstd 1.5 exports: the stable API sizes a CDict's tables only by level, and
// a context that loads a dictionary itself keeps its own copy and tables (7.6 MB each at a
// million articles, against 0.5 MB beside one shared 6.3 MB CDict).
#define ZSTD_STATIC_LINKING_ONLY
#include <zstd.h>

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <system_error>
#include <thread>

#include "common/base/checksum.h"
#include "common/base/coding.h"
#include "common/base/thread.h"
#include "common/store/zstd_handles.h"

namespace morgue {

namespace {

// A dictionary larger than this would bring the level's match tables for a large input
// (at level 9, 2^21 hash and 2^20 chain entries: 14 MB beside a 2 MiB dictionary, slower
// to search). These bounds keep them at 8 MB for a tenth of a point of ratio at a million
// articles, and searching one step deeper than level 9 (as level 10 does) wins 0.4 points
// back for 1.4x the time, which a merge spreads over two threads (docs/FORMAT.md#store,
// "Choices"). Smaller dictionaries keep the level's own parameters.
constexpr size_t kBoundedTablesAboveDictBytes = 256 * 1024;
constexpr int kLargeDictionaryHashLog = 20;
constexpr int kLargeDictionaryChainLog = 19;
constexpr int kLargeDictionarySearchLog = 5;
// The fast search for large dictionaries (docs/FORMAT.md#store, "Choices"): about 1.85x
// faster than level 9's on a million synthetic articles and 0.15 points smaller, but 0.5
// points larger on Reuters-21578's real text. So a writer left to choose (StoreSearch::
// kTrial) compresses its first kStoreTrialChunks chunks both ways and keeps the search that
// made them smaller.
constexpr int kFastSearchLog = 4;
constexpr int kFastSearchMinMatch = 6;


// Block_Maximum_Size of RFC 8878: no block's content may be larger.
constexpr size_t kZstdMaxBlockBytes = 128 * 1024;

// Writes `raw` into `frame` as one zstd frame (RFC 8878) of raw blocks, each a 3-byte
// header and up to kZstdMaxBlockBytes of `raw` as it is; returns the frame's size. The
// header: magic, then a descriptor for a 4-byte content size, single segment (so no
// window descriptor), no checksum and no dictionary id, then the content size.
size_t write_raw_frame(std::string_view raw, std::string& frame) {
  constexpr uint32_t kZstdMagic = 0xFD2FB528;
  constexpr char kFourByteContentSizeSingleSegment = static_cast<char>(0xA0);
  frame.clear();
  frame.reserve(9 + 3 * (raw.size() / kZstdMaxBlockBytes + 1) + raw.size());
  put_fixed32(frame, kZstdMagic);
  frame.push_back(kFourByteContentSizeSingleSegment);
  put_fixed32(frame, static_cast<uint32_t>(raw.size()));
  size_t at = 0;
  do {
    size_t n = std::min(kZstdMaxBlockBytes, raw.size() - at);
    // Block_Size in bits 3..23, Block_Type 0 (raw) in bits 1..2, Last_Block in bit 0.
    uint32_t header = static_cast<uint32_t>(n) << 3 | (at + n == raw.size() ? 1 : 0);
    for (int byte = 0; byte < 3; ++byte) frame.push_back(static_cast<char>(header >> 8 * byte));
    frame.append(raw.substr(at, n));
    at += n;
  } while (at < raw.size());
  return frame.size();
}

struct CCtxParamsFree {
  void operator()(ZSTD_CCtx_params* params) const { ZSTD_freeCCtxParams(params); }
};

// The parameters of a large dictionary's CDict: the level's, with the bounds above, and for
// the fast search (StoreSearch) a lazy search of depth kFastSearchLog that ignores matches
// shorter than kFastSearchMinMatch. The zstd return code of the first step that fails,
// else 0.
size_t set_large_dictionary_params(ZSTD_CCtx_params* params, int level, bool fast) {
  size_t error = ZSTD_CCtxParams_setParameter(params, ZSTD_c_compressionLevel, level);
  if (!ZSTD_isError(error))
    error = ZSTD_CCtxParams_setParameter(params, ZSTD_c_hashLog, kLargeDictionaryHashLog);
  if (!ZSTD_isError(error))
    error = ZSTD_CCtxParams_setParameter(params, ZSTD_c_chainLog, kLargeDictionaryChainLog);
  if (!ZSTD_isError(error)) {
    error = ZSTD_CCtxParams_setParameter(params, ZSTD_c_searchLog,
                                         fast ? kFastSearchLog : kLargeDictionarySearchLog);
  }
  if (fast && !ZSTD_isError(error))
    error = ZSTD_CCtxParams_setParameter(params, ZSTD_c_strategy, ZSTD_lazy);
  if (fast && !ZSTD_isError(error))
    error = ZSTD_CCtxParams_setParameter(params, ZSTD_c_minMatch, kFastSearchMinMatch);
  return ZSTD_isError(error) ? error : 0;
}

// Whether the fast search would search less than `level` does for chunks of `chunk_bytes`
// with a large dictionary: the level's own search is lazy2 or deeper (level 9's is lazy2).
bool fast_search_is_faster(int level, size_t chunk_bytes, size_t dictionary_bytes) {
  return ZSTD_getCParams(level, chunk_bytes, dictionary_bytes).strategy >= ZSTD_lazy2;
}

struct Zstd {
  // The dictionary's bytes, here so that their address never changes: a large dictionary's
  // CDicts refer to them rather than copying them.
  std::string dictionary;
  // The digested dictionary, shared read-only by the contexts.
  ZSTD_CDict* cdict = nullptr;
  // While a trial is on, the dictionary digested for the fast search (cdict has the
  // level's); after it, null.
  ZSTD_CDict* fast_cdict = nullptr;
  // A large dictionary's CDicts are made with their tables bounded
  // (kBoundedTablesAboveDictBytes) and attached to each context, which compresses with the
  // CDict's parameters; a small one's is made for the level, as zstd's stable API does.
  bool large_dictionary = false;
  // One context per compressing thread, all set up alike.
  std::vector<ZstdCCtxPtr> cctx;
  int level = 0;

  // Digests `dictionary` into *out, for the fast search or the level's. An error message,
  // or empty.
  std::string digest(bool fast, ZSTD_CDict** out) const {
    if (!large_dictionary) {
      *out = ZSTD_createCDict(dictionary.data(), dictionary.size(), level);
      return *out ? "" : "zstd rejects the dictionary";
    }
    std::unique_ptr<ZSTD_CCtx_params, CCtxParamsFree> params(ZSTD_createCCtxParams());
    if (!params) return "zstd: out of memory";
    if (size_t error = set_large_dictionary_params(params.get(), level, fast)) {
      return ZSTD_getErrorName(error);
    }
    *out = ZSTD_createCDict_advanced2(dictionary.data(), dictionary.size(), ZSTD_dlm_byRef,
                                      ZSTD_dct_auto, params.get(), ZSTD_defaultCMem);
    return *out ? "" : "zstd rejects the dictionary";
  }

  // Makes every context compress from `chosen`, freeing the other candidate. The zstd
  // return code of the first step that fails, else 0.
  size_t attach(ZSTD_CDict* chosen) {
    if (chosen == fast_cdict) std::swap(cdict, fast_cdict);
    ZSTD_freeCDict(fast_cdict);
    fast_cdict = nullptr;
    for (ZstdCCtxPtr& c : cctx) {
      if (size_t error = ZSTD_CCtx_refCDict(c.get(), cdict); ZSTD_isError(error)) return error;
    }
    return 0;
  }

  ~Zstd() {
    cctx.clear();  // before the CDicts they refer to
    ZSTD_freeCDict(cdict);
    ZSTD_freeCDict(fast_cdict);
  }

  // Compresses `raw` into `frame` (resized to the bound) with context `thread`: the frame's
  // size or a zstd error code. During a trial, `candidate` (cdict or fast_cdict) says which
  // digest to compress from; otherwise it is cdict.
  size_t compress(size_t thread, std::string_view raw, std::string& frame,
                  const ZSTD_CDict* candidate) const {
    if (level == kStoreRawLevel) return write_raw_frame(raw, frame);
    ZSTD_CCtx* c = cctx[thread].get();
    frame.resize(ZSTD_compressBound(raw.size()));
    if (large_dictionary) {
      if (fast_cdict) {
        if (size_t error = ZSTD_CCtx_refCDict(c, candidate); ZSTD_isError(error)) return error;
      }
      return ZSTD_compress2(c, frame.data(), frame.size(), raw.data(), raw.size());
    }
    if (cdict) {
      return ZSTD_compress_usingCDict(c, frame.data(), frame.size(), raw.data(), raw.size(), cdict);
    }
    return ZSTD_compressCCtx(c, frame.data(), frame.size(), raw.data(), raw.size(), level);
  }
};

// A closed chunk between closing and writing: its raw content (document lengths, then the
// documents) and, once compressed, its frame.
struct Chunk {
  std::string raw;
  std::string frame;
  size_t frame_bytes = 0;  // or a zstd error code
  std::string trial_frame;  // during a trial, the fast search's frame
  size_t trial_frame_bytes = 0;
  uint32_t first_doc = 0;
  bool trial = false;  // closed during a trial: compressed both ways
  bool compressed = false;
};

// Compresses `chunk` with context `context`: from the cdict, and during a trial from the
// fast search's as well.
void compress_chunk(const Zstd& zstd, size_t context, Chunk& chunk) {
  chunk.frame_bytes = zstd.compress(context, chunk.raw, chunk.frame, zstd.cdict);
  if (chunk.trial) {
    chunk.trial_frame_bytes =
        zstd.compress(context, chunk.raw, chunk.trial_frame, zstd.fast_cdict);
  }
}

Status zstd_error(const std::string& path, size_t code) {
  return Status::internal(fmt::format("{}: zstd: {}", path, ZSTD_getErrorName(code)));
}

}  // namespace

// Chunks are numbered in closing order and held in a ring of slots until written: those in
// [written, taken) are being compressed or are compressed, those in [taken, closed) wait to
// be taken by a helper or by the writer's thread. Only the writer's thread fills, writes
// and reuses slots, and only under `mu` does anyone move the counters or read and set a
// chunk's `compressed`.
struct StoreWriter::Compressor {
  Zstd zstd;
  std::mutex mu;
  std::condition_variable queued;      // a chunk was closed, or stop was set
  std::condition_variable compressed;  // a helper compressed a chunk
  std::vector<Chunk> ring;
  uint64_t written = 0;
  uint64_t taken = 0;
  uint64_t closed = 0;
  uint64_t compressed_count = 0;
  bool stop = false;
  std::vector<std::thread> helpers;

  Chunk& slot(uint64_t n) { return ring[n % ring.size()]; }

  // Takes the oldest queued chunk (one must be queued; `lock` holds mu) and compresses it
  // with context `context`, without the lock meanwhile.
  void compress_next(std::unique_lock<std::mutex>& lock, size_t context) {
    Chunk& chunk = slot(taken++);
    lock.unlock();
    compress_chunk(zstd, context, chunk);
    lock.lock();
    chunk.compressed = true;
    ++compressed_count;
  }

  // Helper `context`'s loop: compresses queued chunks until stop.
  void help(size_t context) {
    // The lowest priority, this thread only: a helper takes up idle cores without slowing
    // the process's other threads. Failure only leaves it at the process's priority.
    lower_thread_priority(kLowestThreadPriority);
    std::unique_lock lock(mu);
    for (;;) {
      queued.wait(lock, [&] { return stop || taken < closed; });
      if (stop) return;
      compress_next(lock, context);
      compressed.notify_one();
    }
  }

  // On the writer's thread: compresses queued chunks with context 0 until `done` holds,
  // waiting for the helpers when none is left to take.
  template <class Done>
  void work_until(std::unique_lock<std::mutex>& lock, Done done) {
    while (!done()) {
      if (taken == closed) {
        compressed.wait(lock);
      } else {
        compress_next(lock, 0);
      }
    }
  }

  ~Compressor() {
    {
      std::lock_guard lock(mu);
      stop = true;
    }
    queued.notify_all();
    for (std::thread& helper : helpers) helper.join();
  }
};

StoreWriter::StoreWriter() = default;
StoreWriter::StoreWriter(StoreWriter&&) noexcept = default;
StoreWriter& StoreWriter::operator=(StoreWriter&&) noexcept = default;
StoreWriter::~StoreWriter() = default;

Result<StoreWriter> StoreWriter::create(const std::string& path, const Uuid& segment_uuid,
                                        std::string dictionary, int zstd_level, size_t chunk_bytes,
                                        unsigned compression_threads, StoreSearch search) {
  if (zstd_level < ZSTD_minCLevel() || zstd_level > ZSTD_maxCLevel()) {
    return Status::invalid_argument(fmt::format("{}: zstd level {} is not in {}..{}", path,
                                                zstd_level, ZSTD_minCLevel(), ZSTD_maxCLevel()));
  }
  if (zstd_level == kStoreRawLevel && !dictionary.empty()) {
    return Status::invalid_argument(
        fmt::format("{}: a store left uncompressed takes no dictionary", path));
  }
  if (chunk_bytes == 0 || chunk_bytes > kStoreMaxDocBytes) {
    return Status::invalid_argument(fmt::format("{}: bad chunk size {}", path, chunk_bytes));
  }
  if (compression_threads == 0 || compression_threads > kStoreMaxCompressionThreads) {
    return Status::invalid_argument(fmt::format("{}: {} compression threads (1..{})", path,
                                                compression_threads, kStoreMaxCompressionThreads));
  }
  StoreWriter w;
  w.compressor_ = std::make_unique<Compressor>();
  Compressor& c = *w.compressor_;
  Zstd& z = c.zstd;
  z.level = zstd_level;
  z.dictionary = std::move(dictionary);
  z.large_dictionary = z.dictionary.size() > kBoundedTablesAboveDictBytes;
  const bool trial = z.large_dictionary && search == StoreSearch::kTrial &&
                     fast_search_is_faster(zstd_level, chunk_bytes, z.dictionary.size());
  if (!z.dictionary.empty()) {
    w.fast_search_ = z.large_dictionary && search == StoreSearch::kFast;
    std::string error = z.digest(w.fast_search_, &z.cdict);
    if (error.empty() && trial) error = z.digest(true, &z.fast_cdict);
    if (!error.empty()) return Status::invalid_argument(fmt::format("{}: {}", path, error));
  }
  for (unsigned t = 0; t < compression_threads && zstd_level != kStoreRawLevel; ++t) {
    z.cctx.emplace_back(ZSTD_createCCtx());
    if (!z.cctx.back()) return Status::internal("zstd: cannot create a compression context");
    if (!z.large_dictionary) continue;
    size_t error = ZSTD_CCtx_refCDict(z.cctx.back().get(), z.cdict);
    if (ZSTD_isError(error)) return zstd_error(path, error);
  }
  FileHeader header;
  header.kind = FileKind::kStore;
  header.segment_uuid = segment_uuid;
  MORGUE_ASSIGN_OR_RETURN(w.file_, IndexFileWriter::create(path, header));
  MORGUE_RETURN_IF_ERROR(w.file_.append(z.dictionary));
  w.zstd_level_ = zstd_level;
  w.chunk_bytes_ = chunk_bytes;
  w.trial_pending_ = trial;
  // During a trial the ring holds all of its chunks: none is written before the choice.
  size_t slots = compression_threads == 1 ? 1 : compression_threads * kStoreChunksPerThread;
  c.ring.resize(trial ? std::max(slots, kStoreTrialChunks) : slots);
  for (unsigned t = 1; t < compression_threads; ++t) {
    try {
      c.helpers.emplace_back([&c, t] { c.help(t); });
    } catch (const std::system_error&) {
      break;  // no more threads to be had: this one compresses what they would have
    }
  }
  return w;
}

Status StoreWriter::add(std::string_view document) {
  if (finished_)
    return Status::invalid_argument(fmt::format("{}: add() after finish()", file_.path()));
  if (document.size() > kStoreMaxDocBytes) {
    return Status::invalid_argument(fmt::format("{}: document {} is {} bytes (limit {})",
                                                file_.path(), doc_count_, document.size(),
                                                kStoreMaxDocBytes));
  }
  if (doc_count_ == UINT32_MAX) {
    return Status::invalid_argument(fmt::format("{}: too many documents", file_.path()));
  }
  pending_.append(document);
  pending_lengths_.push_back(static_cast<uint32_t>(document.size()));
  ++doc_count_;
  raw_bytes_ += document.size();
  // Close the chunk once it holds chunk_bytes_: a chunk overshoots by at most one document,
  // and a document larger than a chunk gets a chunk of its own.
  if (pending_.size() >= chunk_bytes_) return close_chunk();
  return Status::ok();
}

Status StoreWriter::close_chunk() {
  if (pending_lengths_.empty()) return Status::ok();
  Compressor& c = *compressor_;
  // The slot is free: the ring is never left full (below), and no helper touches a chunk
  // before it is queued.
  Chunk& chunk = c.slot(c.closed);
  chunk.raw.clear();
  chunk.raw.reserve(pending_lengths_.size() * 2 + pending_.size());
  for (uint32_t length : pending_lengths_) put_varint(chunk.raw, length);
  chunk.raw.append(pending_);
  if (chunk.raw.size() > UINT32_MAX) {
    return Status::invalid_argument(fmt::format("{}: chunk too large", file_.path()));
  }
  chunk.first_doc = chunk_first_doc_;
  chunk.trial = trial_pending_;
  chunk.compressed = false;
  chunk_first_doc_ = doc_count_;
  pending_.clear();
  pending_lengths_.clear();
  {
    std::lock_guard lock(c.mu);
    ++c.closed;
  }
  c.queued.notify_one();
  if (trial_pending_) return c.closed == kStoreTrialChunks ? end_trial() : Status::ok();
  return c.closed - c.written == c.ring.size() ? write_chunks(false) : Status::ok();
}

Status StoreWriter::write_chunks(bool all) {
  Compressor& c = *compressor_;
  std::unique_lock lock(c.mu);
  c.work_until(lock, [&] {
    return all ? c.compressed_count == c.closed
               : c.written == c.closed || c.slot(c.written).compressed;
  });
  while (c.written < c.closed && c.slot(c.written).compressed) {
    const Chunk& chunk = c.slot(c.written);
    lock.unlock();
    if (ZSTD_isError(chunk.frame_bytes)) return zstd_error(file_.path(), chunk.frame_bytes);
    std::string_view frame(chunk.frame.data(), chunk.frame_bytes);
    put_fixed64(index_, file_.body_size());
    put_fixed64(index_, checksum(frame));
    put_fixed32(index_, chunk.first_doc);
    put_fixed32(index_, static_cast<uint32_t>(chunk.raw.size()));
    MORGUE_RETURN_IF_ERROR(file_.append(frame));
    compressed_bytes_ += frame.size();
    lock.lock();
    ++c.written;
  }
  return Status::ok();
}

Status StoreWriter::end_trial() {
  Compressor& c = *compressor_;
  {
    std::unique_lock lock(c.mu);
    c.work_until(lock, [&] { return c.compressed_count == c.closed; });
  }
  // Every trial chunk is compressed and no helper has anything to take: the chunks and
  // the contexts are this thread's until the next chunk is queued.
  trial_pending_ = false;
  uint64_t level_bytes = 0;
  uint64_t fast_bytes = 0;
  for (uint64_t n = c.written; n < c.closed; ++n) {
    const Chunk& chunk = c.slot(n);
    for (size_t frame_bytes : {chunk.frame_bytes, chunk.trial_frame_bytes}) {
      if (ZSTD_isError(frame_bytes)) return zstd_error(file_.path(), frame_bytes);
    }
    level_bytes += chunk.frame_bytes;
    fast_bytes += chunk.trial_frame_bytes;
  }
  // A tie goes to the fast search: the same bytes for less work.
  fast_search_ = fast_bytes <= level_bytes;
  for (uint64_t n = c.written; fast_search_ && n < c.closed; ++n) {
    Chunk& chunk = c.slot(n);
    std::swap(chunk.frame, chunk.trial_frame);
    chunk.frame_bytes = chunk.trial_frame_bytes;
  }
  size_t error = c.zstd.attach(fast_search_ ? c.zstd.fast_cdict : c.zstd.cdict);
  if (ZSTD_isError(error)) return zstd_error(file_.path(), error);
  return write_chunks(true);
}

Status StoreWriter::finish() {
  if (finished_) return Status::invalid_argument(fmt::format("{}: finish() twice", file_.path()));
  finished_ = true;
  MORGUE_RETURN_IF_ERROR(close_chunk());
  // A trial over fewer chunks than it wanted ends with them (none: no choice to make).
  const bool short_trial = trial_pending_ && compressor_->closed > 0;
  MORGUE_RETURN_IF_ERROR(short_trial ? end_trial() : write_chunks(true));
  uint64_t chunks_end = file_.body_size();
  std::string tail(static_cast<size_t>((8 - chunks_end % 8) % 8), '\0');
  tail.append(index_);
  put_fixed32(tail, doc_count_);
  put_fixed32(tail, chunk_count());
  const std::string& dictionary = compressor_->zstd.dictionary;
  put_fixed64(tail, dictionary.size());
  put_fixed64(tail, chunks_end);
  put_fixed64(tail, raw_bytes_);
  put_fixed64(tail, dictionary.empty() ? 0 : checksum(dictionary));
  put_fixed32(tail, static_cast<uint32_t>(zstd_level_));
  put_fixed32(tail, dictionary.empty() ? 0 : kStoreFlagDictionary);
  MORGUE_RETURN_IF_ERROR(file_.append(tail));
  return file_.finish();
}

}  // namespace morgue
