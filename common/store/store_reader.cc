// Layout: docs/FORMAT.md#store (the grammar is next to the writer, store_writer.cc).
#include "common/store/store_reader.h"

#include <fmt/format.h>
#include <zstd.h>

#include <mutex>

#include "common/base/checksum.h"
#include "common/base/coding.h"
#include "common/store/article_codec.h"
#include "common/store/store_writer.h"
#include "common/store/zstd_handles.h"

namespace morgue {
namespace {

// One decompression context per thread, reused across calls and readers: creating one
// costs more than decompressing a small chunk, and a context must not be shared between
// threads. Null if out of memory.
ZSTD_DCtx* thread_dctx() {
  thread_local ZstdDCtxPtr ctx(ZSTD_createDCtx());
  return ctx.get();
}

// Buffers of one get() on this thread. A buffer grown by an unusually large chunk is
// released afterwards so that a thread does not keep it forever.
constexpr size_t kKeepBufferBytes = 4 << 20;

}  // namespace

struct StoreReader::Zstd {
  std::once_flag digest_once;
  Status digested;  // the outcome of checking and digesting the dictionary
  ZSTD_DDict* ddict = nullptr;
  ~Zstd() { ZSTD_freeDDict(ddict); }
};

StoreReader::StoreReader() = default;
StoreReader::StoreReader(StoreReader&&) noexcept = default;
StoreReader& StoreReader::operator=(StoreReader&&) noexcept = default;
StoreReader::~StoreReader() = default;

Status StoreReader::corrupt(uint64_t body_offset, std::string_view what) const {
  return Status::corruption(fmt::format("{} (article store, offset {}): {}", file_.path(),
                                        kFileHeaderSize + body_offset, what));
}

uint64_t StoreReader::chunk_offset(uint32_t chunk) const {
  return load_fixed64(index_ + chunk * kStoreIndexEntryBytes);
}
uint32_t StoreReader::first_doc(uint32_t chunk) const {
  return chunk == chunk_count_ ? doc_count_
                               : load_fixed32(index_ + chunk * kStoreIndexEntryBytes + 16);
}

Result<StoreReader> StoreReader::open(const std::string& path, const Uuid* expected_uuid,
                                      bool verify_checksum) {
  StoreReader r;
  MORGUE_ASSIGN_OR_RETURN(r.file_, MmapFile::open(path));
  MORGUE_ASSIGN_OR_RETURN(CheckedFile checked, check_file(r.file_.bytes(), path, FileKind::kStore,
                                                          expected_uuid, verify_checksum));
  r.body_ = checked.body;
  r.zstd_ = std::make_unique<Zstd>();
  std::string_view body = r.body_;
  if (body.size() < kStoreTrailerBytes) return r.corrupt(0, "body too short for the trailer");
  uint64_t trailer_at = body.size() - kStoreTrailerBytes;
  ByteReader trailer(body.substr(trailer_at));
  r.doc_count_ = trailer.fixed32();
  r.chunk_count_ = trailer.fixed32();
  uint64_t dictionary_length = trailer.fixed64();
  r.chunks_end_ = trailer.fixed64();
  r.raw_bytes_ = trailer.fixed64();
  uint64_t dictionary_checksum = trailer.fixed64();
  trailer.fixed32();  // zstd level: informative
  uint32_t flags = trailer.fixed32();
  auto bad_trailer = [&](std::string_view what) { return r.corrupt(trailer_at, what); };
  if (flags & ~kStoreFlagDictionary) return bad_trailer("reserved flags are set");
  if (((flags & kStoreFlagDictionary) != 0) != (dictionary_length != 0)) {
    return bad_trailer("dictionary flag and length disagree");
  }
  if ((r.doc_count_ == 0) != (r.chunk_count_ == 0) || r.chunk_count_ > r.doc_count_) {
    return bad_trailer(fmt::format("{} chunks for {} documents", r.chunk_count_, r.doc_count_));
  }
  // Every quantity below is bounded by the body size before it enters a sum, so no sum
  // overflows.
  if (r.chunks_end_ > trailer_at || dictionary_length > r.chunks_end_) {
    return bad_trailer("dictionary or chunks extend past the index");
  }
  uint64_t index_at = (r.chunks_end_ + 7) / 8 * 8;
  if (index_at + uint64_t{r.chunk_count_} * kStoreIndexEntryBytes != trailer_at) {
    return bad_trailer("chunk index size does not match the chunk count");
  }
  for (uint64_t i = r.chunks_end_; i < index_at; ++i) {
    if (body[i] != '\0') return r.corrupt(i, "padding is not zero");
  }
  r.index_ = body.data() + index_at;

  r.dictionary_ = body.substr(0, dictionary_length);
  r.dictionary_checksum_ = dictionary_checksum;
  if (r.dictionary_.empty() && dictionary_checksum != 0) {
    return bad_trailer("dictionary checksum without a dictionary");
  }

  // The chunk index: frames end to end from the dictionary's end to chunks_end, first
  // documents strictly increasing from 0, each raw chunk long enough for its lengths.
  uint64_t raw_total = 0;
  for (uint32_t c = 0; c < r.chunk_count_; ++c) {
    uint64_t entry_at = index_at + uint64_t{c} * kStoreIndexEntryBytes;
    uint64_t offset = r.chunk_offset(c);
    uint64_t end = c + 1 < r.chunk_count_ ? r.chunk_offset(c + 1) : r.chunks_end_;
    uint32_t first = r.first_doc(c);
    uint32_t next = r.first_doc(c + 1);
    uint32_t raw_length = load_fixed32(r.index_ + c * kStoreIndexEntryBytes + 20);
    if ((c == 0 && offset != dictionary_length) || offset >= end || end > r.chunks_end_) {
      return r.corrupt(entry_at, fmt::format("chunk {}: bad offset {}", c, offset));
    }
    if ((c == 0 && first != 0) || first >= next) {
      return r.corrupt(entry_at, fmt::format("chunk {}: bad first document {}", c, first));
    }
    if (raw_length < next - first) {
      return r.corrupt(entry_at, fmt::format("chunk {}: raw length {} too small", c, raw_length));
    }
    raw_total += raw_length;
  }
  // Each document costs its bytes plus a 1..5-byte length varint (raw_total < 2^64: at
  // most 2^32 chunks of < 2^32 bytes).
  uint64_t varint_bytes = raw_total - r.raw_bytes_;
  if (r.raw_bytes_ > raw_total || varint_bytes < r.doc_count_ ||
      varint_bytes > uint64_t{5} * r.doc_count_) {
    return bad_trailer("raw_bytes does not match the chunk sizes");
  }
  return r;
}

Status StoreReader::read_chunk(uint32_t chunk, std::string& buffer,
                               std::vector<std::string_view>& docs) const {
  uint64_t offset = chunk_offset(chunk);
  // Bounds checked at open.
  return decode_chunk(chunk, body_.substr(offset, chunk_end(chunk) - offset), buffer, docs);
}

uint64_t StoreReader::chunk_end(uint32_t chunk) const {
  return chunk + 1 < chunk_count_ ? chunk_offset(chunk + 1) : chunks_end_;
}

Status StoreReader::decode_chunk(uint32_t chunk, std::string_view frame, std::string& buffer,
                                 std::vector<std::string_view>& docs) const {
  uint64_t offset = chunk_offset(chunk);
  const char* entry = index_ + chunk * kStoreIndexEntryBytes;
  // The checksum covers the frame before zstd sees it: damaged bytes never reach the
  // decompressor, and a damaged chunk is reported, never returned as garbage.
  if (checksum(frame) != load_fixed64(entry + 8)) {
    return corrupt(offset,
                   fmt::format("chunk {}: checksum mismatch (the chunk is damaged)", chunk));
  }
  uint32_t raw_length = load_fixed32(entry + 20);
  // Compared before allocating, so a damaged raw_length cannot ask for gigabytes.
  if (ZSTD_getFrameContentSize(frame.data(), frame.size()) != raw_length) {
    return corrupt(offset, fmt::format("chunk {}: size does not match the index", chunk));
  }
  MORGUE_RETURN_IF_ERROR(digest_dictionary());
  ZSTD_DCtx* dctx = thread_dctx();
  if (!dctx) return Status::internal("zstd: cannot create a decompression context");
  if (buffer.size() < raw_length) buffer.resize(raw_length);
  size_t n = zstd_->ddict
                 ? ZSTD_decompress_usingDDict(dctx, buffer.data(), raw_length, frame.data(),
                                              frame.size(), zstd_->ddict)
                 : ZSTD_decompressDCtx(dctx, buffer.data(), raw_length, frame.data(), frame.size());
  if (ZSTD_isError(n) || n != raw_length) {
    return corrupt(offset, fmt::format("chunk {}: zstd: {}", chunk,
                                       ZSTD_isError(n) ? ZSTD_getErrorName(n) : "short content"));
  }
  // Two passes over the lengths (a chunk holds tens of documents): the first checks that
  // they add up to exactly the bytes after them, the second cuts the documents.
  uint32_t count = first_doc(chunk + 1) - first_doc(chunk);
  std::string_view raw(buffer.data(), raw_length);
  ByteReader lengths(raw);
  uint64_t total = 0;
  for (uint32_t i = 0; i < count; ++i) total += lengths.varint32();
  if (!lengths.ok() || total != lengths.remaining()) {
    return corrupt(offset, fmt::format("chunk {}: document lengths do not match its size", chunk));
  }
  const char* p = lengths.position();
  lengths = ByteReader(raw);
  docs.resize(count);
  for (std::string_view& doc : docs) {
    uint32_t length = lengths.varint32();
    doc = std::string_view(p, length);
    p += length;
  }
  return Status::ok();
}

Status StoreReader::digest_dictionary() const {
  if (dictionary_.empty()) return Status::ok();
  std::call_once(zstd_->digest_once, [this] {
    Zstd& z = *zstd_;
    if (checksum(dictionary_) != dictionary_checksum_) {
      z.digested = corrupt(0, "dictionary checksum mismatch (the dictionary is damaged)");
    } else if (!(z.ddict = ZSTD_createDDict(dictionary_.data(), dictionary_.size()))) {
      z.digested = corrupt(0, "zstd rejects the dictionary");
    }
  });
  return zstd_->digested;
}

Status StoreReader::check_doc(uint32_t doc) const {
  if (doc < doc_count_) return Status::ok();
  return Status::invalid_argument(fmt::format("{}: document {} out of range (the store holds {})",
                                              file_.path(), doc, doc_count_));
}

uint32_t StoreReader::chunk_of(uint32_t doc) const {
  // The last chunk whose first document is <= doc (chunk 0 starts at 0).
  uint32_t lo = 0, hi = chunk_count_;
  while (hi - lo > 1) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (first_doc(mid) <= doc)
      lo = mid;
    else
      hi = mid;
  }
  return lo;
}

