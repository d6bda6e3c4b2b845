// Layout: docs/FORMAT.md#manifest
//   body := generation:u64 next_segment_number:u64 segment_count:u32
//           segment_count x (number:u64 uuid:16 doc_count:u32 deleted_count:u32
//                            deletions_generation:u64 total_doclen:u64 deleted_doclen:u64
//                            min_published:i64 max_published:i64 codec_id:u8)
#include "common/format/manifest.h"

#include <filesystem>
#include <fmt/format.h>

#include "common/base/coding.h"

namespace morgue {

uint64_t Manifest::live_count() const {
  uint64_t n = 0;
  for (const SegmentMeta& s : segments) n += s.live_count();
  return n;
}

uint64_t Manifest::live_doclen() const {
  uint64_t n = 0;
  for (const SegmentMeta& s : segments) n += s.total_doclen - s.deleted_doclen;
  return n;
}

std::string segment_file_name(uint64_t segment_number, FileKind kind) {
  std::string_view ext = "?";
  switch (kind) {
    case FileKind::kTermDict: ext = "tdi"; break;
    case FileKind::kPostings: ext = "doc"; break;
    case FileKind::kPositions: ext = "pos"; break;
    case FileKind::kDocValues: ext = "dv"; break;
    case FileKind::kStore: ext = "sto"; break;
    case FileKind::kDeletes: ext = "del"; break;
    case FileKind::kManifest: return kManifestFileName;
  }
  return fmt::format("seg-{:06}.{}", segment_number, ext);
}

std::string deletions_file_name(uint64_t segment_number, uint64_t generation) {
  return fmt::format("seg-{:06}-{:06}.del", segment_number, generation);
}

std::string encode_manifest(const Manifest& m) {
  FileHeader header;
  header.kind = FileKind::kManifest;
  header.segment_uuid = m.index_uuid;
  std::string out = encode_file_header(header);
  put_fixed64(out, m.generation);
  put_fixed64(out, m.next_segment_number);
  put_fixed32(out, static_cast<uint32_t>(m.segments.size()));
  for (const SegmentMeta& s : m.segments) {
    put_fixed64(out, s.number);
    out.append(reinterpret_cast<const char*>(s.uuid.data()), s.uuid.size());
    put_fixed32(out, s.doc_count);
    put_fixed32(out, s.deleted_count);
    put_fixed64(out, s.deletions_generation);
    put_fixed64(out, s.total_doclen);
    put_fixed64(out, s.deleted_doclen);
    put_fixed64(out, static_cast<uint64_t>(s.min_published));
    put_fixed64(out, static_cast<uint64_t>(s.max_published));
    out.push_back(static_cast<char>(s.codec_id));
  }
  uint64_t body_length = out.size() - kFileHeaderSize;
  uint64_t sum = checksum(out);
  put_fixed64(out, body_length);
  put_fixed64(out, sum);
  put_fixed32(out, kFooterMagic);
  put_fixed32(out, 0);
  return out;
}

Result<Manifest> decode_manifest(std::string_view bytes, std::string_view path) {
  // The manifest is small: its checksum is verified on every open.
  MORGUE_ASSIGN_OR_RETURN(CheckedFile checked,
                          check_file(bytes, path, FileKind::kManifest, nullptr, true));
  Manifest m;
  m.index_uuid = checked.header.segment_uuid;
  ByteReader in(checked.body);
  m.generation = in.fixed64();
  m.next_segment_number = in.fixed64();
  uint32_t count = in.fixed32();
  for (uint32_t i = 0; i < count && in.ok(); ++i) {
    SegmentMeta s;
    s.number = in.fixed64();
    std::string_view uuid = in.bytes(16);
    std::copy(uuid.begin(), uuid.end(), s.uuid.begin());
    s.doc_count = in.fixed32();
    s.deleted_count = in.fixed32();
    s.deletions_generation = in.fixed64();
    s.total_doclen = in.fixed64();
    s.deleted_doclen = in.fixed64();
    s.min_published = static_cast<int64_t>(in.fixed64());
    s.max_published = static_cast<int64_t>(in.fixed64());
    s.codec_id = in.u8();
    if (in.ok() && (s.deleted_count > s.doc_count || s.deleted_doclen > s.total_doclen ||
                    s.number >= m.next_segment_number ||
                    s.deletions_generation > m.generation)) {
      return Status::corruption(fmt::format("{}: segment {} has inconsistent counts", path, i));
    }
    m.segments.push_back(s);
  }
  if (!in.ok() || !in.at_end()) {
    return Status::corruption(fmt::format("{}: malformed segment list", path));
  }
  return m;
}

Result<Manifest> read_manifest(const std::string& dir) {
  std::string path = (std::filesystem::path(dir) / kManifestFileName).string();
  auto bytes = read_whole_file(path);
  if (!bytes.is_ok()) {
    if (bytes.status().code() == StatusCode::kNotFound) {
      std::error_code ec;
      if (!std::filesystem::is_directory(dir, ec))
        return Status::not_found(dir + ": no such index directory");
      return Status::not_found(dir + ": not a morgue index (no MANIFEST); build one with "
                                     "'morgue-index build --index " + dir + " PATH...'");
    }
    return bytes.status();
  }
  return decode_manifest(*bytes, path);
}

Status write_manifest(const std::string& dir, const Manifest& manifest) {
  return atomic_write_file((std::filesystem::path(dir) / kManifestFileName).string(),
                           encode_manifest(manifest));
}

}  // namespace morgue
