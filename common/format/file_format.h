// The header and footer every index file carries (docs/FORMAT.md#common-header-and-footer):
// magic, format version, file kind, codec, segment UUID; body length, XXH3-64, footer magic.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/base/file.h"
#include "common/base/result.h"

namespace morgue {

// One version for the whole index: bumped on any change to any byte of any file.
inline constexpr uint32_t kFormatVersion = 11;
inline constexpr uint32_t kOldestReadableFormatVersion = 11;

// Persisted: never renumber or reuse.
enum class FileKind : uint8_t {
  kManifest = 1,
  kTermDict = 2,
  kPostings = 3,
  kPositions = 4,
  kDocValues = 5,
  kStore = 6,
  kDeletes = 7,
};

std::string_view file_kind_name(FileKind kind);  // "term dictionary", ...

using Uuid = std::array<uint8_t, 16>;
Uuid random_uuid();
std::string uuid_to_string(const Uuid& uuid);  // 32 hex digits

inline constexpr size_t kFileHeaderSize = 32;
inline constexpr size_t kFileFooterSize = 24;
inline constexpr uint32_t kFooterMagic = 0x5446474D;  // "MGFT" little-endian

struct FileHeader {
  FileKind kind = FileKind::kManifest;
  uint32_t format_version = kFormatVersion;
  uint8_t codec_id = 0;  // 0 where the file has no integer codec
  Uuid segment_uuid{};
};

std::string encode_file_header(const FileHeader& header);

// Checks a whole file's header and footer and returns the bytes between them (the body).
// Always checks sizes, magics, kind, version range, reserved flags, the body length and
// (if expected_uuid is given) the segment UUID; the XXH3-64 of the file only when
// verify_checksum is set (it reads every byte). Errors name `path` and the offset.
struct CheckedFile {
  FileHeader header;
  std::string_view body;
};
Result<CheckedFile> check_file(std::string_view bytes, std::string_view path, FileKind kind,
                               const Uuid* expected_uuid, bool verify_checksum);

// Writes one index file: the header on creation, the footer on finish().
class IndexFileWriter {
 public:
  static Result<IndexFileWriter> create(const std::string& path, const FileHeader& header);

  Status append(std::string_view bytes) { return file_.append(bytes); }
  // Bytes of the body written so far (the offset, within the body, of the next append).
  uint64_t body_size() const { return file_.size() - kFileHeaderSize; }
  // Appends the footer, fsyncs and closes.
  Status finish();
  const std::string& path() const { return file_.path(); }

 private:
  WritableFile file_;
};

}  // namespace morgue
