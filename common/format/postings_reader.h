// Iterates one term's postings straight from the mapped postings and positions files.
// Layout: docs/FORMAT.md#postings
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "common/base/status.h"
#include "common/codec/block_codec.h"
#include "common/codec/block_values.h"
#include "common/format/doc_id.h"
#include "common/format/impacts.h"
#include "common/format/term_info.h"

namespace morgue {

// The bytes of each part of terms' postings and positions (docs/FORMAT.md#postings,
// #positions), for `morgue-index stats --layout`: where an index's size goes.
struct PostingsLayout {
  // Postings.
  uint64_t term_bounds = 0;   // the term's score bounds
  uint64_t skip_table = 0;    // the widths byte and the entries
  uint64_t block_bounds = 0;  // the blocks' score bounds
  uint64_t group_bounds = 0;  // the groups' ends and score bounds
  uint64_t doc_gaps = 0;      // blocks of 128 documents
  uint64_t doc_gaps_last = 0; // a last block of fewer (short runs)
  uint64_t freqs = 0;
  uint64_t freqs_last = 0;
  uint64_t padding = 0;       // the zeros after a short skip table's blocks
  // Positions.
  uint64_t block_ends = 0;    // the width byte and the ends of all blocks but the last
  uint64_t firsts = 0;        // first positions, blocks of 128 documents
  uint64_t firsts_last = 0;   // likewise in a last block of fewer
  uint64_t headers = 0;
  uint64_t lengths = 0;       // blocks by lengths
  uint64_t excess_lists = 0;  // blocks by counts
  uint64_t deltas = 0;

  uint64_t postings() const {
    return term_bounds + skip_table + block_bounds + group_bounds + doc_gaps + doc_gaps_last +
           freqs + freqs_last + padding;
  }
  uint64_t positions() const {
    return block_ends + firsts + firsts_last + headers + lengths + excess_lists + deltas;
  }
  // The positions' parts alone: a term whose postings list another term's bytes already
  // counted (docs/FORMAT.md#shared-postings).
  PostingsLayout positions_only() const {
    return {.block_ends = block_ends, .firsts = firsts, .firsts_last = firsts_last,
            .headers = headers, .lengths = lengths, .excess_lists = excess_lists,
            .deltas = deltas};
  }
  PostingsLayout& operator+=(const PostingsLayout& other);
};

// Iterator contract (docs/ARCHITECTURE.md#iterators): doc() is the current document, or
// kEndDoc once exhausted; next() moves to the following one; seek(target) moves to the
// first document >= target (requires target >= doc(); legal when exhausted). Damaged bytes
// set a sticky status() and park the iterator at kEndDoc: callers check status() once at
// the end instead of on every step. Not thread-safe; many iterators may share the bytes.
class PostingsIterator final {
 public:
  DocNum doc() const { return doc_; }
  void next();
  void seek(DocNum target) {
    if (target <= doc_) return;  // also when exhausted: doc_ is kEndDoc
    // Inline for the common case, a target within the decoded block: an AND seeks its
    // frequent terms once per candidate, a step of a few postings.
    if (target <= docs_[count_ - 1]) {
      index_ = first_at_least(docs_, index_, count_, target);
      doc_ = docs_[index_];
      return;
    }
    seek_past_block(target);
  }
  // Moves this iterator and `other` forward until both stand on the same document, this
  // one passes `last`, or either is exhausted; returns doc(). The intersection of two terms
  // (an AND's rarest two) a block pair at a time: a leapfrog of seek()s pays a call and a
  // data-dependent scan for each of the rarer term's documents.
  DocNum seek_common(PostingsIterator& other, DocNum last);
  // The current document's wdf (0 for terms without frequencies).
  uint32_t tf() {
    if (!has_freqs_) return 0;
    if (wdfs_decoded_) return wdfs_[index_];
    return ++wdf_reads_ <= kSingleWdfReads ? read_one_wdf() : decode_wdfs();
  }
  // The current document's positions, decoded on first request. Empty for terms without
  // positions. Valid until the iterator moves.
  std::span<const uint32_t> positions();
  uint32_t cost() const { return df_; }
  const Status& status() const { return status_; }

