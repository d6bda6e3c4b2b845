#include "common/format/postings_reader.h"

#include <algorithm>
#include <cstring>
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
  out = PostingsIterator();
  MORGUE_RETURN_IF_ERROR(check_term_bounds(info, doc_stream.size(), pos_stream.size()));
  return open_term_postings(doc_stream.substr(info.postings_offset, info.postings_length),
                            pos_stream.substr(info.positions_offset, info.positions_length), info,
                            codec, doc_count, out);
}

Status open_term_postings(std::string_view term_postings, std::string_view term_positions,
                          const TermInfo& info, const BlockCodec& codec, uint32_t doc_count,
                          PostingsIterator& out) {
  out = PostingsIterator();
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
  out.nblocks_ = (info.df + kBlockSize - 1) / kBlockSize;
  out.positions_ = term_positions;
  if (out.has_positions_ && out.nblocks_ > 1) {
    size_t table = (out.nblocks_ - 1) * 4;
    if (term_positions.size() < table) return corrupt("positions block table truncated");
    out.pos_ends_ = term_positions.substr(0, table);
    out.positions_ = term_positions.substr(table);
  }
  ByteReader in(term_postings);
  if (out.has_freqs_) {
    if (!decode_impacts(in, out.term_impacts_, out.term_impacts_count_))
      return corrupt("bad term score bounds");
  }
  if (out.nblocks_ > 1) {
    out.skip_ = in.bytes(out.nblocks_ * kSkipEntryBytes);
    if (!in.ok()) return corrupt("skip table truncated");
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
  return load_fixed32(skip_.data() + block * kSkipEntryBytes + field * 4);
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
size_t PostingsIterator::block_pos_begin(size_t block) const {
  return block == 0 ? 0 : load_fixed32(pos_ends_.data() + (block - 1) * 4);
}
size_t PostingsIterator::block_pos_end(size_t block) const {
  return block + 1 < nblocks_ ? load_fixed32(pos_ends_.data() + block * 4) : positions_.size();
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
  pos_offsets_for_ = SIZE_MAX;
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
  // The block's positions: the documents' first positions, the byte lengths of their other
  // positions' deltas, then those deltas end to end. Its bounds are checked here, not in
  // load_block: most queries never read positions.
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
  uint32_t lengths[kBlockSize];
  size_t lengths_used = decode_block_values(area, lengths);
  if (lengths_used == 0) {
    fail("position lengths do not decode");
    return false;
  }
  uint64_t at = begin + firsts_used + lengths_used;
  for (size_t i = 0; i < count_; ++i) {
    pos_offsets_[i] = static_cast<size_t>(at);
    at += lengths[i];
  }
  if (at != end) {
    fail("position lengths do not match the block's positions");
    return false;
  }
  pos_offsets_[count_] = end;
  pos_offsets_for_ = block_;
  return true;
}

std::span<const uint32_t> PostingsIterator::positions() {
  if (!has_positions_ || doc_ == kEndDoc) return {};
  if (pos_for_ == index_) return {pos_buffer_.data(), pos_count_};
  if (pos_offsets_for_ != block_ && !decode_position_block()) return {};
  uint32_t first = pos_firsts_[index_];
  if (!pos_firsts_packed_.empty()) codec_->decode_one(pos_firsts_packed_, index_, first);
  std::string_view bytes =
      positions_.substr(pos_offsets_[index_], pos_offsets_[index_ + 1] - pos_offsets_[index_]);
  // A delta takes at least a byte, so bytes.size() + 1 slots suffice.
  if (pos_buffer_.size() < bytes.size() + 1) pos_buffer_.resize(bytes.size() + 1);
  // Deltas: one-byte varints in a tight loop, the rare longer ones by ByteReader. p cannot
  // overflow: at most bytes.size() u32 deltas after a u32 first.
  uint64_t p = first;
  size_t count = 0;
  pos_buffer_[count++] = first;
  for (size_t k = 0; k < bytes.size();) {
    uint32_t delta = static_cast<uint8_t>(bytes[k]);
    if (delta < 0x80) {
      ++k;
    } else {
      ByteReader wide(bytes.substr(k));
      delta = wide.varint32();
      if (!wide.ok()) {
        fail("positions do not decode");
        return {};
      }
      k = static_cast<size_t>(wide.position() - bytes.data());
    }
    p += uint64_t{delta} + 1;
    pos_buffer_[count++] = static_cast<uint32_t>(p);
  }
  if (p > UINT32_MAX) {
    fail("positions do not decode");
    return {};
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

}  // namespace morgue
