// TermInfo, what the term dictionary stores for each term (the postings writer fills it),
// and the constants the dictionary's writer and reader share.
// Layout: docs/FORMAT.md#term-dictionary
#pragma once

#include <cstdint>

namespace morgue {

// Statistics and file locations of one term of a segment. Offsets and lengths are in bytes
// within the postings and positions files. The term dictionary codes these without judging
// them: any values round-trip, but it is compact when offsets increase across terms in term
// order and each list starts where the previous one ended.
struct TermInfo {
  uint32_t df = 0;                // documents containing the term
  uint64_t cf = 0;                // sum of wdf over those documents; 0 for filter terms
  uint64_t postings_offset = 0;
  uint64_t postings_length = 0;
  uint64_t positions_offset = 0;  // meaningful only when positions_length > 0
  uint64_t positions_length = 0;
  uint8_t flags = 0;              // owned by the postings format; below kTermFlagsLimit

  bool operator==(const TermInfo&) const = default;
};

// TermInfo::flags take the low 4 bits of an entry's layout byte; the dictionary's own
// presence bits take the high 4 (docs/FORMAT.md#term-dictionary).
inline constexpr uint8_t kTermFlagsLimit = 16;
// An entry's fields that may be 0 are written only when they are not; a bit says which.
inline constexpr uint8_t kLayoutHasCf = 1 << 4;
inline constexpr uint8_t kLayoutHasPostingsGap = 1 << 5;
inline constexpr uint8_t kLayoutHasPositionsGap = 1 << 6;
inline constexpr uint8_t kLayoutHasPositionsLength = 1 << 7;

// Terms a block holds (the last block may hold fewer). Chosen by measurement: within 5% of
// the smallest size, at ~40 ns a lookup more than 16 (docs/FORMAT.md#term-dictionary).
inline constexpr uint32_t kTermDictBlockSize = 32;
// Largest block size a reader accepts; bounds the work of one block scan.
inline constexpr uint32_t kTermDictMaxBlockSize = 4096;
// term_count:u64 block_count:u64 index_offset:u64 block_size:u32 reserved:u32.
inline constexpr size_t kTermDictTrailerSize = 32;

}  // namespace morgue
