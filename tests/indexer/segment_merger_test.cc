// The segment merger on segments written by hand: the merged order is (published, id) over
// every input, with the values, ids, postings and positions following each document; an
// input whose own documents disagree with that order is refused as corruption, and the
// failed merge leaves no file behind.
#include "indexer/index/segment_merger.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <random>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "common/analysis/field_terms.h"
#include "common/codec/block_codec.h"
#include "common/format/deletions.h"
#include "common/format/postings_reader.h"
#include "common/index/segment_reader.h"
#include "common/store/article_codec.h"
#include "indexer/index/segment_writer.h"
#include "tests/support/temp_dir.h"

using namespace morgue;
using namespace morgue::testing;
namespace fs = std::filesystem;

namespace {

struct HandDoc {
  int64_t published;
  std::string id;
  std::vector<uint32_t> market_positions;  // empty: the word is not in the document
};

// Writes `docs`, in the order given (the caller decides whether it is date order), as
// segment `number`: the id terms, and the word "market" with its positions.
SegmentMeta write_segment(const std::string& dir, uint64_t number,
                          const std::vector<HandDoc>& docs) {
  auto writer = SegmentWriter::create(dir, number, default_codec());
  REQUIRE(writer.is_ok());
  for (const HandDoc& d : docs) {
    DocValues values;
    values.published = d.published;
    values.doclen = static_cast<uint32_t>(std::max<size_t>(1, d.market_positions.size()));
    values.source = "hand";
    REQUIRE((*writer)->add_document(values).is_ok());
  }
  REQUIRE((*writer)->open_store("").is_ok());
  for (const HandDoc& d : docs) {
    Article article;
    article.id = d.id;
    article.published = d.published;
    article.body = "market";
    REQUIRE((*writer)->add_stored(encode_article(article)).is_ok());
  }
  // Terms in bytewise order: the ids ("Q...") before the word.
  std::map<std::string, uint32_t> ids;
  for (uint32_t n = 0; n < docs.size(); ++n) ids[std::string(prefix::kId) + docs[n].id] = n;
  for (const auto& [term, doc] : ids) {
    std::vector<uint32_t> one{doc};
    REQUIRE((*writer)->add_term(term, one, {}, {}).is_ok());
  }
  std::vector<uint32_t> market_docs, market_wdfs;
  for (uint32_t n = 0; n < docs.size(); ++n) {
    if (docs[n].market_positions.empty()) continue;
    market_docs.push_back(n);
    market_wdfs.push_back(static_cast<uint32_t>(docs[n].market_positions.size()));
  }
  if (!market_docs.empty()) {
    REQUIRE((*writer)
                ->add_term("market", market_docs, market_wdfs,
                           [&](size_t i) -> std::span<const uint32_t> {
                             return docs[market_docs[i]].market_positions;
                           })
                .is_ok());
  }
  auto meta = (*writer)->finish();
  REQUIRE(meta.is_ok());
  return *meta;
}

std::shared_ptr<const SegmentReader> open_segment(const std::string& dir, const SegmentMeta& meta) {
  auto reader = SegmentReader::open(dir, meta, OpenOptions{});
  REQUIRE(reader.is_ok());
  return *reader;
}

std::set<std::string> files_in(const std::string& dir) {
  std::set<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) names.insert(entry.path().filename());
  return names;
}

// What a merged segment holds, document by document: (published, id, market positions).
using MergedDoc = std::tuple<int64_t, std::string, std::vector<uint32_t>>;

std::vector<MergedDoc> read_back(const SegmentReader& segment) {
  std::vector<MergedDoc> out(segment.meta().doc_count);
  for (uint32_t n = 0; n < out.size(); ++n) std::get<0>(out[n]) = segment.values().published(n);
  for (auto it = segment.terms().seek(prefix::kId);
       it.valid() && it.term().starts_with(prefix::kId); it.next()) {
    PostingsIterator postings;
    REQUIRE(segment.open_postings(it.info(), postings).is_ok());
    REQUIRE(postings.doc() < out.size());
    std::get<1>(out[postings.doc()]) = std::string(it.term().substr(prefix::kId.size()));
  }
  auto market = segment.terms().find("market");
  REQUIRE(market.is_ok());
  if (*market) {
    PostingsIterator postings;
    REQUIRE(segment.open_postings(**market, postings).is_ok());
    for (; postings.doc() != kEndDoc; postings.next()) {
      auto pos = postings.positions();
      std::get<2>(out[postings.doc()]).assign(pos.begin(), pos.end());
    }
    REQUIRE(postings.status().is_ok());
  }
  return out;
}

}  // namespace

