// IdFilter: every hash added is reported (no false negatives, through rebuilds as the
// writer grows it), and random hashes never added are reported rarely, at about the rate
// its sizing promises.
#include <catch2/catch.hpp>

#include <random>
#include <unordered_set>
#include <vector>

#include "indexer/index/id_filter.h"

using namespace morgue;

TEST_CASE("id filter: no false negatives across rebuilds, few false positives",
          "[unit][writer]") {
  for (uint64_t seed : {1u, 2u, 3u}) {
    std::mt19937_64 rng(seed);
    IdFilter filter;
    std::vector<uint64_t> kept;  // what the writer's segments hold
    std::unordered_set<uint64_t> added;
    size_t rebuilds = 0;
    // Batches the size of flushes, as IndexWriter::add_to_id_filter adds them.
    for (int batch = 0; batch < 40; ++batch) {
      std::vector<uint64_t> fresh(5000);
      for (uint64_t& h : fresh) h = rng();
      if (filter.needs_rebuild(fresh.size())) {
        filter.rebuild(kept.size() + fresh.size());
        for (uint64_t h : kept) filter.add(h);
        ++rebuilds;
      }
      for (uint64_t h : fresh) filter.add(h);
      kept.insert(kept.end(), fresh.begin(), fresh.end());
      added.insert(fresh.begin(), fresh.end());
      for (uint64_t h : kept) REQUIRE(filter.may_contain(h));
    }
    CHECK(rebuilds >= 3);
    // At 12 to 24 bits a key, with 7 bits set in one 512-bit block: about 1% false
    // positives at worst; a filter that ignored much of the hash would be far above.
    size_t false_positives = 0, probes = 200000;
    for (size_t i = 0; i < probes; ++i) {
      uint64_t h = rng();
      if (!added.contains(h) && filter.may_contain(h)) ++false_positives;
    }
    INFO("seed " << seed << ": " << false_positives << " false positives in " << probes);
    CHECK(false_positives < probes / 50);
    CHECK(filter.memory_bytes() <= kept.size() * 24 / 8 + 128);
  }
}

TEST_CASE("id filter: an empty filter holds nothing", "[unit][writer]") {
  IdFilter filter;
  CHECK_FALSE(filter.may_contain(0));
  CHECK_FALSE(filter.may_contain(0x123456789abcdefull));
  filter.add(42);
  CHECK(filter.may_contain(42));
}
