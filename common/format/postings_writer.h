// Encodes one term's postings: document numbers and frequencies in blocks of 128 with skip
// data and per-block score statistics, and positions in their own stream.
// Layout: docs/FORMAT.md#postings
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "common/codec/block_codec.h"
#include "common/format/impacts.h"
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

  // From now on, bounds each run of postings (the term, each block, each group) by one
  // pair: its largest wdf with `shortest_doclen`, the shortest document of the segment,
  // not by its frontier. Still a bound, but a loose one, and the doclens passed to
  // write_term are not read (they may be empty). For segments that only a merge reads (a
  // build's flushes): the merge computes the frontiers of its output, and no query
  // prunes with these bounds. The frontiers and the lengths' lookups were about 1.3 of a
  // million-article build's 13 CPU-s of flushes.
  void use_loose_bounds(uint32_t shortest_doclen) {
    loose_bounds_ = true;
    shortest_doclen_ = shortest_doclen;
  }

  // Appends a term's postings to doc_out and its positions to pos_out and returns its
  // TermInfo; its offsets are the strings' sizes on entry (a caller that moves the strings
  // to a file as it goes adds the bytes it already wrote).
  // Requires: docs non-empty and strictly increasing; with kHasFreqs, wdfs[i] >= 1 and
  // doclens[i] the document lengths (unless use_loose_bounds()); with kHasPositions, also
  // kHasFreqs, and 1 <= pos_counts[i] <= wdfs[i] positions per document laid end to end in
  // `positions`, each document's increasing.
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
  // The bounds of postings [begin, begin + n): their frontier, or the loose pair.
  std::vector<Impact> frontier(std::span<const uint32_t> wdfs, std::span<const uint32_t> doclens,
                               size_t begin, size_t n) const;

  const BlockCodec* codec_;
  bool loose_bounds_ = false;
  uint32_t shortest_doclen_ = 0;
};

}  // namespace morgue
