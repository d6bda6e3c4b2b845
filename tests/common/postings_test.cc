// Postings round trips against brute force: iteration, seek, frequencies, positions, block
// statistics; and damaged bytes reported, never followed.
#include <catch2/catch.hpp>

#include <algorithm>
#include <random>
#include <set>

#include "common/codec/block_codec.h"
#include "common/format/postings_reader.h"
#include "common/format/postings_writer.h"

using namespace morgue;

namespace {

struct List {
  std::vector<uint32_t> docs, wdfs, doclens, pos_counts, positions;
  uint8_t flags = kHasFreqs | kHasPositions;
  uint32_t doc_count = 0;
};

List random_list(std::mt19937& rng, size_t df, uint32_t max_gap, uint8_t flags) {
  List l;
  l.flags = flags;
  uint64_t doc = rng() % (max_gap + 1);
  for (size_t i = 0; i < df; ++i) {
    l.docs.push_back(static_cast<uint32_t>(doc));
    doc += 1 + rng() % max_gap;
    uint32_t wdf = 1 + rng() % (i % 50 == 0 ? 300 : 4);
    l.wdfs.push_back(wdf);
    l.doclens.push_back(10 + rng() % 1000);
    // Now and then a document whose positions take more than 127 bytes: its length needs
    // more than 7 bits (a wide block of lengths, or a two-byte varint in a last block).
    uint32_t count = i % 37 == 5 ? 130 + rng() % 100 : 1 + rng() % 5;
    l.pos_counts.push_back(count);
    uint32_t p = rng() % 20;
    for (uint32_t k = 0; k < count; ++k) {
      l.positions.push_back(p);
      p += 1 + rng() % (k == 2 ? 100000 : 30);
    }
  }
  l.doc_count = l.docs.empty() ? 1 : l.docs.back() + 1 + rng() % 3;
  return l;
}

struct Written {
  std::string doc, pos;
  TermInfo info;
};

Written write(const List& l, const BlockCodec& codec, const std::string& prefix = "") {
  Written w;
  w.doc = prefix;
  w.pos = prefix;
  bool freqs = l.flags & kHasFreqs, positional = l.flags & kHasPositions;
  w.info = PostingsWriter(codec).write_term(
      l.docs, freqs ? std::span<const uint32_t>(l.wdfs) : std::span<const uint32_t>(),
      positional ? std::span<const uint32_t>(l.pos_counts) : std::span<const uint32_t>(),
      positional ? std::span<const uint32_t>(l.positions) : std::span<const uint32_t>(), l.doclens,
      l.flags, w.doc, w.pos);
  return w;
}

std::vector<uint32_t> positions_of(const List& l, size_t i) {
  size_t at = 0;
  for (size_t k = 0; k < i; ++k) at += l.pos_counts[k];
  return {l.positions.begin() + at, l.positions.begin() + at + l.pos_counts[i]};
}

}  // namespace

TEST_CASE("postings read back exactly as written, for every codec and size",
          "[postings][property]") {
  for (const BlockCodec* codec : all_codecs()) {
    for (size_t df : {1, 2, 127, 128, 129, 256, 1000, 20000}) {
      for (uint8_t flags : {uint8_t{0}, kHasFreqs, uint8_t{kHasFreqs | kHasPositions}}) {
        uint32_t seed = static_cast<uint32_t>(df * 7 + flags);
        CAPTURE(codec->name(), df, flags, seed);
        std::mt19937 rng(seed);
        List l = random_list(rng, df, df > 1000 ? 5 : 100000, flags);
        Written w = write(l, *codec, "prefix");
        CHECK(w.info.df == df);
        PostingsIterator it;
        REQUIRE(open_postings(w.doc, w.pos, w.info, *codec, l.doc_count, it).is_ok());
        uint64_t cf = 0;
        for (size_t i = 0; i < df; ++i, it.next()) {
          REQUIRE(it.doc() == l.docs[i]);
          if (flags & kHasFreqs) {
            REQUIRE(it.tf() == l.wdfs[i]);
            cf += l.wdfs[i];
          } else {
            REQUIRE(it.tf() == 0);
          }
          if ((flags & kHasPositions) && i % 3 == 0) {
            auto pos = it.positions();
            REQUIRE(std::vector<uint32_t>(pos.begin(), pos.end()) == positions_of(l, i));
          }
        }
        CHECK(it.doc() == kEndDoc);
        CHECK(it.status().is_ok());
        CHECK(w.info.cf == cf);
        if (flags & kHasFreqs) {
          CHECK(it.term_impacts().back().wdf == *std::max_element(l.wdfs.begin(), l.wdfs.end()));
          CHECK(it.term_impacts().front().doclen ==
                *std::min_element(l.doclens.begin(), l.doclens.end()));
        } else {
          CHECK(it.term_impacts().empty());
        }
      }
    }
  }
}

