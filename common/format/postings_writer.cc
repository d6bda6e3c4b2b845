// Layout: docs/FORMAT.md#postings
//   postings := [impacts(term)]                              if kHasFreqs
//               [skip[nblocks]]                              if nblocks > 1
//               [impacts(block)[nblocks]]                    if nblocks > 1 and kHasFreqs
//               [group_end[ngroups]] [impacts(group)[ngroups]] if nblocks > 8 and kHasFreqs
//               block[nblocks]
//   group    := 8 consecutive blocks (the last may have fewer); ngroups = ceil(nblocks / 8)
//   group_end := u32, end of the group's impacts from the first group's
//   skip     := last_doc:u32 doc_end:u32 impacts_end:u32
//   impacts  := common/format/impacts.h
//   block    := full (128 docs): codec(gaps) [codec(wdf - 1)]
//               last, shorter:   short_run(gaps) [short_run(wdf - 1)]
//   gap      := doc - previous doc - 1, the previous doc of the first being -1
//   positions := [pos_end:u32[nblocks - 1]] block_positions[nblocks]
//   pos_end   := end of the block's positions, from the first block's
//   block_positions := codec(first[128]), or short_run(first[n]) in the last, shorter block;
//                      then either 1:varint codec(bytes[128]) (short_run(bytes[n]) in the
//                      last block) when the deltas take more than kPositionLengthsBytes,
//                      or (excess_count * 2):varint and, if excess_count is not 0,
//                      short_run(index gaps) short_run(excess - 1); then for each doc its
//                      deltas, wdf - excess - 1 of them or `bytes` bytes:
//                      (delta - 1):varint for its second position on
#include "common/format/postings_writer.h"

#include <algorithm>
#include <cassert>
#include <cstring>

#include "common/base/coding.h"
#include "common/codec/short_run.h"
#include "common/format/impacts.h"

