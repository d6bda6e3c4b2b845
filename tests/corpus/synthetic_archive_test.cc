// The synthetic archive: deterministic, valid input, skewed like wire copy; and its query
// file matches the archive it was drawn from.
#include <catch2/catch.hpp>

#include <cstdio>
#include <map>

#include "common/base/checksum.h"
#include "common/base/time.h"
#include "common/index/index_reader.h"
#include "corpus/synth/synthetic_archive.h"
#include "indexer/index/index_writer.h"
#include "indexer/readers/jsonl_reader.h"
#include "query/parser/parser.h"
#include "query/searcher.h"
#include "tests/support/temp_dir.h"

using namespace morgue;
using morgue::testing::TempDir;

namespace {

std::string capture(const std::function<Status(std::FILE*)>& write) {
  char* buffer = nullptr;
  size_t size = 0;
  std::FILE* f = open_memstream(&buffer, &size);
  REQUIRE(write(f).is_ok());
  std::fclose(f);
  std::string out(buffer, size);
  std::free(buffer);
  return out;
}

}  // namespace

TEST_CASE("synthetic archive: the same seed gives the same articles", "[synth]") {
  SyntheticOptions a, b;
  a.articles = 100;
  b.articles = 5000;  // an article does not depend on the archive's size
  SyntheticArchive x(a), y(b);
  for (uint64_t i = 0; i < 100; ++i) CHECK(x.article(i) == y.article(i));
  SyntheticOptions other = a;
  other.seed = 2;
  CHECK_FALSE(SyntheticArchive(other).article(0) == x.article(0));
}

// The benchmarks' archives must be the same bytes whoever builds morgue-synth. These digests
// are of the archive and queries GCC 12 wrote when the benchmark figures were taken; clang 14
// wrote other people's and firms' names, and other queries, until each random draw became
// a statement of its own (the operands of a + may be evaluated in either order).
TEST_CASE("synthetic archive: the same bytes from every compiler", "[synth]") {
  SyntheticOptions options;
  options.articles = 2000;
  std::string archive = capture([&](std::FILE* f) { return write_synthetic_archive(options, f); });
  std::string queries = capture([&](std::FILE* f) { return write_synthetic_queries(options, 10, f); });
  CHECK(archive.size() == 2351537);
  CHECK(checksum(archive) == 0xb9abb8db8de753c5);
  CHECK(queries.size() == 3393);
  CHECK(checksum(queries) == 0x4b1d26697ea6f339);
}

TEST_CASE("synthetic archive: every line is an article morgue reads, skewed like wire copy",
          "[synth]") {
  SyntheticOptions options;
  options.articles = 3000;
  std::string jsonl = capture([&](std::FILE* f) { return write_synthetic_archive(options, f); });
  std::vector<Article> articles;
  size_t rejected = 0;
  ArticleSink sink;
  sink.accept = [&](Article&& a, const SourceLocation&) { articles.push_back(std::move(a)); };
  sink.reject = [&](const SourceLocation&, std::string_view) { ++rejected; };
  REQUIRE(read_jsonl("synthetic.jsonl", jsonl, {}, sink).is_ok());
  CHECK(rejected == 0);
  REQUIRE(articles.size() == 3000);
  std::map<int, size_t> per_year;
  std::map<std::string, size_t> sources;
  size_t body_bytes = 0;
  for (const Article& a : articles) {
    CHECK_FALSE(check_article(a).has_value());
    per_year[std::stoi(format_iso_date(*a.published).substr(0, 4))]++;
    sources[a.source]++;
    body_bytes += a.body.size();
  }
  CHECK(per_year.begin()->first >= 2000);
  CHECK(per_year.rbegin()->first <= 2024);
  CHECK(per_year[2024] > 4 * per_year[2005]);  // recent years are denser
  CHECK(sources.size() == 5);
  double average = static_cast<double>(body_bytes) / articles.size();
  CHECK(average > 500);
  CHECK(average < 3000);
}

TEST_CASE("synthetic queries parse, and each matches the archive they were drawn from",
          "[synth]") {
  SyntheticOptions options;
  options.articles = 2000;
  TempDir dir;
  IndexWriterOptions writer_options;
  writer_options.create_if_missing = true;
  {
    auto writer = IndexWriter::open(dir.path().string(), writer_options);
    REQUIRE(writer.is_ok());
    SyntheticArchive archive(options);
    Analyzer analyzer;
    for (uint64_t i = 0; i < options.articles; ++i)
      REQUIRE((*writer)->add(prepare_article(archive.article(i), analyzer)).is_ok());
    REQUIRE((*writer)->commit().is_ok());
  }
  auto snapshot = IndexSnapshot::open(dir.path().string());
  REQUIRE(snapshot.is_ok());
  std::string tsv = capture([&](std::FILE* f) { return write_synthetic_queries(options, 20, f); });
  std::map<std::string, size_t> per_kind;
  Analyzer analyzer;
  size_t at = 0;
  while (at < tsv.size()) {
    size_t end = tsv.find('\n', at);
    std::string line = tsv.substr(at, end - at);
    at = end + 1;
    std::string kind = line.substr(0, line.find('\t')), text = line.substr(line.find('\t') + 1);
    CAPTURE(line);
    per_kind[kind]++;
    ParseResult parsed = parse_query(text);
    REQUIRE(parsed.ok());
    auto plan = plan_query(*parsed.query, analyzer);
    REQUIRE(plan);
    auto result = search(**snapshot, *plan, {});
    REQUIRE(result.is_ok());
    // Every kind but bool is drawn from one article that it must match (bool's NOT word
    // may happen to occur in it).
    if (kind != "bool") CHECK(result->total > 0);
  }
  CHECK(per_kind.size() == 11);
  for (const auto& [kind, n] : per_kind) CHECK(n == 20);
}