Result<std::string> StoreReader::get(uint32_t doc) const {
  MORGUE_RETURN_IF_ERROR(check_doc(doc));
  uint32_t chunk = chunk_of(doc);
  thread_local std::string buffer;
  thread_local std::vector<std::string_view> docs;
  Status status = read_chunk(chunk, buffer, docs);
  Result<std::string> out = status.is_ok()
                                ? Result<std::string>(std::string(docs[doc - first_doc(chunk)]))
                                : Result<std::string>(status);
  if (buffer.size() > kKeepBufferBytes) std::string().swap(buffer);
  return out;
}

Result<std::string_view> StoreReader::Cursor::get(uint32_t doc) {
  MORGUE_RETURN_IF_ERROR(store_->check_doc(doc));
  bool in_current = has_chunk_ && doc >= first_ && doc - first_ < docs_.size();
  if (!in_current) {
    has_chunk_ = false;
    uint32_t chunk = store_->chunk_of(doc);
    if (!file_open_) {
      MORGUE_ASSIGN_OR_RETURN(file_, RandomAccessFile::open(store_->path()));
      file_open_ = true;
    }
    uint64_t offset = store_->chunk_offset(chunk);
    uint64_t body_in_file = store_->body_.data() - store_->file_.bytes().data();
    MORGUE_RETURN_IF_ERROR(
        file_.read(body_in_file + offset, store_->chunk_end(chunk) - offset, frame_));
    MORGUE_RETURN_IF_ERROR(store_->decode_chunk(chunk, frame_, buffer_, docs_));
    first_ = store_->first_doc(chunk);
    has_chunk_ = true;
  }
  return docs_[doc - first_];
}

