// The index writer against a model: after any sequence of adds, replacements (by version),
// deletions, flushes (in the background), merges and commits, the index holds exactly the latest live version
// of each id with exact live statistics. Also: one writer at a time, and snapshots.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <random>

#include "common/analysis/article_terms.h"
#include "common/format/postings_reader.h"
#include "common/index/index_reader.h"
#include "common/store/article_codec.h"
#include "indexer/index/index_writer.h"
#include "tests/support/temp_dir.h"

using namespace morgue;
using morgue::testing::TempDir;

namespace {

const char* const kWords[] = {"rafah", "gaza", "ceasefire", "talks", "port", "strike", "cocoa",
                              "harvest", "central", "bank", "rates", "storm", "election", "merger"};

Article random_article(std::mt19937& rng, const std::string& id, int64_t version) {
  Article a;
  a.id = id;
  a.version = version;
  a.published = 1700000000 + static_cast<int64_t>(rng() % 50) * 3600;  // many equal dates
  for (int i = 0, n = 2 + static_cast<int>(rng() % 4); i < n; ++i)
    a.headline += std::string(i ? " " : "") + kWords[rng() % std::size(kWords)];
  for (int i = 0, n = 5 + static_cast<int>(rng() % 60); i < n; ++i)
    a.body += std::string(i ? " " : "") + kWords[rng() % std::size(kWords)];
  a.source = rng() % 2 ? "Reuters" : "AP";
  if (rng() % 3 == 0) a.entities.push_back({EntityType::kPlace, rng() % 2 ? "Gaza" : "Rotterdam"});
  return a;
}

// What the index must hold: id -> the article that is live.
using Model = std::map<std::string, Article>;

void check_against_model(const std::string& dir, const Model& model) {
  auto opened = IndexSnapshot::open(dir, {true});
  REQUIRE(opened.is_ok());
  const IndexSnapshot& snap = **opened;
  REQUIRE(snap.live_count() == model.size());
  Analyzer analyzer;
  std::map<std::string, TermStats> expected_stats;
  uint64_t expected_doclen = 0;
  for (const auto& [id, a] : model) {
    ArticleTerms terms;
    article_terms(a, analyzer, terms);
    expected_doclen += terms.doclen;
    for (const auto& t : terms.terms) {
      TermStats& stats = expected_stats[std::string(terms.term(t))];
      stats.df += 1;
      stats.cf += t.wdf;
    }
  }
  CHECK(snap.live_doclen() == expected_doclen);
  std::map<std::string, Article> found;
  for (const auto& segment : snap.segments()) {
    for (DocNum d = 0; d < segment->meta().doc_count; ++d) {
      if (segment->is_deleted(d)) continue;
      auto article = segment->store().get_article(d);
      REQUIRE(article.is_ok());
      REQUIRE(found.count(article->id) == 0);  // one live document per id
      found[article->id] = *article;
    }
  }
  CHECK(found == model);
  for (const auto& [term, stats] : expected_stats) {
    auto got = snap.term_stats(term);
    REQUIRE(got.is_ok());
    CAPTURE(term);
    CHECK(got->df == stats.df);
    CHECK(got->cf == stats.cf);
  }
  for (const char* absent : {"nosuchword", "Zstrike"}) {
    if (expected_stats.count(absent)) continue;
    CHECK(snap.term_stats(absent)->df == 0);
  }
}

}  // namespace

