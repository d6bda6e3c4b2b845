// Layout: docs/FORMAT.md#deletions
//   body := doc_count:u32 deleted_count:u32 deleted_doclen:u64
//           bits:u64[ceil(doc_count/64)]
//           delta_count:varint  delta_count x (term:length-prefixed df:varint cf:varint)
#include "common/format/deletions.h"

#include <algorithm>
#include <fmt/format.h>

#include "common/base/coding.h"

namespace morgue {

bool DeletionSet::mark(DocNum doc, uint32_t doclen,
                       const std::vector<std::pair<std::string_view, uint32_t>>& terms) {
  if (is_deleted(doc)) return false;
  bits_[doc >> 6] |= uint64_t{1} << (doc & 63);
  ++deleted_count_;
  deleted_doclen_ += doclen;
  for (const auto& [term, wdf] : terms) {
    auto it = std::lower_bound(deltas_.begin(), deltas_.end(), term,
                               [](const auto& entry, std::string_view t) { return entry.first < t; });
    if (it == deltas_.end() || it->first != term) it = deltas_.insert(it, {std::string(term), {}});
    it->second.df += 1;
    it->second.cf += wdf;
  }
  return true;
}

TermDelta DeletionSet::delta(std::string_view term) const {
  auto it = std::lower_bound(deltas_.begin(), deltas_.end(), term,
                             [](const auto& entry, std::string_view t) { return entry.first < t; });
  if (it == deltas_.end() || it->first != term) return {};
  return it->second;
}

Status DeletionSet::write(const std::string& path, const Uuid& segment_uuid) const {
  std::string body;
  put_fixed32(body, doc_count_);
  put_fixed32(body, deleted_count_);
  put_fixed64(body, deleted_doclen_);
  for (uint64_t word : bits_) put_fixed64(body, word);
  put_varint(body, deltas_.size());
  for (const auto& [term, d] : deltas_) {
    put_length_prefixed(body, term);
    put_varint(body, d.df);
    put_varint(body, d.cf);
  }
  FileHeader header;
  header.kind = FileKind::kDeletes;
  header.segment_uuid = segment_uuid;
  MORGUE_ASSIGN_OR_RETURN(IndexFileWriter writer, IndexFileWriter::create(path, header));
  MORGUE_RETURN_IF_ERROR(writer.append(body));
  return writer.finish();
}

Result<DeletionSet> DeletionSet::read(const std::string& path, const Uuid* expected_uuid,
                                      uint32_t doc_count, bool verify_checksum) {
  MORGUE_ASSIGN_OR_RETURN(MmapFile file, MmapFile::open(path));
  MORGUE_ASSIGN_OR_RETURN(
      CheckedFile checked,
      check_file(file.bytes(), path, FileKind::kDeletes, expected_uuid, verify_checksum));
  auto corrupt = [&](std::string_view what) {
    return Status::corruption(fmt::format("{} (deletions): {}", path, what));
  };
  ByteReader in(checked.body);
  DeletionSet set(doc_count);
  if (in.fixed32() != doc_count) return corrupt("document count differs from the segment's");
  uint32_t deleted_count = in.fixed32();
  set.deleted_doclen_ = in.fixed64();
  uint32_t counted = 0;
  for (uint64_t& word : set.bits_) {
    word = in.fixed64();
    counted += static_cast<uint32_t>(__builtin_popcountll(word));
  }
  if (!in.ok()) return corrupt("bitmap truncated");
  if (doc_count % 64 != 0 && !set.bits_.empty() && (set.bits_.back() >> (doc_count % 64)) != 0)
    return corrupt("bits set past the last document");
  if (counted != deleted_count) return corrupt("deleted count does not match the bitmap");
  set.deleted_count_ = deleted_count;
  uint64_t n = in.varint();
  for (uint64_t i = 0; i < n && in.ok(); ++i) {
    std::string_view term = in.length_prefixed();
    TermDelta d;
    d.df = in.varint32();
    d.cf = in.varint();
    if (!set.deltas_.empty() && set.deltas_.back().first >= term) in.fail();
    if (d.df > deleted_count) in.fail();
    set.deltas_.emplace_back(std::string(term), d);
  }
  if (!in.ok() || !in.at_end()) return corrupt("term statistics malformed");
  return set;
}

}  // namespace morgue
