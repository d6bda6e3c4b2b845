#include "common/index/segment_reader.h"

#include <filesystem>
#include <fmt/format.h>

#include "common/analysis/field_terms.h"

namespace morgue {
namespace fs = std::filesystem;

namespace {

Result<std::string_view> open_stream(const std::string& path, FileKind kind, const Uuid& uuid,
                                     uint8_t codec_id, bool verify, MmapFile& file) {
  MORGUE_ASSIGN_OR_RETURN(file, MmapFile::open(path));
  MORGUE_ASSIGN_OR_RETURN(CheckedFile checked, check_file(file.bytes(), path, kind, &uuid, verify));
  if (checked.header.codec_id != codec_id) {
    return Status::corruption(fmt::format("{}: codec {} differs from the manifest's {}", path,
                                          checked.header.codec_id, codec_id));
  }
  return checked.body;
}

}  // namespace

Result<std::shared_ptr<const SegmentReader>> SegmentReader::open(const std::string& dir,
                                                                 const SegmentMeta& meta,
                                                                 const OpenOptions& options) {
  auto r = std::shared_ptr<SegmentReader>(new SegmentReader());
  r->meta_ = meta;
  auto path = [&](FileKind kind) {
    return (fs::path(dir) / segment_file_name(meta.number, kind)).string();
  };
  bool verify = options.verify_checksums;
  r->codec_ = codec_by_id(meta.codec_id);
  if (!r->codec_) {
    return Status::not_supported(fmt::format(
        "segment {}: unknown codec id {} (written by a newer morgue?)", meta.number, meta.codec_id));
  }
  MORGUE_ASSIGN_OR_RETURN(TermDictReader terms,
                          TermDictReader::open(path(FileKind::kTermDict), &meta.uuid, verify));
  r->terms_ = std::make_unique<TermDictReader>(std::move(terms));
  MORGUE_ASSIGN_OR_RETURN(DocValuesReader values,
                          DocValuesReader::open(path(FileKind::kDocValues), &meta.uuid, verify));
  r->values_ = std::make_unique<DocValuesReader>(std::move(values));
  MORGUE_ASSIGN_OR_RETURN(StoreReader store,
                          StoreReader::open(path(FileKind::kStore), &meta.uuid, verify));
  r->store_ = std::make_unique<StoreReader>(std::move(store));
  MORGUE_ASSIGN_OR_RETURN(r->postings_body_,
                          open_stream(path(FileKind::kPostings), FileKind::kPostings, meta.uuid,
                                      meta.codec_id, verify, r->postings_file_));
  MORGUE_ASSIGN_OR_RETURN(r->positions_body_,
                          open_stream(path(FileKind::kPositions), FileKind::kPositions, meta.uuid,
                                      meta.codec_id, verify, r->positions_file_));
  if (r->values_->doc_count() != meta.doc_count || r->store_->doc_count() != meta.doc_count) {
    return Status::corruption(fmt::format(
        "segment {}: the manifest says {} documents, the values file {} and the store {}",
        meta.number, meta.doc_count, r->values_->doc_count(), r->store_->doc_count()));
  }
  if (meta.deletions_generation != 0) {
    std::string del = (fs::path(dir) / deletions_file_name(meta.number, meta.deletions_generation))
                          .string();
    MORGUE_ASSIGN_OR_RETURN(r->deletions_,
                            DeletionSet::read(del, &meta.uuid, meta.doc_count, verify));
    if (r->deletions_.deleted_count() != meta.deleted_count ||
        r->deletions_.deleted_doclen() != meta.deleted_doclen) {
      return Status::corruption(
          fmt::format("{}: deletion counts differ from the manifest's", del));
    }
    std::error_code ec;
    r->deletions_file_bytes_ = fs::file_size(del, ec);
  } else {
    if (meta.deleted_count != 0) {
      return Status::corruption(
          fmt::format("segment {}: deleted documents but no deletion file", meta.number));
    }
    r->deletions_ = DeletionSet(meta.doc_count);
  }
  return std::shared_ptr<const SegmentReader>(std::move(r));
}

Status SegmentReader::open_postings(const TermInfo& info, PostingsIterator& out) const {
  return morgue::open_postings(postings_body_, positions_body_, info, *codec_, meta_.doc_count,
                               out);
}

Status SegmentReader::measure_layout(const TermInfo& info, PostingsLayout& out) const {
  MORGUE_RETURN_IF_ERROR(check_term_bounds(info, postings_body_.size(), positions_body_.size()));
  return measure_term_layout(postings_body_.substr(info.postings_offset, info.postings_length),
                             positions_body_.substr(info.positions_offset, info.positions_length),
                             info, *codec_, meta_.doc_count, out);
}

Result<SegmentReader::PostingsFiles> SegmentReader::open_postings_files(size_t window_bytes) const {
  MORGUE_ASSIGN_OR_RETURN(RandomAccessFile postings, RandomAccessFile::open(postings_file_.path()));
  MORGUE_ASSIGN_OR_RETURN(RandomAccessFile positions,
                          RandomAccessFile::open(positions_file_.path()));
  return PostingsFiles{
      WindowedFileReader(std::move(postings), postings_file_.size(), window_bytes),
      WindowedFileReader(std::move(positions), positions_file_.size(), window_bytes)};
}

Status SegmentReader::read_postings(const TermInfo& info, PostingsFiles& files,
                                    TermBytes& bytes) const {
  // Checked before reading: a damaged length must not become a huge allocation.
  MORGUE_RETURN_IF_ERROR(check_term_bounds(info, postings_body_.size(), positions_body_.size()));
  // TermInfo offsets are within the bodies; a body starts after its file's header.
  uint64_t postings_start = postings_body_.data() - postings_file_.bytes().data();
  uint64_t positions_start = positions_body_.data() - positions_file_.bytes().data();
  MORGUE_ASSIGN_OR_RETURN(bytes.postings, files.postings.read(postings_start + info.postings_offset,
                                                              info.postings_length));
  MORGUE_ASSIGN_OR_RETURN(
      bytes.positions,
      files.positions.read(positions_start + info.positions_offset, info.positions_length));
  return Status::ok();
}

Status SegmentReader::open_postings(const TermInfo& info, const TermBytes& bytes,
                                    PostingsIterator& out) const {
  return open_term_postings(bytes.postings, bytes.positions, info, *codec_, meta_.doc_count, out);
}

Result<std::optional<DocNum>> SegmentReader::find_article(std::string_view id) const {
  MORGUE_ASSIGN_OR_RETURN(std::optional<TermInfo> info, find(make_term(prefix::kId, id)));
  if (!info) return std::optional<DocNum>();
  PostingsIterator it;
  MORGUE_RETURN_IF_ERROR(open_postings(*info, it));
  for (; it.doc() != kEndDoc; it.next())
    if (!is_deleted(it.doc())) return std::optional<DocNum>(it.doc());
  MORGUE_RETURN_IF_ERROR(it.status());
  return std::optional<DocNum>();
}

Status SegmentReader::article_ids(std::vector<std::string>& ids) const {
  ids.assign(meta_.doc_count, std::string());
  auto it = terms_->seek(prefix::kId);
  for (; it.valid() && it.term().starts_with(prefix::kId); it.next()) {
    PostingsIterator postings;
    MORGUE_RETURN_IF_ERROR(open_postings(it.info(), postings));
    for (; postings.doc() != kEndDoc; postings.next()) {
      if (postings.doc() >= ids.size()) {
        return Status::corruption(
            fmt::format("segment {}: id term points past the last document", meta_.number));
      }
      ids[postings.doc()] = std::string(it.term().substr(prefix::kId.size()));
    }
    MORGUE_RETURN_IF_ERROR(postings.status());
  }
  return it.status();
}

void SegmentReader::drop_resident_pages() const {
  terms_->drop_resident_pages();
  values_->drop_resident_pages();
  store_->drop_resident_pages();
  postings_file_.drop_resident_pages();
  positions_file_.drop_resident_pages();
}

uint64_t SegmentReader::file_bytes(FileKind kind) const {
  switch (kind) {
    case FileKind::kTermDict: return terms_->file_bytes();
    case FileKind::kPostings: return postings_file_.size();
    case FileKind::kPositions: return positions_file_.size();
    case FileKind::kDocValues: return values_->file_bytes();
    case FileKind::kStore: return store_->file_bytes();
    case FileKind::kDeletes: return deletions_file_bytes_;
    case FileKind::kManifest: return 0;
  }
  return 0;
}

}  // namespace morgue
