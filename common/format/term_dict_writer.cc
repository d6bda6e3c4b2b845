// Layout: docs/FORMAT.md#term-dictionary
//   body    := block[block_count] pad8
//              block_offset:u64[block_count+1] key_offset:u64[block_count+1] keys pad8
//              trailer
//   block   := entry0 entry[k-1]            k = block_size, or fewer in the last block
//   entry0  := info                          its term is the block's key in `keys`
//   entry   := shared:varint suffix_len:varint suffix:bytes info
//   info    := layout:u8 df:varint [cf:varint]
//              [postings_gap:zigzag] postings_length:varint
//              [positions_gap:zigzag] [positions_length:varint]
//   layout  := flags (bits 0-3) | which bracketed fields are present, each when not 0
//              (bit 4 cf, 5 postings_gap, 6 positions_gap, 7 positions_length)
//   gap     := offset - (previous entry's offset + length); the previous end is 0 at entry0
//   trailer := term_count:u64 block_count:u64 index_offset:u64 block_size:u32 reserved:u32
#include "common/format/term_dict_writer.h"

#include <algorithm>
#include <fmt/format.h>

#include "common/base/coding.h"

namespace morgue {
namespace {

void put_zigzag(std::string& out, uint64_t delta) {
  // Two's-complement delta: small negative gaps (a list that starts before the previous
  // one ended, or an absent list at offset 0) stay short, and any value round-trips.
  put_varint(out, (delta << 1) ^ (0 - (delta >> 63)));
}

// Pads `tail`, which will be written at body offset `at`, to end 8-aligned in the body.
void pad_to_8(std::string& tail, uint64_t at) {
  while ((at + tail.size()) % 8 != 0) tail.push_back('\0');
}

size_t common_prefix(std::string_view a, std::string_view b) {
  auto [ia, ib] = std::mismatch(a.begin(), a.end(), b.begin(), b.end());
  return static_cast<size_t>(ia - a.begin());
}

}  // namespace

Result<TermDictWriter> TermDictWriter::create(const std::string& path, const Uuid& segment_uuid,
                                              uint32_t block_size) {
  if (block_size == 0 || block_size > kTermDictMaxBlockSize) {
    return Status::invalid_argument(fmt::format(
        "{}: term dictionary block size {} is not in 1..{}", path, block_size,
        kTermDictMaxBlockSize));
  }
  TermDictWriter writer;
  FileHeader header;
  header.kind = FileKind::kTermDict;
  header.segment_uuid = segment_uuid;
  MORGUE_ASSIGN_OR_RETURN(writer.file_, IndexFileWriter::create(path, header));
  writer.block_size_ = block_size;
  return writer;
}

Status TermDictWriter::add(std::string_view term, const TermInfo& info) {
  if (!error_.is_ok()) return error_;
  if (finished_) {
    return Status::invalid_argument(fmt::format("{}: add() after finish()", file_.path()));
  }
  if (info.flags >= kTermFlagsLimit) {
    return Status::invalid_argument(fmt::format("{}: term {:?} has flags {}, not below {}",
                                                file_.path(), term, info.flags,
                                                kTermFlagsLimit));
  }
  if (term_count_ > 0 && !(term > std::string_view(last_term_))) {
    return Status::invalid_argument(fmt::format(
        "{}: term {:?} added after {:?}: terms must be strictly increasing bytewise",
        file_.path(), term, last_term_));
  }
  if (in_block_ == 0) {
    // The block's first term lives in the index, so binary search reads only the index.
    key_offsets_.push_back(keys_.size());
    keys_.append(term);
    postings_end_ = 0;
    positions_end_ = 0;
  } else {
    size_t shared = common_prefix(last_term_, term);
    put_varint(block_, shared);
    put_varint(block_, term.size() - shared);
    block_.append(term.substr(shared));
  }
  // A filter term has no cf and no positions, and most lists start where the previous
  // one ended: fields that are 0 are left out (a third of a million articles' dictionary).
  uint64_t postings_gap = info.postings_offset - postings_end_;
  uint64_t positions_gap = info.positions_offset - positions_end_;
  uint8_t layout = info.flags;
  if (info.cf != 0) layout |= kLayoutHasCf;
  if (postings_gap != 0) layout |= kLayoutHasPostingsGap;
  if (positions_gap != 0) layout |= kLayoutHasPositionsGap;
  if (info.positions_length != 0) layout |= kLayoutHasPositionsLength;
  block_.push_back(static_cast<char>(layout));
  // Written as read_info (term_dict_reader.cc) reads them: by the layout's bits.
  put_varint(block_, info.df);
  if (layout & kLayoutHasCf) put_varint(block_, info.cf);
  if (layout & kLayoutHasPostingsGap) put_zigzag(block_, postings_gap);
  put_varint(block_, info.postings_length);
  if (layout & kLayoutHasPositionsGap) put_zigzag(block_, positions_gap);
  if (layout & kLayoutHasPositionsLength) put_varint(block_, info.positions_length);
  postings_end_ = info.postings_offset + info.postings_length;
  positions_end_ = info.positions_offset + info.positions_length;

  last_term_.assign(term);
  ++term_count_;
  if (++in_block_ == block_size_) {
    error_ = flush_block();
    return error_;
  }
  return Status::ok();
}

Status TermDictWriter::flush_block() {
  if (in_block_ == 0) return Status::ok();
  block_offsets_.push_back(file_.body_size());
  Status status = file_.append(block_);
  block_.clear();
  in_block_ = 0;
  return status;
}

Status TermDictWriter::finish() {
  if (!error_.is_ok()) return error_;
  if (finished_) {
    return Status::invalid_argument(fmt::format("{}: finish() called twice", file_.path()));
  }
  finished_ = true;
  error_ = flush_block();
  if (!error_.is_ok()) return error_;

  // The body so far is the blocks; the file header is 32 bytes, so a body offset that is a
  // multiple of 8 is 8-aligned in the mapped file too, and the arrays can be read in place.
  uint64_t blocks_end = file_.body_size();
  std::string tail;
  pad_to_8(tail, blocks_end);
  uint64_t index_offset = blocks_end + tail.size();
  for (uint64_t offset : block_offsets_) put_fixed64(tail, offset);
  put_fixed64(tail, blocks_end);
  for (uint64_t offset : key_offsets_) put_fixed64(tail, offset);
  put_fixed64(tail, keys_.size());
  tail.append(keys_);
  pad_to_8(tail, blocks_end);
  put_fixed64(tail, term_count_);
  put_fixed64(tail, block_offsets_.size());
  put_fixed64(tail, index_offset);
  put_fixed32(tail, block_size_);
  put_fixed32(tail, 0);  // reserved, must be zero
  error_ = file_.append(tail);
  if (error_.is_ok()) error_ = file_.finish();
  return error_;
}

}  // namespace morgue
