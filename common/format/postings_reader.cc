#include "common/format/postings_reader.h"

#include <algorithm>
#include <cstring>
#include <memory>
#include <type_traits>
#include <fmt/format.h>

#include "common/base/coding.h"
#include "common/codec/block_values.h"
#include "common/codec/short_run.h"
#include "common/format/postings_writer.h"

namespace morgue {

namespace {
enum SkipField { kLastDoc = 0, kDocEnd = 1, kImpactsEnd = 2 };

// The one frontier filling area[begin, end); false if the range or its bytes are not one.
bool decode_impacts_at(std::string_view area, size_t begin, size_t end,
                       Impact (&out)[kMaxImpacts], size_t& count) {
  ByteReader in(begin < end && end <= area.size() ? area.substr(begin, end - begin)
                                                  : std::string_view());
  return decode_impacts(in, out, count) && in.at_end();
}

// The last block of the group of kGroupBlocks blocks holding `block` (may be past the end).
size_t group_last_block(size_t block) { return (block / kGroupBlocks + 1) * kGroupBlocks - 1; }

// Makes `it` a fresh iterator in place. Assigning a new one zeroed its 3 KB of arrays in a
// temporary and copied them over; a merge reopens one for each (term, input), and that
// was 4.7% of a standalone merge's samples at a million articles.
static_assert(std::is_nothrow_default_constructible_v<PostingsIterator>);
void reset_iterator(PostingsIterator& it) {
  std::destroy_at(&it);
  std::construct_at(&it);
}

Status postings_corruption(const TermInfo& info, std::string_view what) {
  return Status::corruption(fmt::format("postings at offset {}: {}", info.postings_offset, what));
}
}  // namespace

Status check_term_bounds(const TermInfo& info, uint64_t doc_stream_size,
                         uint64_t pos_stream_size) {
  if (info.postings_offset > doc_stream_size ||
      info.postings_length > doc_stream_size - info.postings_offset) {
    return postings_corruption(info, "extend past the end of the postings file");
  }
  if (info.positions_offset > pos_stream_size ||
      info.positions_length > pos_stream_size - info.positions_offset) {
    return postings_corruption(info, "positions extend past the end of the positions file");
  }
  return Status::ok();
}

Status open_postings(std::string_view doc_stream, std::string_view pos_stream,
                     const TermInfo& info, const BlockCodec& codec, uint32_t doc_count,
                     PostingsIterator& out) {
  if (Status bounds = check_term_bounds(info, doc_stream.size(), pos_stream.size());
      !bounds.is_ok()) {
    reset_iterator(out);
    return bounds;
  }
  return open_term_postings(doc_stream.substr(info.postings_offset, info.postings_length),
                            pos_stream.substr(info.positions_offset, info.positions_length), info,
                            codec, doc_count, out);
}

Status open_term_postings(std::string_view term_postings, std::string_view term_positions,
                          const TermInfo& info, const BlockCodec& codec, uint32_t doc_count,
                          PostingsIterator& out) {
  reset_iterator(out);
  auto corrupt = [&](std::string_view what) { return postings_corruption(info, what); };
  if (term_postings.size() != info.postings_length ||
      term_positions.size() != info.positions_length) {
    return corrupt("bytes given differ from the term's lengths");
  }
  if (info.df == 0 || info.df > doc_count) return corrupt("document frequency out of range");
  out.codec_ = &codec;
  out.df_ = info.df;
  out.doc_count_ = doc_count;
  out.has_freqs_ = info.flags & kHasFreqs;
  out.has_positions_ = info.flags & kHasPositions;
  // Positions are counted by the frequencies.
  if (out.has_positions_ && !out.has_freqs_) return corrupt("positions without frequencies");
  out.nblocks_ = (info.df + kBlockSize - 1) / kBlockSize;
  out.positions_ = term_positions;
  if (out.has_positions_ && out.nblocks_ > 1) {
    out.pos_end_width_ = term_positions.empty() ? 0 : static_cast<uint8_t>(term_positions[0]);
    if (out.pos_end_width_ < 1 || out.pos_end_width_ > 4)
      return corrupt("positions block table has a bad width");
    size_t table = 1 + (out.nblocks_ - 1) * out.pos_end_width_;
    // Each end is read as 4 bytes and a mask: every block's positions take 2 bytes at
    // least (its firsts and its header), so 3 follow the table.
    if (term_positions.size() < table + 3) return corrupt("positions block table truncated");
    out.pos_end_mask_ = width_mask(out.pos_end_width_);
    out.pos_ends_ = term_positions.substr(1, table - 1);
    out.positions_ = term_positions.substr(table);
  }
  ByteReader in(term_postings);
  if (out.has_freqs_) {
    if (!decode_impacts(in, out.term_impacts_, out.term_impacts_count_))
      return corrupt("bad term score bounds");
  }
  if (out.nblocks_ > 1) {
    uint8_t widths = in.u8();
    uint32_t impacts_width = widths >> 4;
    if (!in.ok() || impacts_width > 4 || (impacts_width == 0) == out.has_freqs_)
      return corrupt("skip table has bad widths");
    const uint32_t width[3] = {(widths & 3u) + 1, ((widths >> 2) & 3u) + 1, impacts_width};
    out.skip_offset_[kDocEnd] = static_cast<uint8_t>(width[kLastDoc]);
    out.skip_offset_[kImpactsEnd] = static_cast<uint8_t>(width[kLastDoc] + width[kDocEnd]);
    out.skip_entry_bytes_ = out.skip_offset_[kImpactsEnd] + width[kImpactsEnd];
    for (size_t f = 0; f < 3; ++f) out.skip_mask_[f] = width_mask(width[f]);
    size_t table = out.nblocks_ * out.skip_entry_bytes_;
    if (in.remaining() < table) return corrupt("skip table truncated");
    // A field is one 4-byte load and a mask, which may read up to 3 bytes past the table;
    // the writer pads a term whose table has fewer after it.
    if (in.remaining() < table + 3) return corrupt("skip table is not followed by 3 bytes");
    out.skip_ = std::string_view(in.position(), table);
    in.bytes(table);
    out.impacts_ = in.bytes(out.skip_field(out.nblocks_ - 1, kImpactsEnd));
    if (!in.ok()) return corrupt("block score bounds truncated");
    if (out.has_freqs_ && out.nblocks_ > kGroupBlocks) {
      size_t ngroups = (out.nblocks_ + kGroupBlocks - 1) / kGroupBlocks;
      out.group_ends_ = in.bytes(ngroups * 4);
      if (!in.ok()) return corrupt("group table truncated");
      out.group_impacts_ = in.bytes(out.group_end(ngroups - 1));
      if (!in.ok()) return corrupt("group score bounds truncated");
    }
  }
  out.blocks_ = std::string_view(in.position(), in.remaining());
  // Skip entries are checked when their block is first used (load_block, block_impacts),
  // not here: opening a frequent term must not cost a pass over thousands of entries.
  if (!out.load_block(0)) return out.status_;
  out.doc_ = out.docs_[0];
  return Status::ok();
}

uint32_t PostingsIterator::skip_field(size_t block, size_t field) const {
  return load_fixed32(skip_.data() + block * skip_entry_bytes_ + skip_offset_[field]) &
         skip_mask_[field];
}
uint32_t PostingsIterator::group_end(size_t group) const {
  return load_fixed32(group_ends_.data() + group * 4);
}
size_t PostingsIterator::block_doc_begin(size_t block) const {
  return block == 0 ? 0 : skip_field(block - 1, kDocEnd);
}
size_t PostingsIterator::block_doc_end(size_t block) const {
  return nblocks_ > 1 ? skip_field(block, kDocEnd) : blocks_.size();
}
uint32_t PostingsIterator::pos_end(size_t block) const {
  return load_fixed32(pos_ends_.data() + block * pos_end_width_) & pos_end_mask_;
}
size_t PostingsIterator::block_pos_begin(size_t block) const {
  return block == 0 ? 0 : pos_end(block - 1);
}
size_t PostingsIterator::block_pos_end(size_t block) const {
  return block + 1 < nblocks_ ? pos_end(block) : positions_.size();
}

void PostingsIterator::fail(const char* what) {
  if (status_.is_ok()) {
    status_ = Status::corruption(fmt::format("postings block {}: {}", block_, what));
  }
  doc_ = kEndDoc;
}

bool PostingsIterator::load_block(size_t block) {
  size_t doc_begin = block_doc_begin(block), doc_end = block_doc_end(block);
  if (doc_end <= doc_begin || doc_end > blocks_.size() ||
      (block > 0 && skip_field(block - 1, kLastDoc) >= skip_field(block, kLastDoc))) {
    fail("skip entry is inconsistent");
    return false;
  }
  DocNum before = doc_;
  block_ = block;
  count_ = block + 1 < nblocks_ ? kBlockSize : df_ - block * kBlockSize;
  index_ = 0;
  pos_block_for_ = SIZE_MAX;
  pos_for_ = SIZE_MAX;
  std::string_view bytes = blocks_.substr(doc_begin, doc_end - doc_begin);
  // Gaps to document numbers as they decode. The last one, in 64 bits, bounds them all:
  // damaged gaps cannot wrap a number back into range.
  uint64_t first = block == 0 ? 0 : uint64_t{skip_field(block - 1, kLastDoc)} + 1;
  uint64_t last = 0;
  size_t used = 0;
  if (count_ == kBlockSize) {
    used = codec_->decode_docs(bytes, docs_, first, last);
  } else if ((used = decode_short_run(bytes, count_, docs_)) != 0) {
    last = gaps_to_docs(docs_, count_, first);
  }
  if (used == 0) {
    fail("document numbers do not decode");
    return false;
  }
  // Frequencies are decoded, and their length checked, on the first tf(): an AND or a
  // phrase often leaves a block without scoring any of its documents.
  wdf_bytes_ = bytes.substr(used);
  wdfs_decoded_ = !has_freqs_;
  wdf_reads_ = 0;
  if (!has_freqs_ && used != bytes.size()) {
    fail("block length does not match its contents");
    return false;
  }
  if (last >= doc_count_) {
    fail("document number out of range");
    return false;
  }
  if (nblocks_ > 1 && docs_[count_ - 1] != skip_field(block, kLastDoc)) {
    fail("last document differs from the skip table");
    return false;
  }
  if (before != kEndDoc && docs_[0] <= before) {
    fail("documents out of order");
    return false;
  }
  return true;
}

size_t PostingsIterator::decode_block_values(std::string_view in, uint32_t* values) const {
  return count_ == kBlockSize ? codec_->decode(in, values) : decode_short_run(in, count_, values);
}

uint32_t PostingsIterator::decode_wdfs() {
  size_t used = decode_block_values(wdf_bytes_, wdfs_);
  wdfs_decoded_ = true;
  if (used == 0 || used != wdf_bytes_.size() || !stored_to_wdfs(wdfs_, count_)) {
    fail("frequencies do not decode");
    std::fill(wdfs_, wdfs_ + kBlockSize, 1);
    return 1;
  }
  return wdfs_[index_];
}

uint32_t PostingsIterator::read_one_wdf() {
  if (count_ != kBlockSize) return decode_wdfs();  // a short last block: varints
  uint32_t stored = 0;
  size_t used = codec_->decode_one(wdf_bytes_, index_, stored);
  if (used == 0 || used != wdf_bytes_.size() || stored == UINT32_MAX) {
    fail("frequencies do not decode");
    return 1;
  }
  return stored + 1;
}

void PostingsIterator::next() {
  if (doc_ == kEndDoc) return;
  if (++index_ < count_) {
    doc_ = docs_[index_];
    return;
  }
  if (block_ + 1 >= nblocks_) {
    doc_ = kEndDoc;
    return;
  }
  if (load_block(block_ + 1)) doc_ = docs_[0];
}

DocNum PostingsIterator::seek_common(PostingsIterator& other, DocNum last) {
  while (doc_ != other.doc_ && doc_ <= last && other.doc_ != kEndDoc && doc_ != kEndDoc) {
    // One of the two leaves its block: seek() it there, over whole blocks if it can.
    if (doc_ > other.docs_[other.count_ - 1]) {
      other.seek_past_block(doc_);
      continue;
    }
    if (other.doc_ > docs_[count_ - 1]) {
      seek_past_block(other.doc_);
      continue;
    }
    // Both blocks hold documents at or past the other's: step within them, in registers,
    // until the two agree or one must leave its block.
    const uint32_t *a = docs_, *b = other.docs_;
    const uint32_t a_last = a[count_ - 1], b_last = b[other.count_ - 1];
    size_t i = index_, j = other.index_;
    uint32_t x = a[i], y = b[j];
    while (x != y && x <= last) {
      if (y < x) {
        if (x > b_last) break;
        j = first_at_least<true>(b, j, other.count_, x);
        y = b[j];
      } else {
        if (y > a_last) break;
        // This one is the rarer: its next document is mostly past y already, which is
        // known without waiting for y.
        x = a[++i];
        if (x < y) {
          i = first_at_least(a, i, count_, y);
          x = a[i];
        }
      }
    }
    index_ = i;
    doc_ = x;
    other.index_ = j;
    other.doc_ = y;
  }
  return doc_;
}

void PostingsIterator::seek_past_block(DocNum target) {
  // Skip whole blocks by their last document, without decoding them. Galloping from the
  // next block: an AND's frequent term mostly moves on to the next block or one near it,
  // which a binary search over all the blocks left would find in a dozen probes, far apart.
  size_t lo = block_ + 1, hi = lo, step = 1;
  while (hi < nblocks_ && skip_field(hi, kLastDoc) < target) {
    lo = hi + 1;
    hi = lo + step;
    step *= 2;
  }
  hi = std::min(hi, nblocks_);  // the block sought is in [lo, hi], or none is if it is nblocks_
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (skip_field(mid, kLastDoc) < target) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  size_t b = lo;
  if (b >= nblocks_) {
    doc_ = kEndDoc;
    return;
  }
  if (!load_block(b)) return;
  index_ = first_at_least(docs_, 0, count_, target);  // the block's last is >= target
  doc_ = docs_[index_];
}

bool PostingsIterator::decode_position_block() {
  // The block's positions: the documents' first positions, a header, then either the byte
  // lengths of each document's deltas or the documents whose wdf exceeds their count of
  // positions, then the other positions' deltas end to end. Its bounds are checked here,
  // not in load_block: most queries never read positions.
  const size_t begin = block_pos_begin(block_), end = block_pos_end(block_);
  if (begin > end || end > positions_.size()) {
    fail("positions block table is inconsistent");
    return false;
  }
  std::string_view area = positions_.substr(begin, end - begin);
  size_t firsts_used;
  if (count_ == kBlockSize) {
    // Only the size now: a phrase reads the first positions of one or a few documents.
    uint32_t unused;
    firsts_used = codec_->decode_one(area, 0, unused);
    pos_firsts_packed_ = area.substr(0, firsts_used);
  } else {
    firsts_used = decode_short_run(area, count_, pos_firsts_);
    pos_firsts_packed_ = {};
  }
  if (firsts_used == 0) {
    fail("first positions do not decode");
    return false;
  }
  area.remove_prefix(firsts_used);
  ByteReader in(area);
  uint32_t header = in.varint32();
  pos_by_lengths_ = header == 1;
  if (!in.ok() || (header & 1 && header != 1) || (header >> 1) > count_) {
    fail("positions block header does not decode");
    return false;
  }
  if (pos_by_lengths_) {
    // Each document's byte length of deltas: its offset is a sum.
    std::string_view rest(in.position(), in.remaining());
    uint32_t lengths[kBlockSize];
    size_t used = decode_block_values(rest, lengths);
    if (used == 0) {
      fail("position lengths do not decode");
      return false;
    }
    pos_deltas_ = rest.substr(used);
    uint64_t at = 0;
    for (size_t i = 0; i < count_; ++i) {
      pos_byte_start_[i] = static_cast<uint32_t>(at);
      at += lengths[i];
    }
    if (at != pos_deltas_.size()) {
      fail("position lengths do not match the block's positions");
      return false;
    }
    pos_byte_start_[count_] = static_cast<uint32_t>(at);
    pos_block_for_ = block_;
    return true;
  }
  // A document has wdf - 1 deltas, fewer by its listed excess.
  if (!wdfs_decoded_) decode_wdfs();
  if (!status_.is_ok()) return false;
  uint32_t excess_count = header >> 1;
  for (size_t i = 0; i < count_; ++i) pos_counts_[i] = wdfs_[i] - 1;
  if (excess_count > 0) {
    uint32_t gaps[kBlockSize], excess[kBlockSize];
    std::string_view rest(in.position(), in.remaining());
    size_t gaps_used = decode_short_run(rest, excess_count, gaps);
    size_t excess_used =
        gaps_used == 0 ? 0 : decode_short_run(rest.substr(gaps_used), excess_count, excess);
    if (excess_used == 0) {
      fail("position excess list does not decode");
      return false;
    }
    in.bytes(gaps_used + excess_used);
    // A document keeps at least its first position: excess < wdf.
    uint64_t index = 0;
    for (size_t k = 0; k < excess_count; ++k, ++index) {
      index += gaps[k];
      if (index >= count_ || excess[k] >= pos_counts_[index]) {
        fail("position excess list exceeds the frequencies");
        return false;
      }
      pos_counts_[index] -= excess[k] + 1;
    }
  }
  pos_deltas_ = std::string_view(in.position(), in.remaining());
  pos_cursor_doc_ = 0;
  pos_cursor_byte_ = 0;
  pos_block_for_ = block_;
  return true;
}

namespace {
// The offset just past the `count`th varint from `at` in `bytes` (each ends at a byte below
// 0x80), or SIZE_MAX if they end first. A block walked this way holds at most
// kPositionLengthsBytes of deltas.
size_t skip_varints(std::string_view bytes, size_t at, uint64_t count) {
  for (; count > 0; ++at) {
    if (at >= bytes.size()) return SIZE_MAX;
    if (static_cast<uint8_t>(bytes[at]) < 0x80) --count;
  }
  return at;
}
}  // namespace

std::span<const uint32_t> PostingsIterator::positions() {
  if (!has_positions_ || doc_ == kEndDoc) return {};
  if (pos_for_ == index_) return {pos_buffer_.data(), pos_count_};
  if (pos_block_for_ != block_ && !decode_position_block()) return {};
  uint32_t first = pos_firsts_[index_];
  if (!pos_firsts_packed_.empty()) codec_->decode_one(pos_firsts_packed_, index_, first);
  // The document's deltas: in a block by lengths, the bytes at its offset (a delta takes
  // one at least, so as many deltas as bytes at most); otherwise its count of varints after
  // those of the documents before it, walked from the cursor when it is not past this one.
  size_t at, end;
  uint64_t most;
  if (pos_by_lengths_) {
    at = pos_byte_start_[index_];
    end = pos_byte_start_[index_ + 1];
    most = end - at;
  } else {
    if (index_ < pos_cursor_doc_) {
      pos_cursor_doc_ = 0;
      pos_cursor_byte_ = 0;
    }
    // Sums of u32 counts in 64 bits cannot wrap; a count past the bytes left fails in the
    // skip or the reads below.
    uint64_t skip = 0;
    for (size_t j = pos_cursor_doc_; j < index_; ++j) skip += pos_counts_[j];
    at = skip_varints(pos_deltas_, pos_cursor_byte_, skip);
    end = pos_deltas_.size();
    most = pos_counts_[index_];
    if (at == SIZE_MAX || most > end - at) {
      fail("positions do not decode");
      return {};
    }
  }
  if (pos_buffer_.size() < most + 1) pos_buffer_.resize(most + 1);
  // Deltas: one-byte varints in a tight loop, the rare longer ones by ByteReader. p cannot
  // overflow: fewer than 2^32 u32 deltas after a u32 first.
  uint64_t p = first;
  pos_buffer_[0] = first;
  size_t count = 1;
  for (; count <= most && at < end; ++count) {
    uint32_t delta = static_cast<uint8_t>(pos_deltas_[at]);
    if (delta < 0x80) {
      ++at;
    } else {
      ByteReader wide(pos_deltas_.substr(at, end - at));
      delta = wide.varint32();
      if (!wide.ok()) {
        fail("positions do not decode");
        return {};
      }
      at = static_cast<size_t>(wide.position() - pos_deltas_.data());
    }
    p += uint64_t{delta} + 1;
    pos_buffer_[count] = static_cast<uint32_t>(p);
  }
  if (!pos_by_lengths_ && count != most + 1) {
    fail("positions do not decode");
    return {};
  }
  if (p > UINT32_MAX) {
    fail("positions do not decode");
    return {};
  }
  if (!pos_by_lengths_) {
    if (index_ + 1 == count_ && at != end) {
      fail("position deltas do not fill their block");
      return {};
    }
    pos_cursor_doc_ = index_ + 1;
    pos_cursor_byte_ = at;
  }
  pos_count_ = count;
  pos_for_ = index_;
  return {pos_buffer_.data(), pos_count_};
}

void PostingsIterator::shallow_seek(DocNum target) {
  if (nblocks_ <= 1) return;
  if (shallow_block_ < block_) shallow_block_ = block_;
  // Whole groups first, by the skip entry of each group's last block.
  for (;;) {
    size_t group_last = group_last_block(shallow_block_);
    if (group_last + 1 >= nblocks_ || skip_field(group_last, kLastDoc) >= target) break;
    shallow_block_ = group_last + 1;
  }
  while (shallow_block_ + 1 < nblocks_ && skip_field(shallow_block_, kLastDoc) < target)
    ++shallow_block_;
}

DocNum PostingsIterator::block_last_doc() const {
  if (nblocks_ <= 1 || shallow_block_ + 1 >= nblocks_) return kEndDoc - 1;
  return skip_field(shallow_block_, kLastDoc);
}

std::span<const Impact> PostingsIterator::block_impacts() {
  if (!has_freqs_ || nblocks_ <= 1) return term_impacts();
  if (block_impacts_for_ != shallow_block_) {
    size_t begin = shallow_block_ == 0 ? 0 : skip_field(shallow_block_ - 1, kImpactsEnd);
    size_t end = skip_field(shallow_block_, kImpactsEnd);
    if (!decode_impacts_at(impacts_, begin, end, block_impacts_, block_impacts_count_)) {
      fail("block score bounds do not decode");
      return {};
    }
    block_impacts_for_ = shallow_block_;
  }
  return {block_impacts_, block_impacts_count_};
}

DocNum PostingsIterator::group_last_doc() const {
  size_t group_last = group_last_block(shallow_block_);
  if (nblocks_ <= 1 || group_last + 1 >= nblocks_) return kEndDoc - 1;
  return skip_field(group_last, kLastDoc);
}

std::span<const Impact> PostingsIterator::group_impacts() {
  if (!has_group_bounds()) return term_impacts();  // one group: the whole term
  size_t group = shallow_block_ / kGroupBlocks;
  if (group_impacts_for_ != group) {
    size_t begin = group == 0 ? 0 : group_end(group - 1);
    if (!decode_impacts_at(group_impacts_, begin, group_end(group), group_impacts_buffer_,
                           group_impacts_count_)) {
      fail("group score bounds do not decode");
      return {};
    }
    group_impacts_for_ = group;
  }
  return {group_impacts_buffer_, group_impacts_count_};
}

PostingsLayout& PostingsLayout::operator+=(const PostingsLayout& o) {
  term_bounds += o.term_bounds;
  skip_table += o.skip_table;
  block_bounds += o.block_bounds;
  group_bounds += o.group_bounds;
  doc_gaps += o.doc_gaps;
  doc_gaps_last += o.doc_gaps_last;
  freqs += o.freqs;
  freqs_last += o.freqs_last;
  padding += o.padding;
  block_ends += o.block_ends;
  firsts += o.firsts;
  firsts_last += o.firsts_last;
  headers += o.headers;
  lengths += o.lengths;
  excess_lists += o.excess_lists;
  deltas += o.deltas;
  return *this;
}

Status measure_term_layout(std::string_view term_postings, std::string_view term_positions,
                           const TermInfo& info, const BlockCodec& codec, uint32_t doc_count,
                           PostingsLayout& out) {
  // The iterator parses and checks every part; what it leaves in its fields gives the
  // sizes, so this walk cannot drift from the reader.
  PostingsIterator it;
  MORGUE_RETURN_IF_ERROR(
      open_term_postings(term_postings, term_positions, info, codec, doc_count, it));
  PostingsLayout term;
  term.skip_table = it.nblocks_ > 1 ? 1 + it.skip_.size() : 0;
  term.block_bounds = it.impacts_.size();
  term.group_bounds = it.group_ends_.size() + it.group_impacts_.size();
  term.term_bounds = term_postings.size() - it.blocks_.size() - term.skip_table -
                     term.block_bounds - term.group_bounds;
  term.block_ends = term_positions.size() - it.positions_.size();
  for (size_t block = 0; block < it.nblocks_; ++block) {
    if (block > 0) {
      it.doc_ = it.docs_[it.count_ - 1];  // so that load_block checks the order too
      if (!it.load_block(block)) return it.status_;
    }
    const bool full = it.count_ == kBlockSize;
    const size_t block_bytes = it.block_doc_end(block) - it.block_doc_begin(block);
    const size_t freq_bytes = it.has_freqs_ ? it.wdf_bytes_.size() : 0;
    (full ? term.doc_gaps : term.doc_gaps_last) += block_bytes - freq_bytes;
    (full ? term.freqs : term.freqs_last) += freq_bytes;
    if (it.has_freqs_ && !it.wdfs_decoded_) it.decode_wdfs();  // checks their length
    if (!it.status_.is_ok()) return it.status_;
    if (!it.has_positions_) continue;
    if (!it.decode_position_block()) return it.status_;
    const size_t begin = it.block_pos_begin(block);
    std::string_view area = it.positions_.substr(begin, it.block_pos_end(block) - begin);
    uint32_t firsts_scratch[kBlockSize];
    const size_t firsts = full ? it.pos_firsts_packed_.size()
                               : decode_short_run(area, it.count_, firsts_scratch);
    ByteReader header(area.substr(firsts));
    header.varint32();
    const size_t header_bytes = area.size() - firsts - header.remaining();
    const size_t middle = header.remaining() - it.pos_deltas_.size();
    (full ? term.firsts : term.firsts_last) += firsts;
    term.headers += header_bytes;
    (it.pos_by_lengths_ ? term.lengths : term.excess_lists) += middle;
    term.deltas += it.pos_deltas_.size();
  }
  term.padding = it.blocks_.size() - it.block_doc_end(it.nblocks_ - 1);
  out += term;
  return Status::ok();
}

}  // namespace morgue