TEST_CASE("after any sequence of adds, replacements and deletes the index matches the model",
          "[index][writer][property]") {
  for (uint32_t seed : {1u, 2u, 3u}) {
    CAPTURE(seed);
    std::mt19937 rng(seed);
    TempDir dir;
    IndexWriterOptions options;
    options.create_if_missing = true;
    options.ram_budget_bytes = 16 << 10;  // tiny: flushes (and merges) every few articles
    options.defer_merges = seed == 3;  // as a build: fast stores, merges left to merge_all()
    auto writer = IndexWriter::open(dir.path().string(), options);
    REQUIRE(writer.is_ok());
    Analyzer analyzer;
    Model model;
    for (int step = 0; step < 1500; ++step) {
      uint32_t op = rng() % 100;
      std::string id = "id-" + std::to_string(rng() % 300);
      if (op < 70) {
        int64_t version = static_cast<int64_t>(rng() % 4);
        Article a = random_article(rng, id, version);
        auto outcome = (*writer)->add(prepare_article(a, analyzer));
        REQUIRE(outcome.is_ok());
        auto it = model.find(id);
        if (it != model.end() && it->second.version > version) {
          CHECK(*outcome == AddOutcome::kKeptNewer);
        } else {
          CHECK(*outcome == (it == model.end() ? AddOutcome::kAdded : AddOutcome::kReplaced));
          model[id] = a;
        }
      } else if (op < 88) {
        auto removed = (*writer)->remove(id);
        REQUIRE(removed.is_ok());
        CHECK(*removed == (model.erase(id) == 1));
      } else if (op < 97) {
        REQUIRE((*writer)->commit().is_ok());
        check_against_model(dir.path().string(), model);
      } else {
        REQUIRE((*writer)->merge_all().is_ok());
        CHECK((*writer)->committed_manifest().segments.size() <= 1);
        check_against_model(dir.path().string(), model);
      }
    }
    REQUIRE((*writer)->commit().is_ok());
    check_against_model(dir.path().string(), model);
    CHECK((*writer)->counters().flushes > 10);
    // Ids came back while their older article was in the buffer being flushed.
    CHECK((*writer)->counters().flush_waits > 0);
  }
}

namespace {

// Each segment's codec, and every posting of `term` read back through it.
struct SegmentCodecs {
  std::vector<CodecId> codecs;
  uint64_t postings = 0;
};

SegmentCodecs read_segments(const std::string& dir, std::string_view term) {
  SegmentCodecs out;
  auto opened = IndexSnapshot::open(dir, {true});
  REQUIRE(opened.is_ok());
  for (const auto& segment : (*opened)->segments()) {
    out.codecs.push_back(segment->codec().id());
    auto info = segment->find(term);
    REQUIRE(info.is_ok());
    if (!info->has_value()) continue;
    PostingsIterator it;
    REQUIRE(segment->open_postings(**info, it).is_ok());
    for (; it.doc() != kEndDoc; it.next()) ++out.postings;
    REQUIRE(it.status().is_ok());
  }
  return out;
}

}  // namespace

TEST_CASE("a build's flushed segments are bitpack128, what it keeps has the chosen codec",
          "[index][writer]") {
  // A build (defer_merges) writes its flushed segments for merge_all() to rewrite, in the
  // codec fastest to write and read back; segments that stay take options.codec.
  for (bool defer : {true, false}) {
    CAPTURE(defer);
    TempDir dir;
    IndexWriterOptions options;
    options.create_if_missing = true;
    options.ram_budget_bytes = 16 << 10;  // a flush every few articles
    options.defer_merges = defer;
    options.codec = CodecId::kPFor128;
    auto writer = IndexWriter::open(dir.path().string(), options);
    REQUIRE(writer.is_ok());
    std::mt19937 rng(7);
    Analyzer analyzer;
    Model model;
    uint64_t with_term = 0;
    for (int i = 0; i < 300; ++i) {
      Article a = random_article(rng, "a" + std::to_string(i), 1);
      REQUIRE((*writer)->add(prepare_article(a, analyzer)).is_ok());
      model[a.id] = a;
      ArticleTerms terms;
      article_terms(a, analyzer, terms);
      for (const auto& t : terms.terms) with_term += terms.term(t) == "rafah";
    }
    REQUIRE(with_term > 0);
    REQUIRE((*writer)->commit().is_ok());
    check_against_model(dir.path().string(), model);
    SegmentCodecs committed = read_segments(dir.path().string(), "rafah");
    CHECK(committed.postings == with_term);
    REQUIRE(committed.codecs.size() > 1);
    auto bitpacked = std::count(committed.codecs.begin(), committed.codecs.end(),
                                CodecId::kBitPack128);
    if (defer) {
      CHECK(bitpacked > 0);
      // Past kMaxDeferredSegments flushes the tiered policy merged some: in the codec chosen.
      REQUIRE((*writer)->counters().flushes > kMaxDeferredSegments);
      CHECK(bitpacked < static_cast<std::ptrdiff_t>(committed.codecs.size()));
    } else {
      CHECK(bitpacked == 0);
    }
    REQUIRE((*writer)->merge_all().is_ok());
    check_against_model(dir.path().string(), model);
    SegmentCodecs merged = read_segments(dir.path().string(), "rafah");
    CHECK(merged.postings == with_term);
    CHECK(merged.codecs == std::vector<CodecId>{CodecId::kPFor128});
  }
}

