// morgue-index's read-only commands over a real index: the layout of `stats --layout`.
#include "indexer/commands/inspect_commands.h"

#include <catch2/catch.hpp>

#include "common/analysis/analyzer.h"
#include "common/index/index_reader.h"
#include "corpus/synth/synthetic_archive.h"
#include "indexer/index/index_writer.h"
#include "tests/support/temp_dir.h"

using namespace morgue;
using morgue::testing::TempDir;

TEST_CASE(
    "stats --layout: the parts add up to the postings and positions files, each shared "
    "list counted once",
    "[inspect]") {
  // Two segments of synthetic articles, whose words share their stems' lists.
  TempDir dir;
  SyntheticOptions options;
  options.seed = 17;
  options.articles = 3000;
  SyntheticArchive archive(options);
  Analyzer analyzer;
  IndexWriterOptions writer_options;
  writer_options.create_if_missing = true;
  auto writer = IndexWriter::open(dir.path().string(), writer_options);
  REQUIRE(writer.is_ok());
  for (uint64_t i = 0; i < options.articles; ++i) {
    REQUIRE((*writer)->add(prepare_article(archive.article(i), analyzer)).is_ok());
    if (i == 1999) REQUIRE((*writer)->merge_all().is_ok());
  }
  REQUIRE((*writer)->commit().is_ok());
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
  CHECK(layout->by_kind.at("ids").terms == options.articles);
  CHECK(layout->by_kind.at("text stems").postings > 0);
}