TEST_CASE("seek lands on the first document at or after the target", "[postings][property]") {
  const BlockCodec& codec = default_codec();
  std::mt19937 rng(5);
  // Strides within a block, of about a block, and of dozens of blocks (a gallop's doublings).
  const uint32_t kStrides[] = {40, 3000, 60000};
  for (int trial = 0; trial < 60; ++trial) {
    CAPTURE(trial);
    List l = random_list(rng, 1 + rng() % 5000, 1 + rng() % 50, kHasFreqs | kHasPositions);
    Written w = write(l, codec);
    PostingsIterator it;
    REQUIRE(open_postings(w.doc, w.pos, w.info, codec, l.doc_count, it).is_ok());
    uint32_t target = 0;
    while (true) {
      target += rng() % kStrides[trial % 3];
      it.seek(target);
      auto expect = std::lower_bound(l.docs.begin(), l.docs.end(), target);
      if (expect == l.docs.end()) {
        CHECK(it.doc() == kEndDoc);
        break;
      }
      REQUIRE(it.doc() == *expect);
      size_t i = static_cast<size_t>(expect - l.docs.begin());
      CHECK(it.tf() == l.wdfs[i]);
      auto pos = it.positions();
      CHECK(std::vector<uint32_t>(pos.begin(), pos.end()) == positions_of(l, i));
      if (rng() % 4 == 0) it.next();
      target = std::max(target, it.doc() == kEndDoc ? target : it.doc());
    }
    CHECK(it.status().is_ok());
  }
}

// Checks a frontier against the postings it describes, by brute force: sorted, within
// kMaxImpacts, every posting dominated by a pair (wdf >= and doclen <=); when the exact
// frontier fits, it is exactly the non-dominated postings, so any score that grows with wdf
// and falls with doclen has the same maximum over the pairs as over the postings.
// What block_last_doc() / group_last_doc() report for a run of postings ending before
// `end`: its last document, or kEndDoc - 1 for the term's last run.
DocNum expected_last_doc(const List& l, size_t end) {
  return end == l.docs.size() ? kEndDoc - 1 : l.docs[end - 1];
}

void check_frontier(std::span<const Impact> impacts, std::span<const uint32_t> wdfs,
                    std::span<const uint32_t> doclens) {
  REQUIRE(!impacts.empty());
  REQUIRE(impacts.size() <= kMaxImpacts);
  for (size_t k = 1; k < impacts.size(); ++k) {
    CHECK(impacts[k].wdf > impacts[k - 1].wdf);
    CHECK(impacts[k].doclen > impacts[k - 1].doclen);
  }
  std::vector<Impact> exact;
  for (size_t i = 0; i < wdfs.size(); ++i) {
    bool dominated_in_frontier = false, dominated_by_posting = false;
    for (const Impact& p : impacts)
      dominated_in_frontier |= p.wdf >= wdfs[i] && p.doclen <= doclens[i];
    REQUIRE(dominated_in_frontier);
    for (size_t j = 0; j < wdfs.size(); ++j) {
      bool better = wdfs[j] >= wdfs[i] && doclens[j] <= doclens[i] &&
                    (wdfs[j] > wdfs[i] || doclens[j] < doclens[i]);
      dominated_by_posting |= better;
    }
    Impact self{wdfs[i], doclens[i]};
    if (!dominated_by_posting && std::find(exact.begin(), exact.end(), self) == exact.end())
      exact.push_back(self);
  }
  std::sort(exact.begin(), exact.end(), [](const Impact& x, const Impact& y) { return x.wdf < y.wdf; });
  if (exact.size() <= kMaxImpacts) {
    CHECK(std::vector<Impact>(impacts.begin(), impacts.end()) == exact);
  } else {
    CHECK(impacts.size() == kMaxImpacts);
  }
  auto score = [](uint32_t wdf, uint32_t doclen) { return wdf / (wdf + 0.5 + doclen / 300.0); };
  double over_pairs = 0, over_postings = 0;
  for (const Impact& p : impacts) over_pairs = std::max(over_pairs, score(p.wdf, p.doclen));
  for (size_t i = 0; i < wdfs.size(); ++i) over_postings = std::max(over_postings, score(wdfs[i], doclens[i]));
  CHECK(over_pairs >= over_postings);
  if (exact.size() <= kMaxImpacts) CHECK(over_pairs == over_postings);
}

