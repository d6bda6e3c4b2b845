// Dynamic pruning over a real index whose phrase spans many groups of posting blocks, with
// the documents that can reach the top crowded into a few stretches, and the phrase's words
// in different documents elsewhere, so that their blocks and groups end at different
// documents: the pruned search must return the exhaustive search's top hits with the same
// scores, bit for bit, while skipping whole groups and blocks. (The Xapian oracle's Reuters
// queries miss a phrase's window taken past one of its words' groups.)
#include <catch2/catch.hpp>

#include <random>
#include <string>
#include <vector>

#include "common/analysis/analyzer.h"
#include "common/index/index_reader.h"
#include "indexer/index/index_writer.h"
#include "query/parser/parser.h"
#include "query/searcher.h"
#include "tests/support/pruned_search.h"
#include "tests/support/temp_dir.h"

using namespace morgue;
using morgue::testing::TempDir;

namespace {

const char* const kFiller[] = {"grain", "port",   "ship",   "market", "price", "wheat",
                               "cargo", "harbor", "tonnes", "export", "crop",  "rain",
                               "north", "south",  "trader", "weekly", "rises", "falls"};

std::string filler(std::mt19937& rng, size_t words) {
  std::string out;
  for (size_t i = 0; i < words; ++i)
    out += std::string(i ? " " : "") + kFiller[rng() % std::size(kFiller)];
  return out;
}

// 40,000 articles, two in five holding "amber" and "falcon" (fewer, and the words' idf would
// leave every score near 0), one in five "falcon" alone (so that the words' blocks and groups
// end at different documents): most of the two in five hold the phrase once in a long body
// (low scores); a few, in short bodies, hold the phrase several times (high scores), nearly all
// of them within the first 3,000 of every 12,000 articles, where short bodies also hold both
// words often but never side by side (high term bounds, no phrase).
void build_index(const std::string& dir) {
  IndexWriterOptions options;
  options.create_if_missing = true;
  auto writer = IndexWriter::open(dir, options);
  REQUIRE(writer.is_ok());
  Analyzer analyzer;
  std::mt19937 rng(20261207);
  for (int i = 0; i < 40000; ++i) {
    Article a;
    a.id = "a" + std::to_string(i);
    a.headline = "report " + std::to_string(i);
    bool strong_stretch = i % 12000 < 3000;
    unsigned dice = rng() % 1000;
    if (dice >= 400) {
      a.body = filler(rng, 20 + rng() % 300);
      if (dice >= 800) a.body += " falcon";
    } else if (dice < (strong_stretch ? 40u : 1u)) {
      a.body = filler(rng, 80 + rng() % 150);
      for (unsigned k = 0, n = 2 + rng() % 5; k < n; ++k)
        a.body += " amber falcon " + filler(rng, rng() % 3);
    } else if (strong_stretch && dice < 70) {
      a.body = filler(rng, 80 + rng() % 100);
      for (unsigned k = 0, n = 2 + rng() % 6; k < n; ++k)
        a.body += " amber " + filler(rng, 1 + rng() % 2) + " falcon " + filler(rng, 1);
    } else {
      a.body = filler(rng, 40 + rng() % 300) + " amber falcon " + filler(rng, rng() % 40);
    }
    REQUIRE((*writer)->add(prepare_article(std::move(a), analyzer)).is_ok());
  }
  REQUIRE((*writer)->merge_all().is_ok());
}

}  // namespace

TEST_CASE("pruning: phrases and terms spanning many groups of blocks keep the exhaustive top",
          "[query][pruning]") {
  TempDir dir;
  build_index(dir.file("index"));
  auto snapshot = IndexSnapshot::open(dir.file("index"));
  REQUIRE(snapshot.is_ok());
  Analyzer analyzer;
  for (const char* query : {"\"amber falcon\"", "\"falcon amber\"", "\"amber falcon\" grain",
                            "\"amber falcon\" OR cargo", "\"grain amber falcon\"", "falcon",
                            "amber falcon"}) {
    CAPTURE(query);
    ParseResult parsed = parse_query(query);
    REQUIRE(parsed.ok());
    auto plan = plan_query(*parsed.query, analyzer);
    REQUIRE(plan);
    SearchOptions all;
    all.limit = (*snapshot)->live_count();
    auto exhaustive = search(**snapshot, *plan, all);
    REQUIRE(exhaustive.is_ok());
    REQUIRE(exhaustive->total_exact);
    morgue::testing::require_pruned_top(**snapshot, *plan, *exhaustive, true);
  }
}
