// Postings round trips against brute force: iteration, seek, frequencies, positions, block
// statistics; and damaged bytes reported, never followed.
#include <catch2/catch.hpp>

#include <algorithm>
#include <random>
#include <set>

#include "common/codec/block_codec.h"
#include "common/format/impacts.h"
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
    l.doclens.push_back(10 + rng() % 1000);
    // Now and then a document with more than 127 positions, and one whose wdf exceeds its
    // positions (a headline word's), by a little or by a lot: the positions' excess list.
    uint32_t count = i % 37 == 5 ? 130 + rng() % 100 : 1 + rng() % 5;
    uint32_t excess = rng() % 6 == 0 ? 1 + rng() % (i % 50 == 0 ? 300 : 2) : 0;
    l.wdfs.push_back(count + excess);
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

// The iterator stands on one of l's documents, with its wdf and positions, or is exhausted.
void check_stands_on_posting(PostingsIterator& it, const List& l) {
  if (it.doc() == kEndDoc) return;
  auto at = std::lower_bound(l.docs.begin(), l.docs.end(), it.doc());
  REQUIRE(at != l.docs.end());
  REQUIRE(*at == it.doc());
  size_t i = static_cast<size_t>(at - l.docs.begin());
  REQUIRE(it.tf() == l.wdfs[i]);
  auto pos = it.positions();
  REQUIRE(std::vector<uint32_t>(pos.begin(), pos.end()) == positions_of(l, i));
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
      check_stands_on_posting(it, l);
      if (rng() % 4 == 0) it.next();
      target = std::max(target, it.doc() == kEndDoc ? target : it.doc());
    }
    CHECK(it.status().is_ok());
  }
}