TEST_CASE("block score bounds are each block's (wdf, doclen) frontier", "[postings][property]") {
  const BlockCodec& codec = default_codec();
  std::mt19937 rng(9);
  for (int trial = 0; trial < 20; ++trial) {
    CAPTURE(trial);
    List l = random_list(rng, 1 + rng() % 3000, 10, kHasFreqs);
    // Half the trials use few distinct lengths, so frontiers are short and exact; the rest
    // need coarsening.
    if (trial % 2) for (uint32_t& len : l.doclens) len = 10 + len % 7;
    Written w = write(l, codec);
    PostingsIterator it;
    REQUIRE(open_postings(w.doc, w.pos, w.info, codec, l.doc_count, it).is_ok());
    check_frontier(it.term_impacts(), l.wdfs, l.doclens);
    for (size_t b = 0; b * kBlockSize < l.docs.size(); ++b) {
      size_t begin = b * kBlockSize, end = std::min(l.docs.size(), begin + kBlockSize);
      it.shallow_seek(l.docs[begin]);
      CAPTURE(b);
      check_frontier(it.block_impacts(), std::span(l.wdfs).subspan(begin, end - begin),
                     std::span(l.doclens).subspan(begin, end - begin));
      CHECK(it.block_last_doc() == expected_last_doc(l, end));
      // The block's group: kGroupBlocks blocks, or the whole term when it has no more.
      size_t nblocks = (l.docs.size() + kBlockSize - 1) / kBlockSize;
      CHECK(it.has_group_bounds() == (nblocks > kGroupBlocks));
      size_t group_begin = nblocks > kGroupBlocks ? b / kGroupBlocks * kGroupBlocks * kBlockSize : 0;
      size_t group_end = nblocks > kGroupBlocks
                             ? std::min(l.docs.size(), group_begin + kGroupBlocks * kBlockSize)
                             : l.docs.size();
      if (b % kGroupBlocks == 0 || end == l.docs.size()) {
        check_frontier(it.group_impacts(),
                       std::span(l.wdfs).subspan(group_begin, group_end - group_begin),
                       std::span(l.doclens).subspan(group_begin, group_end - group_begin));
      }
      CHECK(it.group_last_doc() == expected_last_doc(l, group_end));
    }
    CHECK(it.status().is_ok());
  }
}

TEST_CASE("shallow seeks land on the block and group holding the target", "[postings][property]") {
  const BlockCodec& codec = default_codec();
  std::mt19937 rng(10);
  for (int trial = 0; trial < 30; ++trial) {
    CAPTURE(trial);
    List l = random_list(rng, 1 + rng() % 6000, 1 + rng() % 40, kHasFreqs);
    Written w = write(l, codec);
    PostingsIterator it;
    REQUIRE(open_postings(w.doc, w.pos, w.info, codec, l.doc_count, it).is_ok());
    // Increasing targets, with jumps of up to several groups.
    for (DocNum target = 0; target <= l.docs.back();
         target += 1 + static_cast<DocNum>(rng() % (trial % 2 ? 30000 : 300))) {
      CAPTURE(target);
      it.shallow_seek(target);
      size_t at = std::lower_bound(l.docs.begin(), l.docs.end(), target) - l.docs.begin();
      size_t block_end = std::min(l.docs.size(), (at / kBlockSize + 1) * kBlockSize);
      size_t group_end = std::min(l.docs.size(),
                                  (at / (kBlockSize * kGroupBlocks) + 1) * kBlockSize * kGroupBlocks);
      if (!it.has_group_bounds()) group_end = l.docs.size();
      CHECK(it.block_last_doc() == expected_last_doc(l, block_end));
      CHECK(it.group_last_doc() == expected_last_doc(l, group_end));
    }
    CHECK(it.status().is_ok());
  }
}

TEST_CASE("impacts round-trip and reject malformed bytes", "[postings]") {
  std::vector<Impact> impacts = {{1, 40}, {3, 41}, {70000, 5000000}};
  std::string bytes;
  encode_impacts(impacts, bytes);
  ByteReader in(bytes);
  Impact out[kMaxImpacts];
  size_t count = 0;
  REQUIRE(decode_impacts(in, out, count));
  CHECK(std::vector<Impact>(out, out + count) == impacts);
  CHECK(in.at_end());
  for (std::string bad : {std::string("\x00"), std::string("\x09\x01\x01"), std::string("\x02\x01"),
                          std::string("\x01\x00\x05")}) {
    ByteReader r(bad);
    CHECK_FALSE(decode_impacts(r, out, count));  // none, too many, truncated, wdf 0
  }
}

