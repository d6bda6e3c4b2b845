#include "indexer/index/segment_writer.h"

#include <algorithm>
#include <filesystem>
#include <unordered_map>
#include <fmt/format.h>

#include "common/analysis/field_terms.h"
#include "common/base/checksum.h"
#include "common/base/crash_point.h"
#include "common/format/postings_writer.h"
#include "common/format/term_dict_writer.h"
#include "common/store/store_writer.h"

namespace morgue {
namespace fs = std::filesystem;

namespace {

// Postings and positions are built a term at a time in memory and appended to their files
// once they pass this size, so a segment's postings never need to fit in memory.
constexpr size_t kStreamFlushBytes = 4u << 20;

// Moves `buffer` to the end of `file` once it passes kStreamFlushBytes. A frequent word
// grows a buffer far beyond that; its capacity is returned rather than held to the end.
Status append_if_full(IndexFileWriter& file, std::string& buffer, uint64_t& flushed) {
  if (buffer.size() <= kStreamFlushBytes) return Status::ok();
  MORGUE_RETURN_IF_ERROR(file.append(buffer));
  flushed += buffer.size();
  if (buffer.capacity() > 2 * kStreamFlushBytes) {
    std::string().swap(buffer);
  } else {
    buffer.clear();
  }
  return Status::ok();
}

// Two terms often have the same postings bytes: a word and its stem when the word is the
// stem's one surface form in the segment (market, Zmarket), a headline word and its stem
// (Smarket, ZSmarket), an entity and its one type (Eghana, Lghana), the words of a name
// always seen together (towbin, unterberg). A term whose bytes equal those of a list already
// written points at that list instead (docs/FORMAT.md#shared-postings). This is such a
// list, remembered by its fingerprint's low half: 24 bytes, about 56 with the map's node
// and bucket.
struct SharedPostings {
  uint64_t fingerprint_high = 0;  // with the frequency flag folded in: it must match too
  uint64_t offset = 0;            // in the postings body
  uint32_t length = 0;
  uint32_t df = 0;
};

}  // namespace

struct SegmentWriter::Files {
  std::string dir;
  uint64_t number = 0;
  Uuid uuid{};
  const BlockCodec* codec = nullptr;
  std::optional<TermDictWriter> terms;
  std::optional<IndexFileWriter> postings;
  std::optional<IndexFileWriter> positions;
  std::optional<StoreWriter> store;
  DocValuesWriter values;
  PostingsWriter postings_writer;
  std::string doc_buffer;  // postings not yet appended to the file
  std::string pos_buffer;
  uint64_t doc_flushed = 0;  // bytes of postings already in the file
  uint64_t pos_flushed = 0;
  uint64_t total_doclen = 0;
  ScoreBounds bounds = ScoreBounds::kExact;
  uint32_t shortest_doclen = UINT32_MAX;  // of the documents added
  std::vector<uint32_t> term_doclens;  // scratch: doclens of one term's documents
  std::vector<uint32_t> docs, wdfs;  // scratch: add_unsorted_term
  std::vector<PendingPosting> sort_scratch;  // scratch: sort_by_doc in add_unsorted_term
  std::unordered_map<uint64_t, SharedPostings> shared;  // lists later terms may share
  bool finished = false;

  explicit Files(const BlockCodec& c) : codec(&c), postings_writer(c) {}

