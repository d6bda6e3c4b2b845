// Decodes the term dictionary in place from its memory map; the byte grammar is at the top
// of term_dict_writer.cc. Layout: docs/FORMAT.md#term-dictionary
#include "common/format/term_dict_reader.h"

#include <algorithm>
#include <fmt/format.h>

#include "common/base/file.h"

namespace morgue {

struct TermDictReader::State {
  MmapFile file;
  std::string path;
  std::string_view body;
  uint64_t term_count = 0;
  uint64_t block_count = 0;
  uint32_t block_size = 0;
  const char* block_offsets = nullptr;  // u64[block_count + 1], 8-aligned
  const char* key_offsets = nullptr;    // u64[block_count + 1], 8-aligned
  const char* keys = nullptr;

  uint64_t file_offset(const char* at) const {
    return static_cast<uint64_t>(at - file.bytes().data());
  }
  Status corrupt(const char* at, std::string_view what) const {
    return Status::corruption(
        fmt::format("{} (term dictionary, offset {}): {}", path, file_offset(at), what));
  }
  uint64_t block_offset(uint64_t b) const { return load_fixed64(block_offsets + 8 * b); }
  uint64_t key_offset(uint64_t b) const { return load_fixed64(key_offsets + 8 * b); }
  // Open checked that the offsets are in bounds and increasing, so these need no checks.
  std::string_view key(uint64_t b) const {
    uint64_t from = key_offset(b);
    return {keys + from, static_cast<size_t>(key_offset(b + 1) - from)};
  }
  std::string_view block(uint64_t b) const {
    uint64_t from = block_offset(b);
    return body.substr(from, block_offset(b + 1) - from);
  }
  uint32_t terms_in_block(uint64_t b) const {
    return b + 1 < block_count ? block_size
                               : static_cast<uint32_t>(term_count - b * uint64_t{block_size});
  }
  // The last block whose first term is <= term, or block_count if term sorts first.
  uint64_t find_block(std::string_view term) const {
    uint64_t lo = 0, hi = block_count;  // invariant: key(b) <= term for b < lo, > for b >= hi
    while (lo < hi) {
      uint64_t mid = lo + (hi - lo) / 2;
      if (key(mid) <= term) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo == 0 ? block_count : lo - 1;
  }
};

namespace {

uint64_t get_zigzag(ByteReader& in) {
  uint64_t z = in.varint();
  return (z >> 1) ^ (0 - (z & 1));
}

// Decodes an entry's info; the caller checks in.ok().
void read_info(ByteReader& in, TermInfo& info, uint64_t& postings_end, uint64_t& positions_end) {
  uint8_t layout = in.u8();
  info.flags = layout & (kTermFlagsLimit - 1);
  info.df = in.varint32();
  info.cf = layout & kLayoutHasCf ? in.varint() : 0;
  // Unsigned arithmetic wraps: a damaged gap gives a wrong offset, which the postings
  // reader bounds-checks, never undefined behaviour here.
  info.postings_offset = postings_end + (layout & kLayoutHasPostingsGap ? get_zigzag(in) : 0);
  info.postings_length = in.varint();
  info.positions_offset = positions_end + (layout & kLayoutHasPositionsGap ? get_zigzag(in) : 0);
  info.positions_length = layout & kLayoutHasPositionsLength ? in.varint() : 0;
  postings_end = info.postings_offset + info.postings_length;
  positions_end = info.positions_offset + info.positions_length;
}

size_t common_prefix(std::string_view a, std::string_view b) {
  auto [ia, ib] = std::mismatch(a.begin(), a.end(), b.begin(), b.end());
  return static_cast<size_t>(ia - a.begin());
}

}  // namespace

TermDictReader::TermDictReader(TermDictReader&&) noexcept = default;
TermDictReader& TermDictReader::operator=(TermDictReader&&) noexcept = default;
TermDictReader::~TermDictReader() = default;

Result<TermDictReader> TermDictReader::open(const std::string& path, const Uuid* expected_uuid,
                                            bool verify_checksum) {
  auto state = std::make_unique<State>();
  State& s = *state;
  s.path = path;
  MORGUE_ASSIGN_OR_RETURN(s.file, MmapFile::open(path));
  MORGUE_ASSIGN_OR_RETURN(CheckedFile checked, check_file(s.file.bytes(), path,
                                                          FileKind::kTermDict, expected_uuid,
                                                          verify_checksum));
  s.body = checked.body;
  const char* base = s.body.data();
  size_t size = s.body.size();
  if (size < kTermDictTrailerSize || size % 8 != 0) {
    return s.corrupt(base, fmt::format("body of {} bytes cannot end in a trailer", size));
  }
  size_t trailer_at = size - kTermDictTrailerSize;
  ByteReader trailer(s.body.substr(trailer_at));
  s.term_count = trailer.fixed64();
  s.block_count = trailer.fixed64();
  uint64_t index_offset = trailer.fixed64();
  s.block_size = trailer.fixed32();
  uint32_t reserved = trailer.fixed32();
  const char* at = base + trailer_at;
  if (reserved != 0) return s.corrupt(at + 28, "reserved trailer field is not zero");
  if (s.block_size == 0 || s.block_size > kTermDictMaxBlockSize) {
    return s.corrupt(at + 24, fmt::format("block size {} is not in 1..{}", s.block_size,
                                          kTermDictMaxBlockSize));
  }
  if (index_offset % 8 != 0 || index_offset > trailer_at) {
    return s.corrupt(at + 16, fmt::format("block index offset {} is misaligned or out of the "
                                          "body", index_offset));
  }
  // Two u64 arrays of block_count + 1 entries must fit between the index and the trailer.
  uint64_t index_room = (trailer_at - index_offset) / 16;
  if (s.block_count >= index_room) {
    return s.corrupt(at + 8, fmt::format("block count {} does not fit the file", s.block_count));
  }
  uint64_t expected_blocks =
      s.term_count == 0 ? 0 : (s.term_count - 1) / s.block_size + 1;  // no overflow: size > 0
  if (s.block_count != expected_blocks) {
    return s.corrupt(at, fmt::format("{} terms in blocks of {} need {} blocks, not {}",
                                     s.term_count, s.block_size, expected_blocks,
                                     s.block_count));
  }
  s.block_offsets = base + index_offset;
  s.key_offsets = s.block_offsets + 8 * (s.block_count + 1);
  s.keys = s.key_offsets + 8 * (s.block_count + 1);
  uint64_t keys_room = static_cast<uint64_t>(base + trailer_at - s.keys);

  // Blocks: from body offset 0, strictly increasing (each holds at least one entry), the
  // last one ending where the index's alignment padding starts.
  if (s.block_offset(0) != 0) return s.corrupt(s.block_offsets, "first block is not at 0");
  for (uint64_t b = 0; b < s.block_count; ++b) {
    if (s.block_offset(b + 1) <= s.block_offset(b)) {
      return s.corrupt(s.block_offsets + 8 * (b + 1), "block offsets are not increasing");
    }
  }
  uint64_t blocks_end = s.block_offset(s.block_count);
  if (blocks_end > index_offset || index_offset - blocks_end >= 8) {
    return s.corrupt(s.block_offsets + 8 * s.block_count,
                     fmt::format("blocks end at {}, not just before the index at {}",
                                 blocks_end, index_offset));
  }
  // Keys: offsets from 0, non-decreasing (the empty term may be first), within the room
  // before the trailer and ending at most 7 bytes of padding before it.
  if (s.key_offset(0) != 0) return s.corrupt(s.key_offsets, "first key is not at 0");
  for (uint64_t b = 0; b < s.block_count; ++b) {
    if (s.key_offset(b + 1) < s.key_offset(b) || s.key_offset(b + 1) > keys_room) {
      return s.corrupt(s.key_offsets + 8 * (b + 1), "key offsets decrease or leave the file");
    }
  }
  uint64_t keys_end = s.key_offset(s.block_count);
  if (keys_end > keys_room || keys_room - keys_end >= 8) {
    return s.corrupt(s.key_offsets + 8 * s.block_count,
                     fmt::format("keys end {} bytes before the trailer", keys_room - keys_end));
  }
  for (uint64_t b = 1; b < s.block_count; ++b) {
    if (!(s.key(b - 1) < s.key(b))) {
      return s.corrupt(s.keys + s.key_offset(b), "block first terms are not increasing");
    }
  }
  TermDictReader reader;
  reader.state_ = std::move(state);
  return reader;
}

Result<std::optional<TermInfo>> TermDictReader::find(std::string_view term) const {
  const State& s = *state_;
  uint64_t b = s.find_block(term);
  if (b == s.block_count) return std::optional<TermInfo>();
  std::string_view key = s.key(b);
  std::string_view block = s.block(b);
  ByteReader in(block);
  uint32_t count = s.terms_in_block(b);
  // Invariant after each entry: the entry's term (length prev_len) is < term and shares
  // exactly `matched` leading bytes with it. Front coding then decides most entries from
  // their shared-prefix length alone, without rebuilding the term: an entry sharing more
  // than `matched` bytes with its predecessor is still < term (it keeps the byte where the
  // predecessor fell below term); one sharing fewer is already > term (it rose above the
  // predecessor at a byte where the predecessor still equalled term).
  size_t matched = common_prefix(key, term);
  size_t prev_len = key.size();
  TermInfo info;
  uint64_t postings_end = 0, positions_end = 0;
  for (uint32_t i = 0; i < count; ++i) {
    const char* entry_at = in.position();
    bool equal = false;
    bool greater = false;
    if (i == 0) {
      equal = key.size() == term.size() && matched == key.size();
    } else {
      uint64_t shared = in.varint();
      std::string_view suffix = in.length_prefixed();
      if (!in.ok()) return s.corrupt(entry_at, "term entry runs past the end of its block");
      if (shared > prev_len) {
        return s.corrupt(entry_at, fmt::format("shared prefix {} is longer than the previous "
                                               "term ({} bytes)", shared, prev_len));
      }
      if (shared < matched) {
        greater = true;
      } else if (shared == matched) {
        std::string_view rest = term.substr(matched);
        size_t more = common_prefix(suffix, rest);
        equal = more == suffix.size() && more == rest.size();
        greater = !equal && (more == rest.size() ||
                             (more < suffix.size() && static_cast<unsigned char>(suffix[more]) >
                                                          static_cast<unsigned char>(rest[more])));
        matched += more;
      }
      prev_len = static_cast<size_t>(shared) + suffix.size();
    }
    if (greater) return std::optional<TermInfo>();
    read_info(in, info, postings_end, positions_end);
    if (!in.ok()) return s.corrupt(entry_at, "term info runs past the end of its block");
    if (equal) return std::optional<TermInfo>(info);
  }
  if (!in.at_end()) return s.corrupt(in.position(), "unexpected bytes after the last entry");
  return std::optional<TermInfo>();
}

TermDictReader::Iterator TermDictReader::begin() const {
  Iterator it;
  it.state_ = state_.get();
  if (state_->block_count > 0) it.enter_block(0);
  return it;
}

TermDictReader::Iterator TermDictReader::seek(std::string_view lower_bound) const {
  uint64_t b = state_->find_block(lower_bound);
  if (b == state_->block_count) return begin();
  Iterator it;
  it.state_ = state_.get();
  it.enter_block(b);
  // At most one block of steps: the next block's first term is > lower_bound.
  while (it.valid() && it.term() < lower_bound) it.next();
  return it;
}

void TermDictReader::Iterator::enter_block(uint64_t block) {
  block_ = block;
  entry_ = 0;
  block_terms_ = state_->terms_in_block(block);
  in_ = ByteReader(state_->block(block));
  postings_end_ = 0;
  positions_end_ = 0;
  std::string_view key = state_->key(block);
  if (block > 0 && !(std::string_view(term_) < key)) {
    return fail(state_->keys + state_->key_offset(block),
                "block's first term is not above the previous block's last");
  }
  term_.assign(key);
  read_entry();
}

void TermDictReader::Iterator::read_entry() {
  const char* entry_at = in_.position();
  if (entry_ > 0) {
    uint64_t shared = in_.varint();
    std::string_view suffix = in_.length_prefixed();
    if (!in_.ok()) return fail(entry_at, "term entry runs past the end of its block");
    if (shared > term_.size()) return fail(entry_at, "shared prefix longer than the previous term");
    if (!(std::string_view(term_).substr(static_cast<size_t>(shared)) < suffix)) {
      return fail(entry_at, "term is not above the previous term");
    }
    term_.resize(static_cast<size_t>(shared));
    term_.append(suffix);
  }
  read_info(in_, info_, postings_end_, positions_end_);
  if (!in_.ok()) return fail(entry_at, "term info runs past the end of its block");
  valid_ = true;
}

void TermDictReader::Iterator::next() {
  if (!valid_) return;
  if (++entry_ < block_terms_) return read_entry();
  if (!in_.at_end()) return fail(in_.position(), "unexpected bytes after the last entry");
  if (block_ + 1 < state_->block_count) return enter_block(block_ + 1);
  valid_ = false;
}

void TermDictReader::Iterator::fail(const char* at, std::string_view what) {
  valid_ = false;
  status_ = state_->corrupt(at, what);
}

uint64_t TermDictReader::term_count() const { return state_->term_count; }
uint64_t TermDictReader::block_count() const { return state_->block_count; }
uint32_t TermDictReader::block_size() const { return state_->block_size; }
uint64_t TermDictReader::file_bytes() const { return state_->file.size(); }

void TermDictReader::drop_resident_pages() const { state_->file.drop_resident_pages(); }
const std::string& TermDictReader::path() const { return state_->path; }

}  // namespace morgue