TEST_CASE("damaged postings give a corruption status, never a crash", "[postings][property]") {
  const BlockCodec& codec = default_codec();
  std::mt19937 rng(11);
  // 6 blocks, and 20 (three groups of score bounds)
  List small = random_list(rng, 700, 20, kHasFreqs | kHasPositions);
  List large = random_list(rng, 2500, 20, kHasFreqs | kHasPositions);
  Written good_small = write(small, codec), good_large = write(large, codec);
  int errors = 0;
  for (int trial = 0; trial < 4000; ++trial) {
    const List& l = trial % 2 ? large : small;
    Written w = trial % 2 ? good_large : good_small;
    std::string& target = trial % 3 == 0 ? w.pos : w.doc;
    int flips = 1 + static_cast<int>(rng() % 3);
    for (int f = 0; f < flips && !target.empty(); ++f)
      target[rng() % target.size()] = static_cast<char>(rng());
    if (trial % 10 == 0) target.resize(rng() % (target.size() + 1));
    PostingsIterator it;
    Status s = open_postings(w.doc, w.pos, w.info, codec, l.doc_count, it);
    if (!s.is_ok()) {
      CHECK(s.code() == StatusCode::kCorruption);
      ++errors;
      continue;
    }
    size_t steps = 0;
    DocNum last = 0;
    for (; it.doc() != kEndDoc; it.next(), ++steps) {
      REQUIRE(steps <= l.docs.size());
      CHECK(it.doc() < l.doc_count);
      if (steps > 0) CHECK(it.doc() > last);
      last = it.doc();
      it.positions();
    }
    if (!it.status().is_ok()) ++errors;
    // The score bounds, read the way a pruning query walks them.
    PostingsIterator bounds;
    if (!open_postings(w.doc, w.pos, w.info, codec, l.doc_count, bounds).is_ok()) continue;
    for (DocNum at = 0; at < l.doc_count; at += 97) {
      bounds.shallow_seek(at);
      for (const Impact& p : bounds.block_impacts()) CHECK(p.wdf >= 1);
      for (const Impact& p : bounds.group_impacts()) CHECK(p.wdf >= 1);
      if (bounds.group_last_doc() < at) break;  // damaged skip entries: stop
    }
    if (!bounds.status().is_ok()) ++errors;
  }
  CHECK(errors > 0);
}

TEST_CASE("a term info pointing outside the streams is refused", "[postings]") {
  const BlockCodec& codec = default_codec();
  std::mt19937 rng(1);
  List l = random_list(rng, 10, 5, kHasFreqs);
  Written w = write(l, codec);
  PostingsIterator it;
  TermInfo bad = w.info;
  bad.postings_length += 1;
  CHECK(open_postings(w.doc, w.pos, bad, codec, l.doc_count, it).code() == StatusCode::kCorruption);
  bad = w.info;
  bad.df = 0;
  CHECK(open_postings(w.doc, w.pos, bad, codec, l.doc_count, it).code() == StatusCode::kCorruption);
  CHECK(open_postings(w.doc, w.pos, w.info, codec, l.docs.back(), it).code() ==
        StatusCode::kCorruption);  // a document past the segment's end
}

TEST_CASE("the postings worked example in docs/FORMAT.md is byte-exact", "[postings]") {
  std::vector<uint32_t> docs = {3, 4, 9}, wdfs = {1, 2, 1}, doclens = {40, 7, 5};
  std::string doc, pos;
  TermInfo info = PostingsWriter(default_codec())
                      .write_term(docs, wdfs, {}, {}, doclens, kHasFreqs, doc, pos);
  CHECK(doc == std::string("\x02\x01\x05\x00\x01\x03\x03\x01\x01\x02", 10));
  CHECK(info.postings_length == 10);
  CHECK(info.cf == 4);
}

TEST_CASE("the positions worked example in docs/FORMAT.md is byte-exact", "[postings]") {
  std::vector<uint32_t> docs = {0}, wdfs = {2}, doclens = {9}, counts = {2}, positions = {4, 300};
  std::string doc, pos;
  PostingsWriter(default_codec())
      .write_term(docs, wdfs, counts, positions, doclens, kHasFreqs | kHasPositions, doc, pos);
  CHECK(pos == std::string("\x04\x02\xa7\x02", 4));
}