// merge_all() rewrites a build's flushed segments with whatever is still buffered: that
// last buffer is written fast too, unless it is all there is, which is then written once,
// as final, and not merged.
TEST_CASE("a build's last buffer is written fast when the final merge rewrites it",
          "[index][writer]") {
  // 4 MiB: a third of it for the buffer, half of that the term and id tables' first
  // blocks, so a flush every few hundred articles; 64 MiB: none.
  for (size_t budget : {size_t{4} << 20, size_t{64} << 20}) {
    CAPTURE(budget);
    const bool small = budget < (size_t{8} << 20);
    TempDir dir;
    IndexWriterOptions options;
    options.create_if_missing = true;
    options.ram_budget_bytes = budget;
    options.defer_merges = true;
    auto writer = IndexWriter::open(dir.path().string(), options);
    REQUIRE(writer.is_ok());
    std::mt19937 rng(8);
    Analyzer analyzer;
    Model model;
    // At least 40 articles; with the small budget, until a flush is done and the last
    // article is still buffered.
    for (int i = 0; i < 40 || (small && ((*writer)->counters().flushes == 0 ||
                                         (*writer)->buffered_articles() == 0));
         ++i) {
      REQUIRE(i < 20000);
      Article a = random_article(rng, "b" + std::to_string(i), 1);
      REQUIRE((*writer)->add(prepare_article(a, analyzer)).is_ok());
      model[a.id] = a;
    }
    const uint64_t flushed_before = (*writer)->counters().flushes;
    REQUIRE((flushed_before > 0) == small);
    REQUIRE((*writer)->merge_all().is_ok());
    const WriterCounters& counters = (*writer)->counters();
    if (flushed_before > 0) {
      CHECK(counters.flushes > flushed_before);
      CHECK(counters.fast_flushes == counters.flushes);
      CHECK(counters.merges >= 1);
    } else {
      CHECK(counters.flushes == 1);
      CHECK(counters.fast_flushes == 0);
      CHECK(counters.merges == 0);
    }
    check_against_model(dir.path().string(), model);
    CHECK((*writer)->committed_manifest().segments.size() == 1);
  }
}

TEST_CASE("a reopened writer continues the index it finds", "[index][writer]") {
  TempDir dir;
  std::mt19937 rng(4);
  Analyzer analyzer;
  Model model;
  IndexWriterOptions create;
  create.create_if_missing = true;
  {
    auto writer = IndexWriter::open(dir.path().string(), create);
    REQUIRE(writer.is_ok());
    for (int i = 0; i < 50; ++i) {
      Article a = random_article(rng, "a" + std::to_string(i), 1);
      REQUIRE((*writer)->add(prepare_article(a, analyzer)).is_ok());
      model[a.id] = a;
    }
    REQUIRE((*writer)->commit().is_ok());
    // Uncommitted work is lost with the writer, as a crash would lose it.
    REQUIRE((*writer)->add(prepare_article(random_article(rng, "lost", 1), analyzer)).is_ok());
  }
  check_against_model(dir.path().string(), model);
  auto writer = IndexWriter::open(dir.path().string(), {});
  REQUIRE(writer.is_ok());
  Article newer = random_article(rng, "a7", 2);
  CHECK(*(*writer)->add(prepare_article(newer, analyzer)) == AddOutcome::kReplaced);
  model["a7"] = newer;
  CHECK(*(*writer)->add(prepare_article(random_article(rng, "a7", 1), analyzer)) ==
        AddOutcome::kKeptNewer);
  CHECK(*(*writer)->remove("a3"));
  model.erase("a3");
  CHECK_FALSE(*(*writer)->remove("nope"));
  REQUIRE((*writer)->commit().is_ok());
  check_against_model(dir.path().string(), model);
}

