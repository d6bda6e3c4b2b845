// morgue-index's read-only commands over a real index: the layout of `stats --layout`.
#include "indexer/commands/inspect_commands.h"

#include <catch2/catch.hpp>

#include "common/index/index_reader.h"
#include "tests/support/synthetic_index.h"
#include "tests/support/temp_dir.h"

using namespace morgue;
using namespace morgue::testing;

TEST_CASE(
    "stats --layout: the parts add up to the postings and positions files, each shared "
    "list counted once",
    "[inspect]") {
  // Two segments of synthetic articles, whose words share their stems' lists.
  TempDir dir;
  build_synthetic_index(dir.path().string());
  auto snapshot = IndexSnapshot::open(dir.path().string());
  REQUIRE(snapshot.is_ok());
  const IndexSnapshot& snap = **snapshot;
  REQUIRE(snap.segments().size() == 2);

  uint64_t postings_bodies = 0, positions_bodies = 0, every_terms_postings = 0;
  for (const auto& s : snap.segments()) {
    postings_bodies += s->postings_bytes().size();
    positions_bodies += s->positions_bytes().size();
    for (auto it = s->terms().begin(); it.valid(); it.next())
      every_terms_postings += it.info().postings_length;
  }
  REQUIRE(every_terms_postings > postings_bodies);  // lists are shared

  auto layout = measure_index_layout(snap);
  REQUIRE(layout.is_ok());
  CHECK(layout->parts.postings() == postings_bodies);
  CHECK(layout->parts.positions() == positions_bodies);
  uint64_t kinds_postings = 0, kinds_positions = 0;
  for (const auto& [kind, bytes] : layout->by_kind) {
    kinds_postings += bytes.postings;
    kinds_positions += bytes.positions;
  }
  CHECK(kinds_postings == postings_bodies);
  CHECK(kinds_positions == positions_bodies);
  // Positions belong to the text words alone; every article has its one id term.
  CHECK(layout->by_kind.at("text words").positions == positions_bodies);
  CHECK(layout->by_kind.at("ids").terms == kSyntheticIndexArticles);  // deleted ones too
  CHECK(layout->by_kind.at("text stems").postings > 0);
}