Result<Article> StoreReader::get_article(uint32_t doc) const {
  MORGUE_ASSIGN_OR_RETURN(std::string bytes, get(doc));
  Article article;
  Status status = decode_article(bytes, article);
  if (!status.is_ok())
    return status.with_context(fmt::format("{}: document {}", file_.path(), doc));
  return article;
}

Status StoreReader::for_each(
    const std::function<Status(uint32_t doc, std::string_view bytes)>& visit) const {
  std::string buffer;
  std::vector<std::string_view> docs;
  for (uint32_t c = 0; c < chunk_count_; ++c) {
    MORGUE_RETURN_IF_ERROR(read_chunk(c, buffer, docs));
    uint32_t first = first_doc(c);
    for (uint32_t i = 0; i < docs.size(); ++i) MORGUE_RETURN_IF_ERROR(visit(first + i, docs[i]));
  }
  return Status::ok();
}

Status StoreReader::verify() const {
  uint64_t total = 0;
  MORGUE_RETURN_IF_ERROR(for_each([&](uint32_t, std::string_view bytes) {
    total += bytes.size();
    return Status::ok();
  }));
  if (total != raw_bytes_) {
    return corrupt(body_.size() - kStoreTrailerBytes,
                   fmt::format("documents hold {} bytes, the trailer says {}", total, raw_bytes_));
  }
  return Status::ok();
}

}  // namespace morgue
