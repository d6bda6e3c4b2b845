// Corruption: bytes of every kind of index file are flipped, truncated and zeroed at random
// places (fixed seed). Each time `verify` must fail and name the damaged file, and searches
// over the damaged index, and `stats --layout`'s walk over every block, must neither crash
// nor read out of bounds (the sanitizer build runs this test too), whatever they return.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "common/analysis/analyzer.h"
#include "common/base/file.h"
#include "common/format/manifest.h"
#include "common/index/index_reader.h"
#include "indexer/commands/inspect_commands.h"
#include "query/parser/parser.h"
#include "query/plan.h"
#include "query/searcher.h"
#include "tests/support/synthetic_index.h"
#include "tests/support/temp_dir.h"

using namespace morgue;
using namespace morgue::testing;
namespace fs = std::filesystem;

namespace {

std::vector<std::string> index_files(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) {
    std::string name = entry.path().filename().string();
    if (name != kLockFileName) names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  return names;
}

void write_file(const std::string& path, const std::string& bytes) {
  fs::remove(path);
  std::ofstream(path, std::ios::binary) << bytes;
}

// Queries of every kind the engine has, and what showing a hit reads.
const std::vector<std::string> kQueries = {
    "the",          "market AND prices",       "oil OR gold OR shares", "\"said on\"",
    "NOT market",   "date:2010..2020 the",     "the -market",           "headline:the",
};

void search_whatever_it_returns(const std::string& dir) {
  auto snapshot = IndexSnapshot::open(dir);
  if (!snapshot.is_ok()) return;
  auto layout = measure_index_layout(**snapshot);
  if (!layout.is_ok()) CHECK(layout.status().code() == StatusCode::kCorruption);
  Analyzer analyzer;
  for (const std::string& text : kQueries) {
    ParseResult parsed = parse_query(text);
    REQUIRE(parsed.ok());
    auto plan = plan_query(*parsed.query, analyzer);
    SearchOptions options;
    options.limit = 20;
    for (SortOrder sort : {SortOrder::kRelevance, SortOrder::kNewest}) {
      options.sort = sort;
      auto result = search(**snapshot, *plan, options);
      if (!result.is_ok()) continue;
      for (const Hit& hit : result->hits) {
        auto article = (*snapshot)->segments()[hit.segment]->store().get_article(hit.doc);
        (void)article;
      }
    }
  }
}

}  // namespace

TEST_CASE("1,200 random corruptions of every index file: verify names the file, search "
          "survives",
          "[reliability][corruption]") {
  TempDir dir;
  std::string index = dir.file("idx");
  build_synthetic_index(index);
  REQUIRE(verify_index(index, nullptr).is_ok());
  std::vector<std::string> files = index_files(index);
  std::map<std::string, std::string> pristine;
  std::set<std::string> kinds;
  for (const std::string& name : files) {
    pristine[name] = *read_whole_file(index + "/" + name);
    kinds.insert(fs::path(name).extension().string());
  }
  // MANIFEST, and each segment's .tdi .doc .pos .dv .sto, and a deletions file.
  REQUIRE(kinds == std::set<std::string>{"", ".tdi", ".doc", ".pos", ".dv", ".sto", ".del"});

  std::mt19937_64 rng(424242);
  std::map<std::string, int> detected;
  for (int trial = 0; trial < 1200; ++trial) {
    const std::string& name = files[static_cast<size_t>(trial) % files.size()];
    const std::string& original = pristine[name];
    std::string damaged = original;
    const char* how = "";
    switch ((trial / files.size()) % 3) {
      case 0: {  // one bit flipped
        size_t at = rng() % damaged.size();
        damaged[at] = static_cast<char>(damaged[at] ^ (1 << (rng() % 8)));
        how = "bit flip";
        break;
      }
      case 1:  // cut short
        damaged.resize(rng() % damaged.size());
        how = "truncation";
        break;
      case 2: {  // a run of bytes zeroed; redrawn until it changes something
        while (damaged == original) {
          size_t at = rng() % damaged.size();
          size_t length = 1 + rng() % 256;
          for (size_t i = at; i < std::min(damaged.size(), at + length); ++i) damaged[i] = 0;
        }
        how = "zeroed run";
        break;
      }
    }
    write_file(index + "/" + name, damaged);
    INFO("trial " << trial << ": " << how << " in " << name);

    Status verified = verify_index(index, nullptr);
    INFO(verified.to_string());
    REQUIRE_FALSE(verified.is_ok());
    CHECK_THAT(verified.message(), Catch::Contains(name));
    search_whatever_it_returns(index);

    write_file(index + "/" + name, original);
    detected[how]++;
  }
  REQUIRE(verify_index(index, nullptr).is_ok());
  CHECK(detected.size() == 3);
}