TEST_CASE("a second writer on the same index fails with a clear message", "[index][writer]") {
  TempDir dir;
  IndexWriterOptions create;
  create.create_if_missing = true;
  auto first = IndexWriter::open(dir.path().string(), create);
  REQUIRE(first.is_ok());
  auto second = IndexWriter::open(dir.path().string(), create);
  REQUIRE_FALSE(second.is_ok());
  CHECK(second.status().code() == StatusCode::kLocked);
  CHECK_THAT(second.status().message(), Catch::Contains("another writer"));
}

TEST_CASE("opening an index where there is none, or building over one, is refused",
          "[index][writer]") {
  TempDir dir;
  auto missing = IndexWriter::open(dir.file("none"), {});
  CHECK(missing.status().code() == StatusCode::kNotFound);
  auto empty = IndexWriter::open(dir.path().string(), {});
  CHECK(empty.status().code() == StatusCode::kNotFound);
  IndexWriterOptions create;
  create.create_if_missing = true;
  {
    auto w = IndexWriter::open(dir.path().string(), create);
    REQUIRE(w.is_ok());
    REQUIRE((*w)->commit().is_ok());
  }
  create.error_if_exists = true;
  auto again = IndexWriter::open(dir.path().string(), create);
  CHECK(again.status().code() == StatusCode::kInvalidArgument);
}

TEST_CASE("a reader opened before a commit keeps seeing its snapshot", "[index][writer]") {
  TempDir dir;
  std::mt19937 rng(8);
  Analyzer analyzer;
  IndexWriterOptions create;
  create.create_if_missing = true;
  auto writer = IndexWriter::open(dir.path().string(), create);
  REQUIRE(writer.is_ok());
  for (int i = 0; i < 40; ++i)
    REQUIRE((*writer)->add(prepare_article(random_article(rng, "x" + std::to_string(i), 1),
                                           analyzer)).is_ok());
  REQUIRE((*writer)->commit().is_ok());
  auto before = IndexSnapshot::open(dir.path().string());
  REQUIRE(before.is_ok());
  uint64_t live = (*before)->live_count();
  uint64_t gaza = (*before)->term_stats("gaza")->df;
  // Delete, add and merge: the old segment's files are removed from the directory.
  for (int i = 0; i < 10; ++i) REQUIRE((*writer)->remove("x" + std::to_string(i)).is_ok());
  for (int i = 0; i < 30; ++i)
    REQUIRE((*writer)->add(prepare_article(random_article(rng, "y" + std::to_string(i), 1),
                                           analyzer)).is_ok());
  REQUIRE((*writer)->merge_all().is_ok());
  auto after = IndexSnapshot::open(dir.path().string());
  REQUIRE(after.is_ok());
  CHECK((*after)->live_count() == live - 10 + 30);
  // The old snapshot is untouched, and its articles still read.
  CHECK((*before)->live_count() == live);
  CHECK((*before)->term_stats("gaza")->df == gaza);
  const SegmentReader& old = *(*before)->segments()[0];
  for (DocNum d = 0; d < old.meta().doc_count; ++d) CHECK(old.store().get_article(d).is_ok());
}