  std::string path(FileKind kind) const {
    return (fs::path(dir) / segment_file_name(number, kind)).string();
  }
};

Result<std::unique_ptr<SegmentWriter>> SegmentWriter::create(const std::string& dir,
                                                             uint64_t number,
                                                             const BlockCodec& codec,
                                                             ScoreBounds bounds) {
  std::unique_ptr<SegmentWriter> w(new SegmentWriter());
  w->files_ = std::make_unique<Files>(codec);
  Files& f = *w->files_;
  f.dir = dir;
  f.number = number;
  f.bounds = bounds;
  f.uuid = random_uuid();
  MORGUE_ASSIGN_OR_RETURN(f.terms, TermDictWriter::create(f.path(FileKind::kTermDict), f.uuid));
  FileHeader header;
  header.segment_uuid = f.uuid;
  header.codec_id = static_cast<uint8_t>(codec.id());
  header.kind = FileKind::kPostings;
  MORGUE_ASSIGN_OR_RETURN(f.postings, IndexFileWriter::create(f.path(FileKind::kPostings), header));
  header.kind = FileKind::kPositions;
  MORGUE_ASSIGN_OR_RETURN(f.positions,
                          IndexFileWriter::create(f.path(FileKind::kPositions), header));
  return w;
}

Status SegmentWriter::open_store(std::string dictionary, int zstd_level,
                                 unsigned compression_threads) {
  Files& f = *files_;
  if (f.store) return Status::internal(fmt::format("segment {}: store opened twice", f.number));
  MORGUE_ASSIGN_OR_RETURN(f.store, StoreWriter::create(f.path(FileKind::kStore), f.uuid,
                                                       std::move(dictionary), zstd_level,
                                                       kStoreChunkBytes, compression_threads));
  return Status::ok();
}

Status SegmentWriter::add_stored(std::string_view stored_article) {
  Files& f = *files_;
  if (!f.store) return Status::internal(fmt::format("segment {}: store not opened", f.number));
  return f.store->add(stored_article);
}

SegmentWriter::~SegmentWriter() {
  if (!files_ || files_->finished) return;
  // The writers remove their own unfinished files; the values file is written by finish().
  std::error_code ec;
  fs::remove(files_->path(FileKind::kDocValues), ec);
}

uint32_t SegmentWriter::doc_count() const { return files_->values.doc_count(); }

Status SegmentWriter::add_document(const DocValues& values) {
  Files& f = *files_;
  uint32_t n = f.values.doc_count();
  if (n > 0 && values.published < f.values.published(n - 1)) {
    return Status::internal(fmt::format("segment {}: document {} added out of date order", f.number, n));
  }
  f.values.add(values);
  f.total_doclen += values.doclen;
  f.shortest_doclen = std::min(f.shortest_doclen, values.doclen);
  return Status::ok();
}

Status SegmentWriter::add_term(std::string_view term, std::span<const uint32_t> docs,
                               std::span<const uint32_t> wdfs,
                               const PostingsWriter::PositionsOf& positions_of) {
  Files& f = *files_;
  f.term_doclens.clear();
  if (f.bounds == ScoreBounds::kExact) {
    for (uint32_t d : docs) f.term_doclens.push_back(f.values.doclen(d));
  } else {
    // Every document is in before the first term: the shortest is the segment's.
    f.postings_writer.use_loose_bounds(f.shortest_doclen);
  }
  uint8_t flags = (wdfs.empty() ? 0 : kHasFreqs) | (positions_of ? kHasPositions : 0);
  const size_t start = f.doc_buffer.size();
  TermInfo info = f.postings_writer.write_term(docs, wdfs, positions_of, f.term_doclens, flags,
                                               f.doc_buffer, f.pos_buffer);
  info.postings_offset += f.doc_flushed;
  info.positions_offset += f.pos_flushed;
  if (info.postings_length >= kMinSharedPostingsBytes && info.postings_length <= UINT32_MAX) {
    Fingerprint print = fingerprint(std::string_view(f.doc_buffer).substr(start));
    // Positions live apart, so they need not match; the frequency flag must.
    print.high ^= flags & kHasFreqs;
    auto [it, fresh] = f.shared.try_emplace(print.low);
    SharedPostings& same = it->second;
    if (fresh) {
      same = {print.high, info.postings_offset, static_cast<uint32_t>(info.postings_length),
              info.df};
    } else if (same.fingerprint_high == print.high && same.length == info.postings_length &&
               same.df == info.df) {
      f.doc_buffer.resize(start);
      info.postings_offset = same.offset;
    }
  }
  MORGUE_RETURN_IF_ERROR(f.terms->add(term, info));
  MORGUE_RETURN_IF_ERROR(append_if_full(*f.postings, f.doc_buffer, f.doc_flushed));
  return append_if_full(*f.positions, f.pos_buffer, f.pos_flushed);
}

Status SegmentWriter::add_unsorted_term(std::string_view term,
                                        std::vector<PendingPosting>& postings,
                                        std::span<const uint32_t> positions) {
  Files& f = *files_;
  sort_by_doc(postings, f.sort_scratch);
  bool with_freqs = !is_filter_term(term);
  f.docs.clear();
  f.wdfs.clear();
  for (const PendingPosting& p : postings) {
    f.docs.push_back(p.doc);
    if (with_freqs) f.wdfs.push_back(p.wdf);
  }
  // Each document's positions are read where the inverter decoded them.
  PostingsWriter::PositionsOf positions_of;
  if (has_positions(term)) {
    positions_of = [&](size_t i) {
      return positions.subspan(postings[i].pos_begin, postings[i].pos_count);
    };
  }
  return add_term(term, f.docs, f.wdfs, positions_of);
}

Result<SegmentMeta> SegmentWriter::finish() {
  Files& f = *files_;
  if (!f.store || f.store->doc_count() != f.values.doc_count()) {
    return Status::internal(fmt::format("segment {}: {} stored articles for {} documents",
                                        f.number, f.store ? f.store->doc_count() : 0,
                                        f.values.doc_count()));
  }
  MORGUE_RETURN_IF_ERROR(f.postings->append(f.doc_buffer));
  MORGUE_RETURN_IF_ERROR(f.positions->append(f.pos_buffer));
  crash_point("segment-finishing");  // terms written, files not yet complete
  MORGUE_RETURN_IF_ERROR(f.postings->finish());
  MORGUE_RETURN_IF_ERROR(f.positions->finish());
  MORGUE_RETURN_IF_ERROR(f.terms->finish());
  MORGUE_RETURN_IF_ERROR(f.store->finish());
  MORGUE_RETURN_IF_ERROR(f.values.write(f.path(FileKind::kDocValues), f.uuid));
  f.finished = true;
  SegmentMeta meta;
  meta.number = f.number;
  meta.uuid = f.uuid;
  meta.doc_count = f.values.doc_count();
  meta.total_doclen = f.total_doclen;
  meta.codec_id = static_cast<uint8_t>(f.codec->id());
  if (meta.doc_count > 0) {
    meta.min_published = f.values.published(0);
    meta.max_published = f.values.published(meta.doc_count - 1);
  }
  return meta;
}

}  // namespace morgue