  // The decoded block holding doc(): its number, its documents, and doc()'s index in them
  // (block_docs()[block_index()] == doc()). For callers that map a block's documents at
  // once (a merge renumbers them). Valid until the iterator leaves the block or reopens.
  size_t block() const { return block_; }
  std::span<const uint32_t> block_docs() const { return {docs_, count_}; }
  size_t block_index() const { return index_; }

  // Score bounds over the whole term (common/format/impacts.h); empty without frequencies.
  std::span<const Impact> term_impacts() const { return {term_impacts_, term_impacts_count_}; }

  // Block-max support (Ding & Suel 2011): shallow_seek() moves a second cursor to the block
  // holding the first document >= target without decoding it; the block_* accessors then
  // describe that block. The last block's last document reads as kEndDoc - 1. Damaged
  // bounds set status() and read as empty.
  void shallow_seek(DocNum target);
  DocNum block_last_doc() const;
  std::span<const Impact> block_impacts();
  // The same for the group of kGroupBlocks blocks holding the shallow cursor's block, for a
  // term of more than kGroupBlocks blocks (has_group_bounds()); group_impacts() bounds every
  // block of the group.
  bool has_group_bounds() const { return !group_ends_.empty(); }
  DocNum group_last_doc() const;
  std::span<const Impact> group_impacts();

 private:
  friend Status open_term_postings(std::string_view, std::string_view, const TermInfo&,
                                   const BlockCodec&, uint32_t, PostingsIterator&);
  friend Status measure_term_layout(std::string_view, std::string_view, const TermInfo&,
                                    const BlockCodec&, uint32_t, PostingsLayout&);
  void fail(const char* what);
  void seek_past_block(DocNum target);  // seek() to a target past the decoded block
  bool load_block(size_t block);
  // The current block's count_ values from the start of `in`: the codec's 128, or a short
  // run in a shorter last block. Returns the bytes consumed, 0 if malformed.
  size_t decode_block_values(std::string_view in, uint32_t* values) const;
  uint32_t decode_wdfs();  // the current block's; returns the current document's
  uint32_t read_one_wdf();  // the current document's alone
  bool decode_position_block();  // fills the pos_* fields below for the current block
  uint32_t skip_field(size_t block, size_t field) const;
  uint32_t group_end(size_t group) const;  // end of the group's bounds in group_impacts_
  uint32_t pos_end(size_t block) const;     // end of the block's positions, from pos_ends_
  size_t block_doc_begin(size_t block) const;
  size_t block_doc_end(size_t block) const;
  size_t block_pos_begin(size_t block) const;
  size_t block_pos_end(size_t block) const;

  const BlockCodec* codec_ = nullptr;
  std::string_view blocks_;     // the term's blocks
  // When nblocks_ > 1, the skip table: nblocks_ entries of skip_entry_bytes_, field f at
  // skip_offset_[f], read as 4 bytes & skip_mask_[f] (3 bytes of the term at least follow
  // the table).
  std::string_view skip_;
  size_t skip_entry_bytes_ = 0;
  uint8_t skip_offset_[3] = {};
  uint32_t skip_mask_[3] = {};
  // When nblocks_ > 1 and positions: the blocks' ends but the last, pos_end_width_ bytes
  // each, read as 4 bytes & pos_end_mask_ (3 bytes of the term at least follow the table).
  std::string_view pos_ends_;
  uint8_t pos_end_width_ = 0;
  uint32_t pos_end_mask_ = 0;
  std::string_view positions_;  // the term's blocks of positions, after pos_ends_
  uint32_t df_ = 0;
  uint32_t doc_count_ = 0;
  size_t nblocks_ = 0;
  bool has_freqs_ = false;
  bool has_positions_ = false;
  std::string_view impacts_;    // the blocks' score bounds, when nblocks_ > 1
  Impact term_impacts_[kMaxImpacts] = {};
  size_t term_impacts_count_ = 0;