TEST_CASE(
    "merge: documents of every input in (published, id) order, ties across inputs "
    "broken by id, each keeping its postings",
    "[merge]") {
  // Three inputs of random documents over few dates, so that many share a date; ids are
  // unique. Each input is written in its own (published, id) order, as a flush writes it.
  std::mt19937_64 rng(20261206);
  TempDir dir;
  std::vector<MergedDoc> expected;
  std::vector<std::vector<HandDoc>> inputs(3);
  int next_id = 0;
  for (auto& docs : inputs) {
    size_t count = 20 + rng() % 40;
    for (size_t i = 0; i < count; ++i) {
      HandDoc d;
      d.published = 1000 + static_cast<int64_t>(rng() % 5);
      d.id = "id" + std::to_string(rng() % 1000) + "-" + std::to_string(next_id++);
      uint32_t position = static_cast<uint32_t>(rng() % 3);
      for (size_t k = rng() % 4; k > 0; --k, position += 1 + static_cast<uint32_t>(rng() % 9))
        d.market_positions.push_back(position);
      docs.push_back(d);
      expected.emplace_back(d.published, d.id, d.market_positions);
    }
    std::sort(docs.begin(), docs.end(), [](const HandDoc& a, const HandDoc& b) {
      return std::tie(a.published, a.id) < std::tie(b.published, b.id);
    });
  }
  std::sort(expected.begin(), expected.end(), [](const MergedDoc& a, const MergedDoc& b) {
    return std::tie(std::get<0>(a), std::get<1>(a)) < std::tie(std::get<0>(b), std::get<1>(b));
  });

  std::vector<std::shared_ptr<const SegmentReader>> readers;
  std::vector<DeletionSet> deletions;
  for (size_t i = 0; i < inputs.size(); ++i) {
    readers.push_back(open_segment(dir.path(), write_segment(dir.path(), i + 1, inputs[i])));
    deletions.emplace_back(readers.back()->meta().doc_count);
  }
  std::vector<MergeInput> merge_inputs;
  for (size_t i = 0; i < readers.size(); ++i)
    merge_inputs.push_back({readers[i].get(), &deletions[i]});
  auto merged = merge_into_segment(dir.path(), 9, merge_inputs, default_codec());
  REQUIRE(merged.is_ok());
  REQUIRE(merged->doc_count == expected.size());
  CHECK(read_back(*open_segment(dir.path(), *merged)) == expected);
}

TEST_CASE(
    "merge: an input whose documents are not in (published, id) order is refused, "
    "and leaves no file",
    "[merge]") {
  TempDir dir;
  // The same date, ids against their order: the merged order reverses them, so the word's
  // postings would go backwards. A flush never writes this; only damage or a bug could.
  SegmentMeta bad =
      write_segment(dir.path(), 1, {{1000, "b", {0, 4}}, {1000, "a", {2}}, {2000, "c", {1}}});
  SegmentMeta good = write_segment(dir.path(), 2, {{1500, "d", {3}}});
  auto bad_reader = open_segment(dir.path(), bad);
  auto good_reader = open_segment(dir.path(), good);
  DeletionSet bad_deletions(bad.doc_count), good_deletions(good.doc_count);
  const std::set<std::string> before = files_in(dir.path());

  auto merged = merge_into_segment(
      dir.path(), 3, {{bad_reader.get(), &bad_deletions}, {good_reader.get(), &good_deletions}},
      default_codec());
  REQUIRE_FALSE(merged.is_ok());
  CHECK(merged.status().code() == StatusCode::kCorruption);
  CHECK(merged.status().message() ==
        "merging into segment 3: term 'market' of segment 1 is not in date order");
  CHECK(files_in(dir.path()) == before);

  // With the out-of-order document deleted, the same input merges.
  REQUIRE(bad_deletions.mark(1, 1, {{"market", 1}, {"Qa", 0}}));
  auto without = merge_into_segment(
      dir.path(), 4, {{bad_reader.get(), &bad_deletions}, {good_reader.get(), &good_deletions}},
      default_codec());
  REQUIRE(without.is_ok());
  CHECK(read_back(*open_segment(dir.path(), *without)) ==
        std::vector<MergedDoc>{{1000, "b", {0, 4}}, {1500, "d", {3}}, {2000, "c", {1}}});
}
