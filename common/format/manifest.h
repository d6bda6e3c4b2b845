// The manifest: the one file that names an index's live segments. A commit replaces it
// atomically; a reader's snapshot is the manifest it read (docs/FORMAT.md#manifest).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/format/file_format.h"

namespace morgue {

inline constexpr const char* kManifestFileName = "MANIFEST";
inline constexpr const char* kLockFileName = "LOCK";

struct SegmentMeta {
  uint64_t number = 0;  // names the segment's files: seg-<number>.*
  Uuid uuid{};
  uint32_t doc_count = 0;      // documents in the segment, deleted or not
  uint32_t deleted_count = 0;  // of which deleted
  uint64_t deletions_generation = 0;  // commit that wrote its deletion file; 0 = none
  uint64_t total_doclen = 0;   // sum of doclen over all documents
  uint64_t deleted_doclen = 0; // of which deleted documents
  int64_t min_published = 0;
  int64_t max_published = 0;
  uint8_t codec_id = 0;

  uint32_t live_count() const { return doc_count - deleted_count; }
};

struct Manifest {
  Uuid index_uuid{};
  uint64_t generation = 0;           // incremented by every commit
  uint64_t next_segment_number = 1;
  std::vector<SegmentMeta> segments;  // in global document order

  uint64_t live_count() const;
  uint64_t live_doclen() const;
};

// File names inside the index directory.
std::string segment_file_name(uint64_t segment_number, FileKind kind);
std::string deletions_file_name(uint64_t segment_number, uint64_t generation);

std::string encode_manifest(const Manifest& manifest);
Result<Manifest> decode_manifest(std::string_view bytes, std::string_view path);

// Reads dir/MANIFEST, checksum verified. kNotFound if the directory holds no index.
Result<Manifest> read_manifest(const std::string& dir);
// Replaces dir/MANIFEST atomically (temp file, fsync, rename, fsync directory).
Status write_manifest(const std::string& dir, const Manifest& manifest);

}  // namespace morgue
