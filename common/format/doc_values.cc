// Layout: docs/FORMAT.md#document-values
//   body := doc_count:u32 source_count:u32
//           published:i64[doc_count] version:i64[doc_count] doclen:u32[doc_count] pad to 8
//           source_ord:u16[doc_count] pad to 8
//           source_count x (length:varint bytes)
#include "common/format/doc_values.h"

#include <algorithm>
#include <fmt/format.h>

#include "common/base/coding.h"

namespace morgue {
namespace {

// Pads `out`, whose first byte lies `at` bytes into the body, to a multiple of 8.
void pad_to_8(std::string& out, uint64_t at) {
  while ((at + out.size()) % 8 != 0) out.push_back('\0');
}

// The body goes to the file through a buffer of this size: at a million documents it is
// 22 MB, and building it whole (with its growth copies, 40 MB at once) was the last spike
// of a build's memory.
constexpr size_t kSpillBytes = size_t{64} << 10;
size_t padded(size_t n) { return (n + 7) / 8 * 8; }

}  // namespace

void DocValuesWriter::add(const DocValues& values) {
  published_.push_back(values.published);
  versions_.push_back(values.version);
  doclens_.push_back(values.doclen);
  auto it = std::find(sources_.begin(), sources_.end(), values.source);
  if (it == sources_.end()) {
    sources_.push_back(values.source);
    it = sources_.end() - 1;
  }
  source_ords_.push_back(static_cast<uint16_t>(it - sources_.begin()));
}

Status DocValuesWriter::write(const std::string& path, const Uuid& segment_uuid) const {
  if (sources_.size() > UINT16_MAX) {
    return Status::invalid_argument(fmt::format("{}: more than {} distinct sources in a segment",
                                                path, UINT16_MAX));
  }
  FileHeader header;
  header.kind = FileKind::kDocValues;
  header.segment_uuid = segment_uuid;
  MORGUE_ASSIGN_OR_RETURN(IndexFileWriter writer, IndexFileWriter::create(path, header));
  std::string out;
  auto spill = [&](size_t at_least) {
    if (out.size() < at_least) return Status::ok();
    Status s = writer.append(out);
    out.clear();
    return s;
  };
  put_fixed32(out, doc_count());
  put_fixed32(out, static_cast<uint32_t>(sources_.size()));
  for (int64_t v : published_) {
    put_fixed64(out, static_cast<uint64_t>(v));
    MORGUE_RETURN_IF_ERROR(spill(kSpillBytes));
  }
  for (int64_t v : versions_) {
    put_fixed64(out, static_cast<uint64_t>(v));
    MORGUE_RETURN_IF_ERROR(spill(kSpillBytes));
  }
  for (uint32_t v : doclens_) {
    put_fixed32(out, v);
    MORGUE_RETURN_IF_ERROR(spill(kSpillBytes));
  }
  pad_to_8(out, writer.body_size());
  for (uint16_t v : source_ords_) {
    put_fixed16(out, v);
    MORGUE_RETURN_IF_ERROR(spill(kSpillBytes));
  }
  pad_to_8(out, writer.body_size());
  for (const std::string& s : sources_) put_length_prefixed(out, s);
  MORGUE_RETURN_IF_ERROR(spill(0));
  return writer.finish();
}

Result<DocValuesReader> DocValuesReader::open(const std::string& path, const Uuid* expected_uuid,
                                              bool verify_checksum) {
  DocValuesReader r;
  MORGUE_ASSIGN_OR_RETURN(r.file_, MmapFile::open(path));
  MORGUE_ASSIGN_OR_RETURN(
      CheckedFile checked,
      check_file(r.file_.bytes(), path, FileKind::kDocValues, expected_uuid, verify_checksum));
  std::string_view body = checked.body;
  auto corrupt = [&](std::string_view what) {
    return Status::corruption(fmt::format("{} (document values): {}", path, what));
  };
  if (body.size() < 8) return corrupt("body too short");
  r.doc_count_ = load_fixed32(body.data());
  uint32_t source_count = load_fixed32(body.data() + 4);
  size_t n = r.doc_count_;
  size_t fixed = 8 + 16 * n + padded(4 * n) + padded(2 * n);
  if (n > body.size() || fixed > body.size()) return corrupt("columns exceed the file");
  r.published_ = body.data() + 8;
  r.versions_ = r.published_ + 8 * n;
  r.doclens_ = r.versions_ + 8 * n;
  r.source_ords_ = r.doclens_ + padded(4 * n);
  ByteReader sources(body.substr(fixed));
  for (uint32_t i = 0; i < source_count; ++i) {
    std::string_view s = sources.length_prefixed();
    if (!sources.ok()) return corrupt("source table truncated");
    r.sources_.push_back(s);
  }
  if (!sources.at_end()) return corrupt("trailing bytes after the source table");
  for (DocNum d = 0; d < n; ++d) {
    if (load_fixed16(r.source_ords_ + 2 * d) >= source_count) {
      return corrupt(fmt::format("document {} has source ordinal out of range", d));
    }
    if (d > 0 && r.published(d) < r.published(d - 1)) {
      return corrupt(fmt::format("document {} is out of date order", d));
    }
  }
  return r;
}

int64_t DocValuesReader::version(DocNum doc) const {
  return static_cast<int64_t>(load_fixed64(versions_ + 8 * size_t{doc}));
}
std::string_view DocValuesReader::source(DocNum doc) const {
  return sources_[load_fixed16(source_ords_ + 2 * size_t{doc})];
}

DocNum DocValuesReader::lower_bound_published(int64_t seconds) const {
  DocNum lo = 0, hi = doc_count_;
  while (lo < hi) {
    DocNum mid = lo + (hi - lo) / 2;
    if (published(mid) < seconds) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}

}  // namespace morgue
