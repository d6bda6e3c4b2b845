#include "common/format/file_format.h"

#include <fmt/format.h>

#include <random>

#include "common/base/checksum.h"
#include "common/base/coding.h"

namespace morgue {
namespace {

// 8-byte magic per file kind: "MORGUE" + two letters.
std::string_view magic_for(FileKind kind) {
  switch (kind) {
    case FileKind::kManifest: return "MORGUEmf";
    case FileKind::kTermDict: return "MORGUEtd";
    case FileKind::kPostings: return "MORGUEdo";
    case FileKind::kPositions: return "MORGUEps";
    case FileKind::kDocValues: return "MORGUEdv";
    case FileKind::kStore: return "MORGUEst";
    case FileKind::kDeletes: return "MORGUEdl";
  }
  return "MORGUE??";
}

Status corrupt(std::string_view path, uint64_t offset, std::string_view what) {
  return Status::corruption(fmt::format("{} (offset {}): {}", path, offset, what));
}

}  // namespace

std::string_view file_kind_name(FileKind kind) {
  switch (kind) {
    case FileKind::kManifest: return "manifest";
    case FileKind::kTermDict: return "term dictionary";
    case FileKind::kPostings: return "postings";
    case FileKind::kPositions: return "positions";
    case FileKind::kDocValues: return "document values";
    case FileKind::kStore: return "article store";
    case FileKind::kDeletes: return "deletions";
  }
  return "unknown";
}

Uuid random_uuid() {
  std::random_device device;
  Uuid uuid;
  for (size_t i = 0; i < uuid.size(); i += 4) {
    uint32_t r = device();
    for (size_t j = 0; j < 4; ++j) uuid[i + j] = static_cast<uint8_t>(r >> (8 * j));
  }
  return uuid;
}

std::string uuid_to_string(const Uuid& uuid) {
  std::string out;
  for (uint8_t b : uuid) out += fmt::format("{:02x}", b);
  return out;
}

std::string encode_file_header(const FileHeader& header) {
  std::string out(magic_for(header.kind));
  put_fixed32(out, header.format_version);
  out.push_back(static_cast<char>(header.kind));
  out.push_back(static_cast<char>(header.codec_id));
  put_fixed16(out, 0);  // flags: reserved, must be zero
  out.append(reinterpret_cast<const char*>(header.segment_uuid.data()), header.segment_uuid.size());
  return out;
}

Result<CheckedFile> check_file(std::string_view bytes, std::string_view path, FileKind kind,
                               const Uuid* expected_uuid, bool verify_checksum) {
  if (bytes.size() < kFileHeaderSize + kFileFooterSize) {
    return corrupt(path, 0,
                   fmt::format("{} file too short ({} bytes)", file_kind_name(kind), bytes.size()));
  }
  if (bytes.substr(0, 8) != magic_for(kind)) {
    return corrupt(path, 0, fmt::format("not a morgue {} file (bad magic)", file_kind_name(kind)));
  }
  CheckedFile out;
  ByteReader header(bytes.substr(8, kFileHeaderSize - 8));
  out.header.kind = kind;
  out.header.format_version = header.fixed32();
  uint8_t stored_kind = header.u8();
  out.header.codec_id = header.u8();
  uint16_t flags = header.fixed16();
  std::string_view uuid = header.bytes(16);
  std::copy(uuid.begin(), uuid.end(), out.header.segment_uuid.begin());
  if (out.header.format_version > kFormatVersion ||
      out.header.format_version < kOldestReadableFormatVersion) {
    return Status::not_supported(fmt::format(
        "{}: index format {} is not readable by this morgue (reads {}-{}); rebuild the index",
        path, out.header.format_version, kOldestReadableFormatVersion, kFormatVersion));
  }
  if (stored_kind != static_cast<uint8_t>(kind)) return corrupt(path, 12, "wrong file kind");
  if (flags != 0) return corrupt(path, 14, "reserved flags are set");
  if (expected_uuid && out.header.segment_uuid != *expected_uuid) {
    return corrupt(path, 16, "file belongs to another segment (UUID mismatch)");
  }
  size_t footer_at = bytes.size() - kFileFooterSize;
  ByteReader footer(bytes.substr(footer_at));
  uint64_t body_length = footer.fixed64();
  uint64_t stored_checksum = footer.fixed64();
  uint32_t magic = footer.fixed32();
  uint32_t reserved = footer.fixed32();
  if (magic != kFooterMagic || reserved != 0) {
    return corrupt(path, footer_at, "bad footer (file truncated or overwritten)");
  }
  if (body_length != footer_at - kFileHeaderSize) {
    return corrupt(path, footer_at,
                   fmt::format("body length {} does not match the file size", body_length));
  }
  if (verify_checksum && checksum(bytes.substr(0, footer_at)) != stored_checksum) {
    return corrupt(path, footer_at, "checksum mismatch (the file is damaged)");
  }
  out.body = bytes.substr(kFileHeaderSize, footer_at - kFileHeaderSize);
  return out;
}

Result<IndexFileWriter> IndexFileWriter::create(const std::string& path, const FileHeader& header) {
  IndexFileWriter writer;
  MORGUE_ASSIGN_OR_RETURN(writer.file_, WritableFile::create(path));
  MORGUE_RETURN_IF_ERROR(writer.file_.append(encode_file_header(header)));
  return writer;
}

Status IndexFileWriter::finish() {
  std::string footer;
  put_fixed64(footer, body_size());
  put_fixed64(footer, file_.checksum());
  put_fixed32(footer, kFooterMagic);
  put_fixed32(footer, 0);
  MORGUE_RETURN_IF_ERROR(file_.append(footer));
  return file_.close();
}

}  // namespace morgue
