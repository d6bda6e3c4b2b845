// Encodes one term's postings: document numbers and frequencies in blocks of 128 with skip
// data and per-block score statistics, and positions in their own stream.
// Layout: docs/FORMAT.md#postings
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>

#include "common/codec/block_codec.h"
#include "common/format/term_info.h"

namespace morgue {

// TermInfo::flags bits. Persisted.
inline constexpr uint8_t kHasFreqs = 1;      // frequencies stored (scoring terms)
inline constexpr uint8_t kHasPositions = 2;  // positions stored (text and headline words)

// A block of positions whose deltas take more than kPositionLengthsBytes gives each
// document's byte length of deltas, so that a phrase finds a document's in one step; a
// smaller block gives its documents' counts by their wdfs, and a reader walks the varints
// before the document (docs/FORMAT.md#positions).
inline constexpr size_t kPositionLengthsBytes = 64;
// Blocks per group: a term of more than this many blocks has a score bound per group.
inline constexpr size_t kGroupBlocks = 8;

class PostingsWriter {
 public:
  explicit PostingsWriter(const BlockCodec& codec) : codec_(&codec) {}

  // Appends a term's postings to doc_out and its positions to pos_out and returns its
  // TermInfo; its offsets are the strings' sizes on entry (a caller that moves the strings
  // to a file as it goes adds the bytes it already wrote).
  // Requires: docs non-empty and strictly increasing; with kHasFreqs, wdfs[i] >= 1 and
  // doclens[i] the document lengths; with kHasPositions, also kHasFreqs, and
  // 1 <= pos_counts[i] <= wdfs[i] positions per document laid end to end in `positions`,
  // each document's increasing.
  TermInfo write_term(std::span<const uint32_t> docs, std::span<const uint32_t> wdfs,
                      std::span<const uint32_t> pos_counts, std::span<const uint32_t> positions,
                      std::span<const uint32_t> doclens, uint8_t flags, std::string& doc_out,
                      std::string& pos_out);

  // The positions of posting i, asked for once each in posting order; the span stays valid
  // until the next call.
  using PositionsOf = std::function<std::span<const uint32_t>(size_t posting)>;

  // As above, with the positions read one document at a time instead of laid end to end:
  // a merge of a frequent word need not hold all its positions at once (tens of MB at a
  // million articles). The bytes written are the same.
  TermInfo write_term(std::span<const uint32_t> docs, std::span<const uint32_t> wdfs,
                      const PositionsOf& positions_of, std::span<const uint32_t> doclens,
                      uint8_t flags, std::string& doc_out, std::string& pos_out);

 private:
  const BlockCodec* codec_;
};

}  // namespace morgue