TEST_CASE("a document's positions read alone, after documents never read",
          "[postings][property]") {
  // Documents of 1 to 400 positions, read every `stride`-th after a seek: each read finds
  // its document's positions past others of its block that were never decoded.
  std::mt19937 rng(23);
  for (const BlockCodec* codec : all_codecs()) {
    for (size_t stride : {1, 5, 64, 127, 300}) {
      CAPTURE(codec->name(), stride);
      List l;
      for (uint32_t i = 0; i < 600; ++i) {
        l.docs.push_back(2 * i);
        uint32_t count = 1 + rng() % (i % 7 == 0 ? 400 : 3);
        l.wdfs.push_back(count);
        l.doclens.push_back(1000);
        l.pos_counts.push_back(count);
        for (uint32_t k = 0, p = rng() % 1000; k < count; ++k, p += 1 + rng() % 9)
          l.positions.push_back(p);
      }
      l.doc_count = 1200;
      Written w = write(l, *codec);
      PostingsIterator it;
      REQUIRE(open_postings(w.doc, w.pos, w.info, *codec, l.doc_count, it).is_ok());
      for (size_t i = stride - 1; i < l.docs.size(); i += stride) {
        it.seek(l.docs[i]);
        auto pos = it.positions();
        REQUIRE(std::vector<uint32_t>(pos.begin(), pos.end()) == positions_of(l, i));
      }
      CHECK(it.status().is_ok());
    }
  }
}

TEST_CASE("position lengths that do not fill their block exactly are refused", "[postings]") {
  // Three documents: one short block. Positions {5}, {1, 3} and {7}: first positions 5, 1,
  // 7 packed at 3 bits (03 cd 01), the byte lengths of the other positions' deltas 0, 1, 0
  // at 1 bit (01 02), then the one delta, 3 - 1 - 1: `03 cd 01 01 02 01`.
  std::vector<uint32_t> docs = {0, 1, 2}, wdfs = {1, 2, 1}, doclens = {9, 9, 9},
                        counts = {1, 2, 1}, positions = {5, 1, 3, 7};
  std::string doc, pos;
  TermInfo info =
      PostingsWriter(default_codec())
          .write_term(docs, wdfs, counts, positions, doclens, kHasFreqs | kHasPositions, doc, pos);
  REQUIRE(pos == std::string("\x03\xcd\x01\x01\x02\x01", 6));
  for (char lengths : {'\x03', '\x06', '\x07'}) {  // claim more bytes than there are
    CAPTURE(static_cast<int>(lengths));
    std::string damaged = pos;
    damaged[4] = lengths;
    PostingsIterator it;
    REQUIRE(open_postings(doc, damaged, info, default_codec(), 3, it).is_ok());
    it.next();  // the second document: its offset depends on the first's length
    CHECK(it.positions().empty());
    CHECK(it.status().code() == StatusCode::kCorruption);
    CHECK(it.doc() == kEndDoc);
  }
  SECTION("a document whose varint runs past its length") {
    // The lengths add up, but the second document's one byte, 81, says a byte follows.
    std::string damaged = pos;
    damaged[5] = '\x81';
    PostingsIterator it;
    REQUIRE(open_postings(doc, damaged, info, default_codec(), 3, it).is_ok());
    CHECK(std::vector<uint32_t>(it.positions().begin(), it.positions().end()) ==
          std::vector<uint32_t>{5});
    it.next();
    CHECK(it.positions().empty());
    CHECK(it.status().code() == StatusCode::kCorruption);
  }
  SECTION("first positions cut short") {
    TermInfo cut = info;
    cut.positions_length = 2;  // the first positions' width and one of their two bytes
    std::string cut_pos = pos.substr(0, 2);  // the iterator reads it in place
    PostingsIterator it;
    REQUIRE(open_postings(doc, cut_pos, cut, default_codec(), 3, it).is_ok());
    CHECK(it.positions().empty());
    CHECK(it.status().code() == StatusCode::kCorruption);
    CHECK(it.status().message().find("first positions") != std::string::npos);
  }
}

TEST_CASE("a list's postings bytes do not depend on whether it has positions", "[postings]") {
  // What lets a word share its stem's postings (docs/FORMAT.md#shared-postings).
  std::mt19937 rng(11);
  for (size_t df : {1, 127, 128, 129, 1000, 5000}) {
    CAPTURE(df);
    List with = random_list(rng, df, 20, kHasFreqs | kHasPositions);
    List without = with;
    without.flags = kHasFreqs;
    Written a = write(with, default_codec()), b = write(without, default_codec());
    CHECK(a.doc == b.doc);
    CHECK(b.pos.empty());
    CHECK(a.pos.size() > df);
  }
}