TEST_CASE("seek_common stops on the first common document, past its limit, or at an end",
          "[postings][property]") {
  const BlockCodec& codec = default_codec();
  std::mt19937 rng(17);
  for (int trial = 0; trial < 90; ++trial) {
    CAPTURE(trial);
    // A rare list against one as dense, 7 times as dense (an AND's usual rarest two), and
    // 60 times: the dense one's block changes under the rare one's every step.
    const uint32_t kRareGaps[] = {8, 60, 600};
    uint32_t rare_gap = kRareGaps[trial % 3];
    uint32_t dense_gap = trial % 9 < 3 ? rare_gap : std::max<uint32_t>(1, rare_gap / 7 / 2);
    List la = random_list(rng, 1 + rng() % 3000, rare_gap, kHasFreqs | kHasPositions);
    List lb = random_list(rng, 1 + rng() % 20000, dense_gap, kHasFreqs | kHasPositions);
    uint32_t doc_count = std::max(la.doc_count, lb.doc_count);
    Written wa = write(la, codec), wb = write(lb, codec);
    PostingsIterator a, b;
    REQUIRE(open_postings(wa.doc, wa.pos, wa.info, codec, doc_count, a).is_ok());
    REQUIRE(open_postings(wb.doc, wb.pos, wb.info, codec, doc_count, b).is_ok());
    std::vector<uint32_t> common;
    std::set_intersection(la.docs.begin(), la.docs.end(), lb.docs.begin(), lb.docs.end(),
                          std::back_inserter(common));
    size_t calls = 0, agreed = 0;
    while (a.doc() != kEndDoc && b.doc() != kEndDoc) {
      DocNum a0 = a.doc(), b0 = b.doc();
      DocNum last = rng() % 3 == 0 ? kEndDoc - 1 : std::max(a0, b0) + rng() % (rare_gap * 20);
      DocNum got = a.seek_common(b, last);
      ++calls;
      CAPTURE(a0, b0, last, got, b.doc());
      REQUIRE(got == a.doc());
      REQUIRE(a.doc() >= a0);
      REQUIRE(b.doc() >= b0);
      auto next_common = std::lower_bound(common.begin(), common.end(), std::max(a0, b0));
      DocNum expected = next_common == common.end() ? kEndDoc : *next_common;
      if (expected <= last) {
        REQUIRE(a.doc() == expected);
        REQUIRE(b.doc() == expected);
        ++agreed;
      } else {
        // Neither passed the common document, and the search stopped for a reason.
        REQUIRE(a.doc() <= expected);
        REQUIRE(b.doc() <= expected);
        REQUIRE((a.doc() > last || a.doc() == kEndDoc || b.doc() == kEndDoc || a.doc() == b.doc()));
      }
      check_stands_on_posting(a, la);
      check_stands_on_posting(b, lb);
      // Move on as an AND would: past an agreement, or by a seek of either.
      switch (rng() % 4) {
        case 0:
          a.next();
          break;
        case 1:
          b.next();
          break;
        case 2:
          a.seek(a.doc() + rng() % (rare_gap * 4));
          break;
        default:
          b.seek(b.doc() + rng() % (rare_gap * 4));
          break;
      }
    }
    CHECK(a.status().is_ok());
    CHECK(b.status().is_ok());
    CHECK(calls > 0);
    if (!common.empty()) CHECK(agreed > 0);
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

TEST_CASE("loose score bounds: one pair a run, its largest wdf with the shortest length",
          "[postings][property]") {
  // A build's flushed segments, which only its final merge reads, carry these; everything
  // but the bounds reads back as with the exact ones.
  const BlockCodec& codec = default_codec();
  std::mt19937 rng(20261207);
  for (int trial = 0; trial < 20; ++trial) {
    CAPTURE(trial);
    List l = random_list(rng, 1 + rng() % 3000, 10, kHasFreqs | kHasPositions);
    const uint32_t shortest = 3;  // below every doclen random_list draws
    Written exact = write(l, codec);
    Written loose;
    PostingsWriter writer(codec);
    writer.use_loose_bounds(shortest);
    loose.info = writer.write_term(l.docs, l.wdfs, l.pos_counts, l.positions, {}, l.flags,
                                   loose.doc, loose.pos);
    CHECK(loose.pos == exact.pos);
    CHECK(loose.info.df == exact.info.df);
    CHECK(loose.info.cf == exact.info.cf);
    auto one_pair = [&](std::span<const Impact> bounds, size_t begin, size_t end) {
      std::span<const uint32_t> run = std::span(l.wdfs).subspan(begin, end - begin);
      REQUIRE(bounds.size() == 1);
      CHECK(bounds[0].wdf == *std::max_element(run.begin(), run.end()));
      CHECK(bounds[0].doclen == shortest);
    };
    PostingsIterator it, reference;
    REQUIRE(open_postings(loose.doc, loose.pos, loose.info, codec, l.doc_count, it).is_ok());
    REQUIRE(open_postings(exact.doc, exact.pos, exact.info, codec, l.doc_count, reference).is_ok());
    one_pair(it.term_impacts(), 0, l.docs.size());
    const size_t nblocks = (l.docs.size() + kBlockSize - 1) / kBlockSize;
    for (size_t b = 0; b < nblocks; ++b) {
      CAPTURE(b);
      size_t begin = b * kBlockSize, end = std::min(l.docs.size(), begin + kBlockSize);
      it.shallow_seek(l.docs[begin]);
      one_pair(it.block_impacts(), begin, end);
      if (nblocks > kGroupBlocks && b % kGroupBlocks == 0) {
        one_pair(it.group_impacts(), begin,
                 std::min(l.docs.size(), begin + kGroupBlocks * kBlockSize));
      }
    }
    // Documents, wdfs and positions as the exact bounds' bytes give them.
    REQUIRE(open_postings(loose.doc, loose.pos, loose.info, codec, l.doc_count, it).is_ok());
    for (; reference.doc() != kEndDoc; reference.next(), it.next()) {
      REQUIRE(it.doc() == reference.doc());
      CHECK(it.tf() == reference.tf());
      auto want = reference.positions();
      CHECK(std::vector<uint32_t>(it.positions().begin(), it.positions().end()) ==
            std::vector<uint32_t>(want.begin(), want.end()));
    }
    CHECK(it.doc() == kEndDoc);
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

TEST_CASE("an iterator reopened on another term reads as a fresh one", "[postings][property]") {
  // A merge reopens one iterator for every term and input, keeping its arrays: whatever
  // the last term left in them (decoded blocks, frequencies, positions, score bounds) must
  // not show through.
  std::mt19937 rng(11);
  std::vector<List> lists;
  std::vector<Written> written;
  for (int i = 0; i < 24; ++i) {
    size_t df = i % 4 == 0 ? 1 + rng() % 20 : 1 + rng() % 9000;
    const uint8_t kFlags[] = {0, kHasFreqs, kHasFreqs | kHasPositions};
    uint8_t flags = kFlags[i % 3];
    lists.push_back(random_list(rng, df, 1 + rng() % 50, flags));
    written.push_back(write(lists.back(), default_codec()));
  }
  auto as_vector = [](auto span) { return std::vector(span.begin(), span.end()); };
  PostingsIterator reused;
  for (int round = 0; round < 300; ++round) {
    size_t k = rng() % lists.size();
    const List& l = lists[k];
    const Written& w = written[k];
    CAPTURE(round, k, l.docs.size(), l.flags);
    PostingsIterator fresh;
    REQUIRE(open_postings(w.doc, w.pos, w.info, default_codec(), l.doc_count, fresh).is_ok());
    REQUIRE(open_postings(w.doc, w.pos, w.info, default_codec(), l.doc_count, reused).is_ok());
    REQUIRE(as_vector(reused.term_impacts()) == as_vector(fresh.term_impacts()));
    // The same random walk on both, through every part of the iterator's state.
    for (int step = 0; step < 60 && fresh.doc() != kEndDoc; ++step) {
      CAPTURE(step);
      switch (rng() % 5) {
        case 0:
          fresh.next();
          reused.next();
          break;
        case 1: {
          DocNum target = fresh.doc() + static_cast<DocNum>(rng() % 2000);
          fresh.seek(target);
          reused.seek(target);
          break;
        }
        case 2:
          REQUIRE(reused.tf() == fresh.tf());
          break;
        case 3:
          REQUIRE(as_vector(reused.positions()) == as_vector(fresh.positions()));
          break;
        default: {
          DocNum target = fresh.doc() + static_cast<DocNum>(rng() % 5000);
          fresh.shallow_seek(target);
          reused.shallow_seek(target);
          REQUIRE(reused.block_last_doc() == fresh.block_last_doc());
          REQUIRE(as_vector(reused.block_impacts()) == as_vector(fresh.block_impacts()));
          REQUIRE(reused.has_group_bounds() == fresh.has_group_bounds());
          if (fresh.has_group_bounds()) {
            REQUIRE(reused.group_last_doc() == fresh.group_last_doc());
            REQUIRE(as_vector(reused.group_impacts()) == as_vector(fresh.group_impacts()));
          }
        }
      }
      REQUIRE(reused.doc() == fresh.doc());
    }
    REQUIRE(reused.status().is_ok());
    REQUIRE(fresh.status().is_ok());
  }
}

TEST_CASE("frontiers merged from parts are the frontier of the whole", "[postings][property]") {
  std::mt19937 rng(12);
  for (int trial = 0; trial < 2000; ++trial) {
    CAPTURE(trial);
    size_t n = 1 + rng() % 1200;
    std::vector<uint32_t> wdfs(n), doclens(n);
    // Few distinct values make ties (equal wdfs, equal lengths, equal pairs) common;
    // some wdfs pass the small table (64) into the sorted rest.
    uint32_t wdf_range = trial % 3 == 0 ? 4 : trial % 3 == 1 ? 80 : 400;
    uint32_t length_range = trial % 2 ? 6 : 3000;
    for (size_t i = 0; i < n; ++i) {
      wdfs[i] = 1 + rng() % wdf_range;
      doclens[i] = 1 + rng() % length_range;
    }
    // Cut into parts of random sizes, as blocks and groups cut a term; merged from either
    // end, in a balanced way or one part at a time.
    std::vector<size_t> cuts = {0, n};
    for (size_t k = rng() % 12; k > 0; --k) cuts.push_back(rng() % (n + 1));
    std::sort(cuts.begin(), cuts.end());
    std::vector<Impact> merged, scratch;
    for (size_t c = 0; c + 1 < cuts.size(); ++c) {
      size_t begin = cuts[c], size = cuts[c + 1] - begin;
      std::vector<Impact> part = impact_frontier(std::span(wdfs).subspan(begin, size),
                                                 std::span(doclens).subspan(begin, size));
      if (rng() % 2) {
        merge_frontiers(merged, part, scratch);
      } else {
        merge_frontiers(part, merged, scratch);
      }
      merged.swap(scratch);
    }
    const std::vector<Impact> whole = impact_frontier(wdfs, doclens);
    REQUIRE(merged == whole);
    REQUIRE(coarsen_impacts(merged) == compute_impacts(wdfs, doclens));
    // The whole frontier: strictly increasing both ways, every posting matched or beaten.
    for (size_t k = 1; k < whole.size(); ++k) {
      REQUIRE(whole[k].wdf > whole[k - 1].wdf);
      REQUIRE(whole[k].doclen > whole[k - 1].doclen);
    }
    for (size_t i = 0; i < n; i += 1 + n / 50) {
      REQUIRE(std::any_of(whole.begin(), whole.end(), [&](const Impact& p) {
        return p.wdf >= wdfs[i] && p.doclen <= doclens[i];
      }));
    }
  }
  // An empty side gives the other.
  std::vector<Impact> out, some = {{1, 5}, {4, 9}};
  merge_frontiers({}, some, out);
  CHECK(out == some);
  merge_frontiers(some, {}, out);
  CHECK(out == some);
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
    // Measuring the parts walks every block too.
    PostingsLayout layout;
    Status measured = measure_term_layout(w.doc, w.pos, w.info, codec, l.doc_count, layout);
    if (!measured.is_ok()) CHECK(measured.code() == StatusCode::kCorruption);
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
  // A headline word: its occurrence at 4 counts 2 in the wdf, so the wdf (3) exceeds the
  // positions (2) by 1, and the block lists that.
  std::vector<uint32_t> docs = {0}, wdfs = {3}, doclens = {9}, counts = {2}, positions = {4, 300};
  std::string doc, pos;
  PostingsWriter(default_codec())
      .write_term(docs, wdfs, counts, positions, doclens, kHasFreqs | kHasPositions, doc, pos);
  CHECK(pos == std::string("\x04\x02\x00\x00\xa7\x02", 6));
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
        l.wdfs.push_back(count + (i % 5 == 0 ? 2 : 0));
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

TEST_CASE("positions whose counts or deltas do not fit their block are refused",
          "[postings]") {
  // Three documents: one short block. Positions {5}, {1, 3} and {7}, wdfs 1, 2 and 1: first
  // positions 5, 1, 7 packed at 3 bits (03 cd 01), no excess (00), then the one delta,
  // 3 - 1 - 1: `03 cd 01 00 01`.
  std::vector<uint32_t> docs = {0, 1, 2}, wdfs = {1, 2, 1}, doclens = {9, 9, 9},
                        counts = {1, 2, 1}, positions = {5, 1, 3, 7};
  std::string doc, pos;
  TermInfo info =
      PostingsWriter(default_codec())
          .write_term(docs, wdfs, counts, positions, doclens, kHasFreqs | kHasPositions, doc, pos);
  REQUIRE(pos == std::string("\x03\xcd\x01\x00\x01", 5));
  // Each damaged copy is read in place, so it must outlive its iterator.
  auto expect_refused = [&](const std::string& damaged, size_t reads, std::string_view why) {
    TermInfo changed = info;
    changed.positions_length = damaged.size();
    PostingsIterator it;
    REQUIRE(open_postings(doc, damaged, changed, default_codec(), 3, it).is_ok());
    for (size_t i = 0; i < reads; ++i) it.next();
    CHECK(it.positions().empty());
    CHECK(it.status().code() == StatusCode::kCorruption);
    CHECK(it.status().message().find(why) != std::string::npos);
    CHECK(it.doc() == kEndDoc);
  };
  SECTION("an excess count over the block's documents") {
    expect_refused(std::string("\x03\xcd\x01\x08\x01", 5), 0, "header does not decode");
  }
  SECTION("a header neither 1 nor even") {
    expect_refused(std::string("\x03\xcd\x01\x03\x01", 5), 0, "header does not decode");
  }
  SECTION("an excess list cut short") {
    expect_refused(std::string("\x03\xcd\x01\x02\x01", 5), 0, "excess list does not decode");
  }
  SECTION("an excess that leaves a document no first position") {
    // Document 0 (gap 0) has wdf 1: an excess of 1 would leave it 0 positions.
    expect_refused(std::string("\x03\xcd\x01\x02\x00\x00\x01", 7), 0,
                   "exceeds the frequencies");
  }
  SECTION("an excess on a document past the block") {
    expect_refused(std::string("\x03\xcd\x01\x02\x03\x00\x01", 7), 0,
                   "exceeds the frequencies");
  }
  SECTION("more deltas counted than there are bytes") {
    // Without the delta byte, document 1's count of 2 has nothing to read.
    expect_refused(std::string("\x03\xcd\x01\x00", 4), 1, "positions do not decode");
  }
  SECTION("a delta whose varint runs past the block") {
    expect_refused(std::string("\x03\xcd\x01\x00\x81", 5), 1, "positions do not decode");
  }
  SECTION("deltas left over after the last document") {
    // The first two documents read well; the last finds a byte no document counts.
    std::string damaged = pos + '\x05';
    TermInfo changed = info;
    changed.positions_length = damaged.size();
    PostingsIterator it;
    REQUIRE(open_postings(doc, damaged, changed, default_codec(), 3, it).is_ok());
    CHECK(std::vector<uint32_t>(it.positions().begin(), it.positions().end()) ==
          std::vector<uint32_t>{5});
    it.next();
    CHECK(std::vector<uint32_t>(it.positions().begin(), it.positions().end()) ==
          std::vector<uint32_t>({1, 3}));
    it.next();
    CHECK(it.positions().empty());
    CHECK(it.status().message().find("do not fill their block") != std::string::npos);
  }
  SECTION("first positions cut short") {
    // The first positions' width and one of their two bytes.
    expect_refused(pos.substr(0, 2), 0, "first positions");
  }
}

TEST_CASE("a block of many bytes of deltas gives their lengths", "[postings]") {
  // 80 documents (one short block), each with positions {k, k + 200}: one delta of 2 bytes
  // each, 160 bytes, more than kPositionLengthsBytes.
  std::vector<uint32_t> docs, wdfs, doclens, counts, positions;
  for (uint32_t k = 0; k < 80; ++k) {
    docs.push_back(k);
    wdfs.push_back(k % 3 == 0 ? 3 : 2);  // some with an excess, which lengths need not list
    doclens.push_back(300);
    counts.push_back(2);
    positions.push_back(k);
    positions.push_back(k + 200);
  }
  std::string doc, pos;
  TermInfo info =
      PostingsWriter(default_codec())
          .write_term(docs, wdfs, counts, positions, doclens, kHasFreqs | kHasPositions, doc, pos);
  // firsts 0..79 at 7 bits (1 + 70 bytes), header 01, the lengths, 80 twos at 2 bits
  // (02 then aa × 20), then the deltas 199 (c7 01) 80 times.
  REQUIRE(pos.size() == 71 + 1 + 21 + 160);
  CHECK(pos.substr(71, 3) == std::string("\x01\x02\xaa", 3));
  for (size_t stride : {1, 3, 64, 79}) {
    CAPTURE(stride);
    PostingsIterator it;
    REQUIRE(open_postings(doc, pos, info, default_codec(), 80, it).is_ok());
    for (uint32_t k = static_cast<uint32_t>(stride) - 1; k < 80; k += static_cast<uint32_t>(stride)) {
      it.seek(k);
      CHECK(std::vector<uint32_t>(it.positions().begin(), it.positions().end()) ==
            std::vector<uint32_t>({k, k + 200}));
    }
    CHECK(it.status().is_ok());
  }
  auto expect_refused = [&](const std::string& damaged, std::string_view why) {
    PostingsIterator it;
    REQUIRE(open_postings(doc, damaged, info, default_codec(), 80, it).is_ok());
    CHECK(it.positions().empty());
    CHECK(it.status().message().find(why) != std::string::npos);
  };
  SECTION("lengths that add up to more than the deltas") {
    std::string damaged = pos;
    damaged[73] = '\xab';  // lengths 3, 2, 2, 2, ...: 161 bytes of 160
    expect_refused(damaged, "lengths do not match");
  }
  SECTION("a varint that runs past its document's length") {
    std::string damaged = pos;
    damaged[73] = '\xad';  // lengths 1, 3, ...: document 0's one byte, c7, says more follow
    expect_refused(damaged, "positions do not decode");
  }
}

TEST_CASE("skip fields and block ends take the widths their values need", "[postings]") {
  // 300 documents 0, 2, 4, ... (3 blocks; the last document 598 needs 2 bytes), wdf 1, one
  // position each: the widths byte and the positions' width byte, then damaged copies.
  List l;
  for (uint32_t i = 0; i < 300; ++i) {
    l.docs.push_back(2 * i);
    l.wdfs.push_back(1);
    l.doclens.push_back(10);
    l.pos_counts.push_back(1);
    l.positions.push_back(i % 7);
  }
  l.doc_count = 600;
  Written w = write(l, default_codec());
  // The term's bounds (the frontier of one pair (1, 10): 01 01 0a), then the widths byte:
  // last_doc 2 bytes, doc_end 1 byte (each block's gaps and wdfs take a few bytes), score
  // bounds' ends 1 byte: 1 | 0 << 2 | 1 << 4 = 0x11; then entries of 4 bytes.
  REQUIRE(w.doc.size() > 4 + 3 * 4);
  CHECK(w.doc.substr(0, 4) == std::string("\x01\x01\x0a\x11", 4));
  CHECK(static_cast<uint8_t>(w.doc[4]) == 254);  // last_doc of block 0: 2 * 127, low byte
  CHECK(w.pos[0] == '\x01');  // the block ends are under 256 bytes
  PostingsIterator it;
  REQUIRE(open_postings(w.doc, w.pos, w.info, default_codec(), l.doc_count, it).is_ok());
  for (uint32_t i = 0; i < 300; ++i, it.next()) {
    REQUIRE(it.doc() == 2 * i);
    REQUIRE(it.positions().size() == 1);
  }
  CHECK(it.status().is_ok());
  auto refused = [&](const std::string& doc, const std::string& pos) {
    PostingsIterator bad;
    Status status = open_postings(doc, pos, w.info, default_codec(), l.doc_count, bad);
    return status.code() == StatusCode::kCorruption;
  };
  for (char widths : {'\x01', '\x51', '\x91'}) {  // no bounds' width with frequencies; 5; top bit
    CAPTURE(static_cast<int>(widths));
    std::string doc = w.doc;
    doc[3] = widths;
    CHECK(refused(doc, w.pos));
  }
  for (char width : {'\x00', '\x05'}) {
    std::string pos = w.pos;
    pos[0] = width;
    CHECK(refused(w.doc, pos));
  }
}

TEST_CASE("a filter term of two one-byte blocks is padded for its skip table", "[postings]") {
  // Documents 0..128: the full block's gaps are all 0 (bitpack128 width 0: one byte), the
  // last block's one gap a one-byte varint. A reader loads each skip field as 4 bytes, so 3
  // must follow the table: the writer adds one zero after the blocks.
  List l;
  l.flags = 0;
  for (uint32_t i = 0; i < 129; ++i) {
    l.docs.push_back(i);
    l.doclens.push_back(10);
  }
  l.doc_count = 129;
  Written w = write(l, default_codec());
  // widths (last_doc 1 byte, doc_end 1, no bounds): 00; entries 7f 01, 80 02; blocks 00 00;
  // the padding 00.
  CHECK(w.doc == std::string("\x00\x7f\x01\x80\x02\x00\x00\x00", 8));
  PostingsIterator it;
  REQUIRE(open_postings(w.doc, w.pos, w.info, default_codec(), l.doc_count, it).is_ok());
  for (uint32_t i = 0; i < 129; ++i, it.next()) REQUIRE(it.doc() == i);
  CHECK(it.doc() == kEndDoc);
  CHECK(it.status().is_ok());
  TermInfo cut = w.info;
  cut.postings_length = 7;  // without the padding
  Status status = open_postings(w.doc.substr(0, 7), w.pos, cut, default_codec(), 129, it);
  CHECK(status.message().find("not followed by 3 bytes") != std::string::npos);
}

TEST_CASE("positions without frequencies are refused", "[postings]") {
  // Format 7 counts a document's positions by its wdf.
  std::vector<uint32_t> docs = {0}, wdfs = {1}, doclens = {9}, counts = {1}, positions = {4};
  std::string doc, pos;
  TermInfo info =
      PostingsWriter(default_codec())
          .write_term(docs, wdfs, counts, positions, doclens, kHasFreqs | kHasPositions, doc, pos);
  info.flags = kHasPositions;
  PostingsIterator it;
  Status status = open_postings(doc, pos, info, default_codec(), 1, it);
  CHECK(status.code() == StatusCode::kCorruption);
  CHECK(status.message().find("positions without frequencies") != std::string::npos);
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

namespace {

// Brute-force sizes of coded values, from the grammar in docs/FORMAT.md: a bitpack128
// block of 128, or a short run of fewer.
uint32_t bit_width(uint32_t v) { return v == 0 ? 0 : 32 - static_cast<uint32_t>(__builtin_clz(v)); }
size_t varint_bytes(uint64_t v) {
  size_t n = 1;
  for (; v >= 128; v >>= 7) ++n;
  return n;
}
size_t coded_bytes(const std::vector<uint32_t>& values) {
  uint32_t bits = 0;
  for (uint32_t v : values) bits = std::max(bits, bit_width(v));
  if (values.size() == kBlockSize) return 1 + 16 * bits;
  if (values.size() == 1) return varint_bytes(values[0]);
  return 1 + (values.size() * bits + 7) / 8;
}

}  // namespace

TEST_CASE("the layout of a term's bytes: each part as the grammar sizes it, the rest the "
          "tables and bounds",
          "[postings][property]") {
  const BlockCodec& codec = *codec_by_id(static_cast<uint8_t>(CodecId::kBitPack128));
  for (size_t df : {1, 2, 127, 128, 129, 1000, 1100, 3000}) {
    for (uint8_t flags : {uint8_t{0}, kHasFreqs, uint8_t{kHasFreqs | kHasPositions}}) {
      uint32_t seed = static_cast<uint32_t>(df * 3 + flags);
      CAPTURE(df, flags, seed);
      std::mt19937 rng(seed);
      List l = random_list(rng, df, 40, flags);
      Written w = write(l, codec);
      PostingsLayout layout;
      REQUIRE(measure_term_layout(w.doc, w.pos, w.info, codec, l.doc_count, layout).is_ok());

      // The expected sizes, block by block, from the list itself.
      const bool freqs = flags & kHasFreqs, positional = flags & kHasPositions;
      PostingsLayout expected;
      size_t position_at = 0;
      bool any_excess_listed = false;
      for (size_t begin = 0; begin < df; begin += kBlockSize) {
        size_t end = std::min(df, begin + kBlockSize);
        bool full = end - begin == kBlockSize;
        std::vector<uint32_t> gaps, stored_wdfs, firsts;
        size_t delta_bytes = 0;
        bool excess_in_block = false;
        for (size_t i = begin; i < end; ++i) {
          gaps.push_back(l.docs[i] - (i == 0 ? 0 : l.docs[i - 1] + 1));
          stored_wdfs.push_back(l.wdfs[i] - 1);
          if (!positional) continue;
          firsts.push_back(l.positions[position_at]);
          for (uint32_t k = 1; k < l.pos_counts[i]; ++k) {
            delta_bytes += varint_bytes(l.positions[position_at + k] -
                                        l.positions[position_at + k - 1] - 1);
          }
          position_at += l.pos_counts[i];
          excess_in_block |= l.wdfs[i] != l.pos_counts[i];
        }
        (full ? expected.doc_gaps : expected.doc_gaps_last) += coded_bytes(gaps);
        if (freqs) (full ? expected.freqs : expected.freqs_last) += coded_bytes(stored_wdfs);
        if (positional) {
          (full ? expected.firsts : expected.firsts_last) += coded_bytes(firsts);
          expected.deltas += delta_bytes;
          if (delta_bytes <= 64) any_excess_listed |= excess_in_block;
        }
      }
      CHECK(layout.doc_gaps == expected.doc_gaps);
      CHECK(layout.doc_gaps_last == expected.doc_gaps_last);
      CHECK(layout.freqs == expected.freqs);
      CHECK(layout.freqs_last == expected.freqs_last);
      CHECK(layout.firsts == expected.firsts);
      CHECK(layout.firsts_last == expected.firsts_last);
      CHECK(layout.deltas == expected.deltas);
      // The tables and bounds: present exactly when the format says, and the rest.
      const size_t nblocks = (df + kBlockSize - 1) / kBlockSize;
      CHECK((layout.term_bounds > 0) == freqs);
      CHECK((layout.skip_table > 0) == (nblocks > 1));
      CHECK((layout.block_bounds > 0) == (freqs && nblocks > 1));
      CHECK((layout.group_bounds > 0) == (freqs && nblocks > 8));
      CHECK((layout.block_ends > 0) == (positional && nblocks > 1));
      CHECK(layout.headers == (positional ? nblocks : 0));  // one-byte headers here
      CHECK((layout.excess_lists > 0) == any_excess_listed);
      CHECK(layout.postings() == w.doc.size());
      CHECK(layout.positions() == w.pos.size());
    }
  }
}

TEST_CASE("the layout of the worked examples in docs/FORMAT.md", "[postings]") {
  const BlockCodec& codec = default_codec();
  SECTION("postings: score bounds, then a last block of gaps and frequencies") {
    std::vector<uint32_t> docs = {3, 4, 9}, wdfs = {1, 2, 1}, doclens = {40, 7, 5};
    std::string doc, pos;
    TermInfo info = PostingsWriter(codec).write_term(docs, wdfs, {}, {}, doclens, kHasFreqs,
                                                     doc, pos);
    PostingsLayout layout;
    REQUIRE(measure_term_layout(doc, pos, info, codec, 10, layout).is_ok());
    CHECK(layout.term_bounds == 5);  // 02 01 05 00 01
    CHECK(layout.doc_gaps_last == 3);
    CHECK(layout.freqs_last == 2);
    CHECK(layout.postings() == 10);
    CHECK(layout.positions() == 0);
  }
  SECTION("positions: a first position, a header, an excess list, a delta") {
    std::vector<uint32_t> docs = {0}, wdfs = {3}, doclens = {9}, counts = {2},
                          positions = {4, 300};
    std::string doc, pos;
    TermInfo info = PostingsWriter(codec).write_term(docs, wdfs, counts, positions, doclens,
                                                     kHasFreqs | kHasPositions, doc, pos);
    PostingsLayout layout;
    REQUIRE(measure_term_layout(doc, pos, info, codec, 1, layout).is_ok());
    CHECK(layout.firsts_last == 1);
    CHECK(layout.headers == 1);
    CHECK(layout.excess_lists == 2);
    CHECK(layout.deltas == 2);
    CHECK(layout.lengths == 0);
  }
  SECTION("a filter term of two one-byte blocks, padded") {
    std::vector<uint32_t> docs, doclens;
    for (uint32_t i = 0; i < 129; ++i) {
      docs.push_back(i);
      doclens.push_back(10);
    }
    std::string doc, pos;
    TermInfo info = PostingsWriter(codec).write_term(docs, {}, {}, {}, doclens, 0, doc, pos);
    PostingsLayout layout;
    REQUIRE(measure_term_layout(doc, pos, info, codec, 129, layout).is_ok());
    CHECK(layout.skip_table == 5);  // 00, then 7f 01 and 80 02
    CHECK(layout.doc_gaps == 1);
    CHECK(layout.doc_gaps_last == 1);
    CHECK(layout.padding == 1);
    CHECK(layout.postings() == 8);
  }
}
