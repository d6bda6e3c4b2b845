// Layout: docs/FORMAT.md#postings
//   postings := [impacts(term)]                              if kHasFreqs
//               [skip_widths:u8 skip[nblocks]]               if nblocks > 1
//               [impacts(block)[nblocks]]                    if nblocks > 1 and kHasFreqs
//               [group_end[ngroups]] [impacts(group)[ngroups]] if nblocks > 8 and kHasFreqs
//               block[nblocks]
//               [0:u8 x (3 - k)]                             if nblocks > 1 and only k < 3
//                                                            bytes follow the skip table
//   group    := 8 consecutive blocks (the last may have fewer); ngroups = ceil(nblocks / 8)
//   group_end := u32, end of the group's impacts from the first group's
//   skip_widths := (w_last - 1) | (w_end - 1) << 2 | w_impacts << 4
//   skip     := last_doc:u(w_last) doc_end:u(w_end) impacts_end:u(w_impacts), u(w) being
//               w bytes little-endian, each w the bytes its field's largest value needs
//   impacts  := common/format/impacts.h
//   block    := full (128 docs): codec(gaps) [codec(wdf - 1)]
//               last, shorter:   short_run(gaps) [short_run(wdf - 1)]
//   gap      := doc - previous doc - 1, the previous doc of the first being -1
//   positions := [pos_end_width:u8 pos_end:u(pos_end_width)[nblocks - 1]] block_positions[nblocks]
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

std::vector<Impact> PostingsWriter::frontier(std::span<const uint32_t> wdfs,
                                             std::span<const uint32_t> doclens, size_t begin,
                                             size_t n) const {
  if (!loose_bounds_) return impact_frontier(wdfs.subspan(begin, n), doclens.subspan(begin, n));
  std::span<const uint32_t> run = wdfs.subspan(begin, n);
  return {Impact{*std::max_element(run.begin(), run.end()), shortest_doclen_}};
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
  // A term of several blocks has tables before its blocks (skip entries; the positions'
  // block ends) whose widths depend on the blocks' sizes: its blocks are encoded aside
  // first. A term of one block, most of them, writes straight to the outputs.
  std::string aside_blocks, aside_positions;
  std::string& blocks = nblocks > 1 ? aside_blocks : doc_out;
  std::string& pos_blocks = nblocks > 1 ? aside_positions : pos_out;
  size_t pos_blocks_start = pos_blocks.size();
  std::vector<uint32_t> last_docs, doc_ends, pos_ends;  // per block, when nblocks > 1
  if (nblocks > 1) {
    last_docs.resize(nblocks);
    doc_ends.resize(nblocks);
    pos_ends.resize(nblocks);
  }

  // Score bounds: the term's, then each block's, all before the blocks so that a query
  // can skip blocks without touching them.
  std::string block_impacts;
  std::vector<uint32_t> impacts_end(nblocks, 0);
  std::string group_table, group_impacts;
  if (freqs) {
    for (size_t i = 0; i < df; ++i) info.cf += wdfs[i];
    if (nblocks == 1) {
      encode_impacts(coarsen_impacts(frontier(wdfs, doclens, 0, df)), doc_out);
    } else {
      // Each posting is read once, for its block's frontier; its group's and the term's
      // are merged from the blocks' whole frontiers, which gives the same pairs as reading
      // the postings again (computed over the postings three times, this was 2.4 CPU-s of
      // a million-article build).
      // A group's bound lets a query pass over 8 blocks whose bound cannot win in one
      // step; the most frequent words have thousands of blocks.
      const bool grouped = nblocks > kGroupBlocks;
      std::vector<Impact> block, group, term, merged;
      for (size_t b = 0; b < nblocks; ++b) {
        size_t begin = b * kBlockSize, n = std::min(df - begin, kBlockSize);
        block = frontier(wdfs, doclens, begin, n);
        encode_impacts(coarsen_impacts(block), block_impacts);
        impacts_end[b] = static_cast<uint32_t>(block_impacts.size());
        std::vector<Impact>& into = grouped ? group : term;
        merge_frontiers(into, block, merged);
        into.swap(merged);
        if (grouped && ((b + 1) % kGroupBlocks == 0 || b + 1 == nblocks)) {
          encode_impacts(coarsen_impacts(group), group_impacts);
          put_fixed32(group_table, static_cast<uint32_t>(group_impacts.size()));
          merge_frontiers(term, group, merged);
          term.swap(merged);
          group.clear();
        }
      }
      encode_impacts(coarsen_impacts(std::move(term)), doc_out);
    }
  }
  size_t blocks_start = blocks.size();

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
    encode_values(buffer, blocks);
    if (freqs) {
      for (size_t i = 0; i < n; ++i) buffer[i] = wdfs[begin + i] - 1;
      encode_values(buffer, blocks);
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
      encode_values(buffer, pos_blocks);
      if (encoded.size() > kPositionLengthsBytes) {
        put_varint(pos_blocks, 1);
        encode_values(delta_bytes, pos_blocks);
      } else {
        put_varint(pos_blocks, static_cast<uint32_t>(excess_count * 2));
        if (excess_count > 0) {
          encode_short_run(excess_gaps, excess_count, pos_blocks);
          encode_short_run(excess, excess_count, pos_blocks);
        }
      }
      pos_blocks += encoded;
    }
    if (nblocks > 1) {
      last_docs[b] = docs[end - 1];
      doc_ends[b] = static_cast<uint32_t>(blocks.size() - blocks_start);
      pos_ends[b] = static_cast<uint32_t>(pos_blocks.size() - pos_blocks_start);
    }
  }
  if (nblocks > 1) {
    // Each skip field as wide as its largest value needs (a document number under 2^24
    // takes 3 bytes, a term's block bytes often 2, a filter term's score bounds none),
    // the widths in one byte before the entries.
    uint32_t last_width = bytes_for(last_docs.back()), end_width = bytes_for(doc_ends.back());
    uint32_t impacts_width = block_impacts.empty() ? 0 : bytes_for(impacts_end.back());
    doc_out.push_back(static_cast<char>((last_width - 1) | (end_width - 1) << 2 |
                                        impacts_width << 4));
    for (size_t b = 0; b < nblocks; ++b) {
      put_uint(doc_out, last_docs[b], last_width);
      put_uint(doc_out, doc_ends[b], end_width);
      put_uint(doc_out, impacts_end[b], impacts_width);
    }
    doc_out += block_impacts;
    doc_out += group_table;
    doc_out += group_impacts;
    doc_out += aside_blocks;
    // A reader loads each skip field as 4 bytes: 3 must follow the table. Only a filter
    // term of two one-byte blocks has fewer; it is padded with zeros after its blocks.
    size_t after_table = block_impacts.size() + group_table.size() + group_impacts.size() +
                         aside_blocks.size();
    if (after_table < 3) doc_out.append(3 - after_table, '\0');
    // Block ends live with the positions, not in the skip table, so a word's postings are
    // byte for byte those of a stem with the same documents and wdfs, and can be shared
    // (SegmentWriter::add_term).
    if (with_positions) {
      uint32_t pos_width = bytes_for(pos_ends[nblocks - 2]);
      pos_out.push_back(static_cast<char>(pos_width));
      for (size_t b = 0; b + 1 < nblocks; ++b) put_uint(pos_out, pos_ends[b], pos_width);
      pos_out += aside_positions;
    }
  }
  info.postings_length = doc_out.size() - info.postings_offset;
  info.positions_length = pos_out.size() - pos_start;
  return info;
}

}  // namespace morgue