namespace morgue {

TermInfo PostingsWriter::write_term(std::span<const uint32_t> docs, std::span<const uint32_t> wdfs,
                                    std::span<const uint32_t> pos_counts,
                                    std::span<const uint32_t> positions,
                                    std::span<const uint32_t> doclens, uint8_t flags,
                                    std::string& doc_out, std::string& pos_out) {
  size_t pos_index = 0;
  auto positions_of = [&](size_t posting) {
    std::span<const uint32_t> mine = positions.subspan(pos_index, pos_counts[posting]);
    pos_index += mine.size();
    return mine;
  };
  return write_term(docs, wdfs, positions_of, doclens, flags, doc_out, pos_out);
}

TermInfo PostingsWriter::write_term(std::span<const uint32_t> docs, std::span<const uint32_t> wdfs,
                                    const PositionsOf& positions_of,
                                    std::span<const uint32_t> doclens, uint8_t flags,
                                    std::string& doc_out, std::string& pos_out) {
  bool freqs = flags & kHasFreqs;
  bool with_positions = flags & kHasPositions;
  size_t df = docs.size();
  size_t nblocks = (df + kBlockSize - 1) / kBlockSize;
  TermInfo info;
  info.df = static_cast<uint32_t>(df);
  info.flags = flags;
  info.postings_offset = doc_out.size();
  info.positions_offset = pos_out.size();
  size_t pos_start = pos_out.size();
  // Block ends live with the positions, not in the skip table, so a word's postings are
  // byte for byte those of a stem with the same documents and wdfs, and can be shared
  // (SegmentWriter::add_term).
  if (with_positions && nblocks > 1) pos_out.resize(pos_out.size() + (nblocks - 1) * 4);
  size_t pos_blocks_start = pos_out.size();

  // Score bounds: the term's, then each block's, all before the blocks so that a query
  // can skip blocks without touching them.
  std::string block_impacts;
  std::vector<uint32_t> impacts_end(nblocks, 0);
  std::string group_table, group_impacts;
  if (freqs) {
    for (size_t i = 0; i < df; ++i) info.cf += wdfs[i];
    encode_impacts(compute_impacts(wdfs, doclens), doc_out);
    for (size_t b = 0; nblocks > 1 && b < nblocks; ++b) {
      size_t begin = b * kBlockSize, n = std::min(df - begin, kBlockSize);
      encode_impacts(compute_impacts(wdfs.subspan(begin, n), doclens.subspan(begin, n)),
                     block_impacts);
      impacts_end[b] = static_cast<uint32_t>(block_impacts.size());
    }
    // A group's bound lets a query pass over 8 blocks whose bound cannot win in one step;
    // the most frequent words have thousands of blocks.
    if (nblocks > kGroupBlocks) {
      size_t ngroups = (nblocks + kGroupBlocks - 1) / kGroupBlocks;
      constexpr size_t kGroupPostings = kGroupBlocks * kBlockSize;
      for (size_t g = 0; g < ngroups; ++g) {
        size_t begin = g * kGroupPostings, n = std::min(df - begin, kGroupPostings);
        encode_impacts(compute_impacts(wdfs.subspan(begin, n), doclens.subspan(begin, n)),
                       group_impacts);
        put_fixed32(group_table, static_cast<uint32_t>(group_impacts.size()));
      }
    }
  }
  size_t skip_at = doc_out.size();
  if (nblocks > 1) doc_out.resize(doc_out.size() + nblocks * kSkipEntryBytes);
  doc_out += block_impacts;
  doc_out += group_table;
  doc_out += group_impacts;
  size_t blocks_start = doc_out.size();

  uint32_t buffer[kBlockSize];
  std::string encoded;  // one block's position deltas, written after its excess list
  int64_t previous = -1;
  for (size_t b = 0; b < nblocks; ++b) {
    size_t begin = b * kBlockSize, end = std::min(df, begin + kBlockSize), n = end - begin;
    // A full block's values go through the block codec; the last, shorter one's are a
    // short run (docs/FORMAT.md#integer-codecs).
    auto encode_values = [&](const uint32_t* values, std::string& out) {
      if (n == kBlockSize) {
        codec_->encode(values, out);
      } else {
        encode_short_run(values, n, out);
      }
    };
    for (size_t i = 0; i < n; ++i) {
      buffer[i] = static_cast<uint32_t>(static_cast<int64_t>(docs[begin + i]) - previous - 1);
      previous = docs[begin + i];
    }
    encode_values(buffer, doc_out);
    if (freqs) {
      for (size_t i = 0; i < n; ++i) buffer[i] = wdfs[begin + i] - 1;
      encode_values(buffer, doc_out);
    }
    if (with_positions) {
      // Each document's first position is packed like the frequencies (most documents
      // hold a word once, so this is most of the positions); the rest stay varint deltas.
      // A reader finds a document's deltas in one of two ways. In a block of few bytes of
      // deltas, by its count: the wdf less one, except where the wdf counts more than the
      // positions (a headline word's wdf grows by 2 an occurrence), a few documents listed
      // with their excess; the reader walks the varints before the document. In a block of
      // many (a frequent word's, where a phrase reads one document of a thousand bytes),
      // by the documents' byte lengths, packed.
      uint32_t excess_gaps[kBlockSize], excess[kBlockSize], delta_bytes[kBlockSize];
      size_t excess_count = 0;
      int64_t previous_excess = -1;
      encoded.clear();
      for (size_t i = begin; i < end; ++i) {
        std::span<const uint32_t> doc_positions = positions_of(i);
        size_t before = encoded.size();
        buffer[i - begin] = doc_positions[0];
        for (size_t k = 1; k < doc_positions.size(); ++k)
          put_varint(encoded, doc_positions[k] - doc_positions[k - 1] - 1);
        delta_bytes[i - begin] = static_cast<uint32_t>(encoded.size() - before);
        assert(wdfs[i] >= doc_positions.size());
        if (wdfs[i] != doc_positions.size()) {
          auto index = static_cast<int64_t>(i - begin);
          excess_gaps[excess_count] = static_cast<uint32_t>(index - previous_excess - 1);
          excess[excess_count++] = static_cast<uint32_t>(wdfs[i] - doc_positions.size() - 1);
          previous_excess = index;
        }
      }
      encode_values(buffer, pos_out);
      if (encoded.size() > kPositionLengthsBytes) {
        put_varint(pos_out, 1);
        encode_values(delta_bytes, pos_out);
      } else {
        put_varint(pos_out, static_cast<uint32_t>(excess_count * 2));
        if (excess_count > 0) {
          encode_short_run(excess_gaps, excess_count, pos_out);
          encode_short_run(excess, excess_count, pos_out);
        }
      }
      pos_out += encoded;
    }
    if (nblocks > 1) {
      char* entry = doc_out.data() + skip_at + b * kSkipEntryBytes;
      uint32_t fields[3] = {docs[end - 1], static_cast<uint32_t>(doc_out.size() - blocks_start),
                            impacts_end[b]};
      std::memcpy(entry, fields, sizeof(fields));  // little-endian, as put_fixed32 writes
      if (with_positions && b + 1 < nblocks) {
        auto pos_end = static_cast<uint32_t>(pos_out.size() - pos_blocks_start);
        std::memcpy(pos_out.data() + pos_start + b * 4, &pos_end, 4);
      }
    }
  }
  info.postings_length = doc_out.size() - info.postings_offset;
  info.positions_length = pos_out.size() - pos_start;
  return info;
}

}  // namespace morgue
