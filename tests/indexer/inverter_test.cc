// Inverter against brute force: random articles' terms (many sharing their first 8 bytes,
// some with bytes above 0x7f or zero bytes) come back from sorted_terms() in bytewise
// order, each with exactly the postings (and positions) that were added for it; a frequent
// term's packed postings grow from inline bytes to a long heap buffer.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <random>
#include <string>

#include "common/analysis/field_terms.h"
#include "indexer/index/inverter.h"

using namespace morgue;

namespace {

std::string random_term(std::mt19937& rng) {
  // Prefixes of 8 bytes and more, so that many terms tie on their leading bytes.
  static const std::string kStarts[] = {"", "Z", "Sconstit", "Zconstitution", "Q\xff\xfe",
                                        "E\xc3\xa9", "T"};
  static const char kBytes[] = {'a', 'b', 'z', '\0', '\x7f', '\x80', '\xff'};
  std::string term = kStarts[rng() % std::size(kStarts)];
  for (size_t n = rng() % 12; n > 0; --n) term.push_back(kBytes[rng() % std::size(kBytes)]);
  if (term.empty()) term = "a";
  return term;
}

}  // namespace

TEST_CASE("inverter: sorted_terms is bytewise order with each term's postings",
          "[unit][inverter]") {
  for (uint32_t seed : {7u, 8u}) {
    std::mt19937 rng(seed);
    Inverter inverter;
    // Expected: term -> (slot, wdf, positions) of every article that holds it.
    struct Posting {
      uint32_t slot, wdf;
      std::vector<uint32_t> positions;
    };
    std::map<std::string, std::vector<Posting>> expected;
    for (int a = 0; a < 300; ++a) {
      Article article;
      article.id = "id-" + std::to_string(a);
      article.published = 1000 + a;
      std::map<std::string, uint32_t> wdfs;
      for (size_t n = 1 + rng() % 40; n > 0; --n) wdfs[random_term(rng)] += 1 + rng() % 3;
      ArticleTerms terms;
      for (const auto& [term, wdf] : wdfs) {
        std::vector<uint32_t> positions;
        if (has_positions(term)) {
          // Gaps of one to three varint bytes.
          uint32_t position = rng() % 50;
          for (uint32_t p = 0; p < wdf; ++p) positions.push_back(position += rng() % 20000);
        }
        terms.add(term, wdf, positions);
      }
      // Not in bytewise order: the inverter must not depend on it.
      std::shuffle(terms.terms.begin(), terms.terms.end(), rng);
      uint32_t slot = inverter.add(article, terms, "stored");
      for (const TermOccurrences& t : terms.terms) {
        std::span<const uint32_t> positions = terms.positions_of(t);
        expected[std::string(terms.term(t))].push_back(
            {slot, t.wdf, {positions.begin(), positions.end()}});
      }
    }
    auto sorted = inverter.sorted_terms();
    REQUIRE(sorted.size() == expected.size());
    auto want = expected.begin();
    std::vector<PendingPosting> postings;
    std::vector<uint32_t> positions;
    for (const auto& [term, packed] : sorted) {
      CAPTURE(seed, term);
      REQUIRE(term == want->first);
      Inverter::decode(term, *packed, postings, positions);
      REQUIRE(postings.size() == want->second.size());
      for (size_t i = 0; i < postings.size(); ++i) {
        const Posting& w = want->second[i];
        CHECK(postings[i].doc == w.slot);
        CHECK(postings[i].wdf == w.wdf);
        std::vector<uint32_t> got;
        if (has_positions(term)) {
          got.assign(positions.begin() + postings[i].pos_begin,
                     positions.begin() + postings[i].pos_begin + postings[i].pos_count);
        }
        CHECK(got == w.positions);
      }
      ++want;
    }
  }
}

TEST_CASE("inverter: find answers with an id's live slot only", "[unit][inverter]") {
  Inverter inverter;
  auto add = [&](const std::string& id) {
    Article article;
    article.id = id;
    article.published = 1000;
    return inverter.add(article, ArticleTerms(), "stored");
  };
  std::vector<std::string> ids;
  for (int i = 0; i < 5000; ++i) ids.push_back("reuters-" + std::to_string(i * 7919 % 5000));
  std::map<std::string, uint32_t> live;  // the model: id -> its live slot
  std::mt19937 rng(3);
  for (int step = 0; step < 20000; ++step) {
    const std::string& id = ids[rng() % ids.size()];
    CAPTURE(step, id);
    auto found = inverter.find(id);
    auto it = live.find(id);
    REQUIRE(found.has_value() == (it != live.end()));
    if (found) REQUIRE(*found == it->second);
    switch (rng() % 3) {
      case 0:  // replace: the writer kills the buffered one, then adds
        if (found) inverter.kill(*found);
        live[id] = add(id);
        break;
      case 1:  // delete
        if (found) inverter.kill(*found);
        live.erase(id);
        break;
      default:
        break;
    }
    REQUIRE(inverter.live_count() == live.size());
  }
}

TEST_CASE("inverter: a term's buffer reaching the limit asks for a flush", "[unit][inverter]") {
  Inverter inverter(/*term_bytes_limit=*/1000);
  ArticleTerms terms;
  // Gap 1 + wdf 1 + count 1 + positions 1 + 2 + 3 bytes.
  const std::vector<uint32_t> positions = {1, 200, 40000};
  terms.add("frequent", 3, positions);
  int added = 0;
  while (!inverter.term_buffer_full()) {
    Article article;
    article.id = "id-" + std::to_string(added);
    article.published = 1000;
    inverter.add(article, terms, "");
    ++added;
    REQUIRE(added < 1000);
  }
  CHECK(added == 1000 / 9 + 1);  // 112 postings of 9 bytes: the first at or past 1000
  inverter.clear();
  CHECK_FALSE(inverter.term_buffer_full());
}
