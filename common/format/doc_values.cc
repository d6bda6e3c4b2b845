// Layout: docs/FORMAT.md#document-values
//   body   := doc_count:u32 source_count:u32
//             column(published) column(version) column(doclen) column(source_ord)
//             source_count x (length:varint bytes)
//   column := base:i64 width:u8 zero:u8[7] bits, padded(ceil(doc_count * width / 8) + 7) bytes
#include "common/format/doc_values.h"

#include <algorithm>
#include <bit>
#include <fmt/format.h>

#include "common/base/coding.h"

namespace morgue {
namespace {

// The body goes to the file through a buffer of this size, so that writing a million
// documents' columns never holds them twice in memory.
constexpr size_t kSpillBytes = size_t{64} << 10;
constexpr unsigned kMaxPackedWidth = 56;  // wider ranges are stored as plain 64-bit values

size_t padded(size_t n) { return (n + 7) / 8 * 8; }

Status values_corruption(const std::string& path, std::string_view what) {
  return Status::corruption(fmt::format("{} (document values): {}", path, what));
}

// Bytes of a column's packed values, including the slack that lets a reader load 8 bytes at
// the first byte of any value.
size_t packed_bytes(size_t count, unsigned width) { return padded((count * width + 7) / 8 + 7); }

// Appends one column: the minimum as base, then each value minus it in `width` bits, least
// significant bit first. `spill` is called after every few values so the buffer stays small.
template <typename T, typename Spill>
Status put_column(std::string& out, const std::vector<T>& values, Spill&& spill) {
  int64_t min = 0, max = 0;
  if (!values.empty()) {
    auto [lo, hi] = std::minmax_element(values.begin(), values.end());
    min = static_cast<int64_t>(*lo);
    max = static_cast<int64_t>(*hi);
  }
  uint64_t range = static_cast<uint64_t>(max) - static_cast<uint64_t>(min);
  unsigned width = static_cast<unsigned>(std::bit_width(range));
  if (width > kMaxPackedWidth) width = 64;
  put_fixed64(out, static_cast<uint64_t>(min));
  out.push_back(static_cast<char>(width));
  out.append(7, '\0');
  uint64_t pending = 0;  // bits not yet a whole byte; fewer than 8 between values
  unsigned pending_bits = 0;
  for (T v : values) {
    uint64_t delta = static_cast<uint64_t>(static_cast<int64_t>(v)) - static_cast<uint64_t>(min);
    if (width == 64) {
      put_fixed64(out, delta);
    } else {
      pending |= delta << pending_bits;
      pending_bits += width;
      for (; pending_bits >= 8; pending_bits -= 8, pending >>= 8) {
        out.push_back(static_cast<char>(pending & 0xff));
      }
    }
    MORGUE_RETURN_IF_ERROR(spill(kSpillBytes));
  }
  if (pending_bits > 0) out.push_back(static_cast<char>(pending));
  // The values took ceil(count * width / 8) bytes; zeros make up the rest, slack included.
  size_t value_bytes = (values.size() * width + 7) / 8;
  out.append(packed_bytes(values.size(), width) - value_bytes, '\0');
  return Status::ok();
}

// Reads a column's header at `*at` in `body` and moves `*at` past its values.
Result<PackedColumn> read_column(std::string_view body, size_t* at, uint32_t count,
                                 const std::string& path, std::string_view name) {
  auto corrupt = [&](std::string_view what) { return values_corruption(path, what); };
  if (body.size() - *at < 16) return corrupt(fmt::format("{} column header truncated", name));
  const char* p = body.data() + *at;
  uint64_t base = load_fixed64(p);
  unsigned width = static_cast<uint8_t>(p[8]);
  if (width > kMaxPackedWidth && width != 64) {
    return corrupt(fmt::format("{} column has width {} (at most {}, or 64)", name, width,
                               kMaxPackedWidth));
  }
  if (std::any_of(p + 9, p + 16, [](char c) { return c != 0; })) {
    return corrupt(fmt::format("{} column header padding is not zero", name));
  }
  size_t bytes = packed_bytes(count, width);
  if (body.size() - *at - 16 < bytes) {
    return corrupt(fmt::format("{} column exceeds the file", name));
  }
  *at += 16 + bytes;
  return PackedColumn(p + 16, base, width);
}

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
  MORGUE_RETURN_IF_ERROR(put_column(out, published_, spill));
  MORGUE_RETURN_IF_ERROR(put_column(out, versions_, spill));
  MORGUE_RETURN_IF_ERROR(put_column(out, doclens_, spill));
  MORGUE_RETURN_IF_ERROR(put_column(out, source_ords_, spill));
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
  auto corrupt = [&](std::string_view what) { return values_corruption(path, what); };
  if (body.size() < 8) return corrupt("body too short");
  r.doc_count_ = load_fixed32(body.data());
  uint32_t source_count = load_fixed32(body.data() + 4);
  uint32_t n = r.doc_count_;
  size_t at = 8;
  MORGUE_ASSIGN_OR_RETURN(r.published_, read_column(body, &at, n, path, "date"));
  MORGUE_ASSIGN_OR_RETURN(r.versions_, read_column(body, &at, n, path, "version"));
  MORGUE_ASSIGN_OR_RETURN(r.doclens_, read_column(body, &at, n, path, "length"));
  MORGUE_ASSIGN_OR_RETURN(r.source_ords_, read_column(body, &at, n, path, "source"));
  ByteReader sources(body.substr(at));
  for (uint32_t i = 0; i < source_count; ++i) {
    std::string_view s = sources.length_prefixed();
    if (!sources.ok()) return corrupt("source table truncated");
    r.sources_.push_back(s);
  }
  if (!sources.at_end()) return corrupt("trailing bytes after the source table");
  // A column of width 0 gives every document the same value, so one check covers it; a
  // wider column's bytes bound doc_count, so a damaged count cannot make these loops long.
  auto docs_to_check = [n](const PackedColumn& c) { return c.width() == 0 ? std::min(n, 1u) : n; };
  for (DocNum d = 0; d < docs_to_check(r.source_ords_); ++d) {
    if (r.source_ords_.get(d) >= source_count) {
      return corrupt(fmt::format("document {} has source ordinal out of range", d));
    }
  }
  for (DocNum d = 0; d < docs_to_check(r.doclens_); ++d) {
    if (r.doclens_.get(d) > UINT32_MAX) {
      return corrupt(fmt::format("document {} has a length beyond 32 bits", d));
    }
  }
  for (DocNum d = 1; d < docs_to_check(r.published_); ++d) {
    if (r.published(d) < r.published(d - 1)) {
      return corrupt(fmt::format("document {} is out of date order", d));
    }
  }
  return r;
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
