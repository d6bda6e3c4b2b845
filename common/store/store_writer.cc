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
#include <zdict.h>
#include <zstd.h>

#include <algorithm>

#include "common/base/checksum.h"
#include "common/base/coding.h"

namespace morgue {
namespace {

constexpr size_t kMinDictBytes = 1024;
// Below this many bytes of articles a dictionary is not worth training: ZDICT's fixed cost
// (tens of ms, mostly clearing its tables) dwarfs compressing so little, and the dictionary
// would take a good part of the small store it serves.
constexpr uint64_t kMinTrainingBytes = 256 * 1024;
constexpr size_t kMinSamples = 16;
constexpr uint64_t kSerialisedBytesPerDictByte = 512;

}  // namespace

size_t store_dictionary_bytes(uint64_t serialised_bytes) {
  return static_cast<size_t>(std::clamp<uint64_t>(serialised_bytes / kSerialisedBytesPerDictByte,
                                                  kStoreDictionaryBytes,
                                                  kStoreMaxDictionaryBytes));
}

size_t store_training_bytes(size_t dict_bytes) {
  return std::min(kStoreTrainingBytesPerDictByte * dict_bytes, kStoreMaxTrainingBytes);
}

std::string train_store_dictionary(std::string_view concatenated,
                                   const std::vector<size_t>& sizes, size_t max_dict_bytes) {
  size_t dict_bytes = std::min<uint64_t>(max_dict_bytes, concatenated.size() / 10);
  if (concatenated.size() < kMinTrainingBytes || dict_bytes < kMinDictBytes ||
      sizes.size() < kMinSamples) {
    return {};
  }
  std::string dict(dict_bytes, '\0');
  size_t n = ZDICT_trainFromBuffer(dict.data(), dict.size(), concatenated.data(), sizes.data(),
                                   static_cast<unsigned>(sizes.size()));
  if (ZDICT_isError(n)) return {};
  dict.resize(n);
  return dict;
}

std::string train_store_dictionary(const std::vector<std::string_view>& samples,
                                   size_t max_dict_bytes) {
  uint64_t total = 0;
  for (std::string_view s : samples) total += std::min(s.size(), kStoreMaxSampleBytes);
  // Take every k-th sample (k ≥ 1) so that the samples fit the budget and spread over the
  // whole segment rather than its first articles.
  uint64_t budget = store_training_bytes(max_dict_bytes);
  uint64_t stride = std::max<uint64_t>(1, (total + budget - 1) / budget);
  std::string buffer;
  std::vector<size_t> sizes;
  for (size_t i = 0; i < samples.size(); i += stride) {
    std::string_view s = samples[i].substr(0, kStoreMaxSampleBytes);
    if (s.empty()) continue;
    buffer.append(s);
    sizes.push_back(s.size());
  }
  return train_store_dictionary(buffer, sizes, max_dict_bytes);
}

// A dictionary larger than this would bring the level's match tables for a large input
// (at level 9, 2^21 hash and 2^20 chain entries: 14 MB beside a 2 MiB dictionary, slower
// to search). These bounds keep them at 8 MB for a tenth of a point of ratio at a million
// articles (docs/FORMAT.md#store, "Choices"). Smaller dictionaries keep the level's own.
constexpr size_t kBoundedTablesAboveDictBytes = 256 * 1024;
constexpr int kLargeDictionaryHashLog = 20;
constexpr int kLargeDictionaryChainLog = 19;

struct StoreWriter::Zstd {
  ZSTD_CCtx* cctx = nullptr;
  ZSTD_CDict* cdict = nullptr;
  // A large dictionary is loaded into cctx, with its tables bounded, instead of a CDict
  // (whose tables zstd's stable API sizes only by level).
  bool dictionary_in_cctx = false;
  ~Zstd() {
    ZSTD_freeCDict(cdict);
    ZSTD_freeCCtx(cctx);
  }
};

StoreWriter::StoreWriter() = default;
StoreWriter::StoreWriter(StoreWriter&&) noexcept = default;
StoreWriter& StoreWriter::operator=(StoreWriter&&) noexcept = default;
StoreWriter::~StoreWriter() = default;

Result<StoreWriter> StoreWriter::create(const std::string& path, const Uuid& segment_uuid,
                                        std::string dictionary, int zstd_level,
                                        size_t chunk_bytes) {
  if (zstd_level < ZSTD_minCLevel() || zstd_level > ZSTD_maxCLevel()) {
    return Status::invalid_argument(fmt::format("{}: zstd level {} is not in {}..{}", path,
                                                zstd_level, ZSTD_minCLevel(), ZSTD_maxCLevel()));
  }
  if (chunk_bytes == 0 || chunk_bytes > kStoreMaxDocBytes) {
    return Status::invalid_argument(fmt::format("{}: bad chunk size {}", path, chunk_bytes));
  }
  StoreWriter w;
  w.zstd_ = std::make_unique<Zstd>();
  w.zstd_->cctx = ZSTD_createCCtx();
  if (!w.zstd_->cctx) return Status::internal("zstd: cannot create a compression context");
  if (dictionary.size() > kBoundedTablesAboveDictBytes) {
    ZSTD_CCtx* c = w.zstd_->cctx;
    size_t error = ZSTD_CCtx_setParameter(c, ZSTD_c_compressionLevel, zstd_level);
    if (!ZSTD_isError(error))
      error = ZSTD_CCtx_setParameter(c, ZSTD_c_hashLog, kLargeDictionaryHashLog);
    if (!ZSTD_isError(error))
      error = ZSTD_CCtx_setParameter(c, ZSTD_c_chainLog, kLargeDictionaryChainLog);
    if (!ZSTD_isError(error))
      error = ZSTD_CCtx_loadDictionary(c, dictionary.data(), dictionary.size());
    if (ZSTD_isError(error)) {
      return Status::invalid_argument(fmt::format("{}: zstd rejects the dictionary: {}", path,
                                                  ZSTD_getErrorName(error)));
    }
    w.zstd_->dictionary_in_cctx = true;
  } else if (!dictionary.empty()) {
    w.zstd_->cdict = ZSTD_createCDict(dictionary.data(), dictionary.size(), zstd_level);
    if (!w.zstd_->cdict) {
      return Status::invalid_argument(fmt::format("{}: zstd rejects the dictionary", path));
    }
  }
  FileHeader header;
  header.kind = FileKind::kStore;
  header.segment_uuid = segment_uuid;
  MORGUE_ASSIGN_OR_RETURN(w.file_, IndexFileWriter::create(path, header));
  MORGUE_RETURN_IF_ERROR(w.file_.append(dictionary));
  w.dictionary_ = std::move(dictionary);
  w.zstd_level_ = zstd_level;
  w.chunk_bytes_ = chunk_bytes;
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
  if (pending_.size() >= chunk_bytes_) return flush_chunk();
  return Status::ok();
}

Status StoreWriter::flush_chunk() {
  if (pending_lengths_.empty()) return Status::ok();
  std::string raw;
  raw.reserve(pending_lengths_.size() * 2 + pending_.size());
  for (uint32_t length : pending_lengths_) put_varint(raw, length);
  raw.append(pending_);
  if (raw.size() > UINT32_MAX) {
    return Status::invalid_argument(fmt::format("{}: chunk too large", file_.path()));
  }
  compressed_.resize(ZSTD_compressBound(raw.size()));
  size_t n;
  if (zstd_->dictionary_in_cctx) {
    n = ZSTD_compress2(zstd_->cctx, compressed_.data(), compressed_.size(), raw.data(),
                       raw.size());
  } else if (zstd_->cdict) {
    n = ZSTD_compress_usingCDict(zstd_->cctx, compressed_.data(), compressed_.size(), raw.data(),
                                 raw.size(), zstd_->cdict);
  } else {
    n = ZSTD_compressCCtx(zstd_->cctx, compressed_.data(), compressed_.size(), raw.data(),
                          raw.size(), zstd_level_);
  }
  if (ZSTD_isError(n)) {
    return Status::internal(fmt::format("{}: zstd: {}", file_.path(), ZSTD_getErrorName(n)));
  }
  std::string_view frame(compressed_.data(), n);
  put_fixed64(index_, file_.body_size());
  put_fixed64(index_, checksum(frame));
  put_fixed32(index_, chunk_first_doc_);
  put_fixed32(index_, static_cast<uint32_t>(raw.size()));
  MORGUE_RETURN_IF_ERROR(file_.append(frame));
  compressed_bytes_ += n;
  chunk_first_doc_ = doc_count_;
  pending_.clear();
  pending_lengths_.clear();
  return Status::ok();
}

Status StoreWriter::finish() {
  if (finished_) return Status::invalid_argument(fmt::format("{}: finish() twice", file_.path()));
  finished_ = true;
  MORGUE_RETURN_IF_ERROR(flush_chunk());
  uint64_t chunks_end = file_.body_size();
  std::string tail(static_cast<size_t>((8 - chunks_end % 8) % 8), '\0');
  tail.append(index_);
  put_fixed32(tail, doc_count_);
  put_fixed32(tail, chunk_count());
  put_fixed64(tail, dictionary_.size());
  put_fixed64(tail, chunks_end);
  put_fixed64(tail, raw_bytes_);
  put_fixed64(tail, dictionary_.empty() ? 0 : checksum(dictionary_));
  put_fixed32(tail, static_cast<uint32_t>(zstd_level_));
  put_fixed32(tail, dictionary_.empty() ? 0 : kStoreFlagDictionary);
  MORGUE_RETURN_IF_ERROR(file_.append(tail));
  return file_.finish();
}

}  // namespace morgue