  size_t block_ = 0;   // block decoded into docs_/wdfs_
  size_t count_ = 0;   // documents in it
  size_t index_ = 0;   // current one
  DocNum doc_ = kEndDoc;
  uint32_t docs_[kBlockSize] = {};
  uint32_t wdfs_[kBlockSize] = {};
  std::string_view wdf_bytes_;  // the current block's encoded frequencies
  bool wdfs_decoded_ = false;
  // An AND or a phrase often scores one or two documents of a block: their wdfs are read
  // one by one, and the block is decoded whole on its kSingleWdfReads + 1st tf().
  static constexpr uint32_t kSingleWdfReads = 4;
  uint32_t wdf_reads_ = 0;  // tf() calls on the current block

  size_t shallow_block_ = 0;
  size_t block_impacts_for_ = SIZE_MAX;  // block whose bounds are in block_impacts_
  Impact block_impacts_[kMaxImpacts] = {};
  size_t block_impacts_count_ = 0;

  std::string_view group_ends_;     // u32 per group when has_group_bounds()
  std::string_view group_impacts_;  // the groups' score bounds
  size_t group_impacts_for_ = SIZE_MAX;  // group whose bounds are in group_impacts_buffer_
  Impact group_impacts_buffer_[kMaxImpacts] = {};
  size_t group_impacts_count_ = 0;

  // The positions of block pos_block_for_, filled on its first positions(): each
  // document's first position is read from pos_firsts_packed_ (a full block's codec bytes,
  // one value at a time) or, in a shorter last block, from pos_firsts_. The other positions
  // are varint deltas end to end in pos_deltas_. In a block by lengths, document i's are
  // the bytes [pos_byte_start_[i], pos_byte_start_[i + 1]); otherwise pos_counts_[i] of
  // them (its wdf - 1 less its listed excess) follow the earlier documents', and the
  // cursor is where document pos_cursor_doc_'s begin: reading forward through the block
  // walks each varint once.
  size_t pos_block_for_ = SIZE_MAX;
  std::string_view pos_firsts_packed_;
  uint32_t pos_firsts_[kBlockSize] = {};
  std::string_view pos_deltas_;
  bool pos_by_lengths_ = false;
  uint32_t pos_byte_start_[kBlockSize + 1] = {};
  uint32_t pos_counts_[kBlockSize] = {};
  size_t pos_cursor_doc_ = 0;
  size_t pos_cursor_byte_ = 0;
  size_t pos_for_ = SIZE_MAX;  // index whose positions are in pos_buffer_
  std::vector<uint32_t> pos_buffer_;  // its first pos_count_ are pos_for_'s positions
  size_t pos_count_ = 0;
  Status status_;
};

// kCorruption unless the term's postings and positions lie within streams of these sizes.
Status check_term_bounds(const TermInfo& info, uint64_t doc_stream_size,
                         uint64_t pos_stream_size);

// Positions `out` on the first posting of the term described by `info`, whose bytes lie in
// `doc_stream` / `pos_stream` (the bodies of the segment's postings and positions files).
// Checks the term's bounds and skip table; kCorruption if they do not hold.
Status open_postings(std::string_view doc_stream, std::string_view pos_stream,
                     const TermInfo& info, const BlockCodec& codec, uint32_t doc_count,
                     PostingsIterator& out);

// The same, over the term's own bytes: `term_postings` and `term_positions` are the
// info.postings_length and info.positions_length bytes at its offsets, wherever they were
// read to (a merge reads them with pread: SegmentReader::read_postings).
Status open_term_postings(std::string_view term_postings, std::string_view term_positions,
                          const TermInfo& info, const BlockCodec& codec, uint32_t doc_count,
                          PostingsIterator& out);

// Adds to `out` the bytes of each part of the term whose postings and positions are these
// (as open_term_postings takes them), decoding every block on the way: kCorruption, as the
// iterator gives it, if any part is damaged. A list shared by terms
// (docs/FORMAT.md#shared-postings) is measured for each; the caller counts it once.
Status measure_term_layout(std::string_view term_postings, std::string_view term_positions,
                           const TermInfo& info, const BlockCodec& codec, uint32_t doc_count,
                           PostingsLayout& out);

}  // namespace morgue
