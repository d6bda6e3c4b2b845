// The input walker: format detection, directory walking, counts, strictness, and line
// numbers that stay right across the chunks of a large JSON Lines file.
#include <catch2/catch.hpp>

#include <fstream>
#include <set>

#include "indexer/readers/input_walker.h"
#include "tests/support/paths.h"
#include "tests/support/temp_dir.h"

using namespace morgue;
using morgue::testing::TempDir;

namespace {

struct Collected {
  std::vector<Article> articles;
  std::vector<std::string> rejects;  // "path:line: reason"
  std::vector<std::string> skipped;  // paths
};

ArticleSink collecting_sink(Collected& c) {
  ArticleSink sink;
  sink.accept = [&c](Article&& a, const SourceLocation&) { c.articles.push_back(std::move(a)); };
  sink.reject = [&c](const SourceLocation& at, std::string_view reason) {
    c.rejects.push_back(std::string(at.path) + ":" + std::to_string(at.line) + ": " +
                        std::string(reason));
  };
  sink.skip_file = [&c](std::string_view path, std::string_view) {
    c.skipped.emplace_back(path);
  };
  return sink;
}

void write(const std::string& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary);
  out << bytes;
}

}  // namespace

TEST_CASE("walking the Reuters folder yields exactly its 21,578 stories", "[walker][reuters]") {
  Collected c;
  ReadCounts counts;
  Status s = read_inputs({morgue::testing::shared_path("corpus/reuters21578")}, {},
                         collecting_sink(c), counts);
  REQUIRE(s.is_ok());
  CHECK(counts.files == 22);
  CHECK(counts.read == 21578);
  CHECK(counts.accepted == 21578);
  CHECK(counts.rejected == 0);
  CHECK(c.articles.size() == 21578);
  // README.txt, lewis.dtd, the five category lists, the descriptions and the factbook.
  CHECK(counts.skipped_files == 9);
  for (const std::string& path : c.skipped) CHECK(path.find(".sgm") == std::string::npos);
  std::set<std::string> ids;
  for (const Article& a : c.articles) ids.insert(a.id);
  CHECK(ids.size() == 21578);
}

TEST_CASE("walking the project's samples reads every format and skips the README",
          "[walker]") {
  Collected c;
  ReadCounts counts;
  Status s = read_inputs({morgue::testing::source_path("corpus/samples")}, {}, collecting_sink(c),
                         counts);
  REQUIRE(s.is_ok());
  CHECK(counts.files == 5);  // one JSON Lines, one SGML, three text stories
  CHECK(counts.skipped_files == 1);
  // 13 JSON lines + 4 SGML stories + 3 text stories; the text story without a header has no
  // date and is rejected unless --date is given.
  CHECK(counts.read == 20);
  CHECK(counts.rejected == 1);
  REQUIRE(c.rejects.size() == 1);
  CHECK_THAT(c.rejects[0], Catch::Contains("lumenstack-eu-approval.txt:1: missing date"));

  ReadOptions with_date;
  with_date.default_published = 1709596800;  // 2024-03-05
  Collected all;
  ReadCounts all_counts;
  REQUIRE(read_inputs({morgue::testing::source_path("corpus/samples")}, with_date,
                      collecting_sink(all), all_counts)
              .is_ok());
  CHECK(all_counts.accepted == 20);
  CHECK(all_counts.rejected == 0);
}

TEST_CASE("formats are detected from names and content", "[walker]") {
  std::string why;
  CHECK(detect_format("a.jsonl", "{\"id\":1}", why) == InputFormat::kJsonl);
  CHECK(detect_format("a.txt", "\xEF\xBB\xBF  {\"id\":1}", why) == InputFormat::kJsonl);
  CHECK(detect_format("x.sgm", "<!DOCTYPE lewis SYSTEM \"lewis.dtd\">\n<REUTERS NEWID=\"1\">",
                      why) == InputFormat::kReutersSgml);
  CHECK(detect_format("story.txt", "Headline\n\nWASHINGTON (Reuters) - Text.\n", why) ==
        InputFormat::kWireText);
  CHECK(detect_format("b.bin", std::string("ab\0cd", 5), why) == InputFormat::kAuto);
  CHECK(why == "binary file");
  CHECK(detect_format("e.txt", "  \n", why) == InputFormat::kAuto);
  CHECK(why == "empty file");
  CHECK(detect_format("c.jsonl.gz", "\x1f\x8b", why) == InputFormat::kAuto);
  CHECK_THAT(why, Catch::Contains("compressed"));
  CHECK(detect_format("notes.txt", "just some notes\nand more\n", why) == InputFormat::kAuto);
  CHECK_THAT(why, Catch::Contains("--format"));
}

TEST_CASE("a path that does not exist stops the run before anything is read", "[walker]") {
  Collected c;
  ReadCounts counts;
  Status s = read_inputs({morgue::testing::source_path("corpus/samples"), "/no/such/path"}, {},
                         collecting_sink(c), counts);
  CHECK(s.code() == StatusCode::kIOError);
  CHECK_THAT(s.message(), Catch::Contains("/no/such/path"));
  CHECK(counts.read == 0);
}

TEST_CASE("strict mode stops at the first rejected record, naming its file and line",
          "[walker]") {
  TempDir dir;
  std::string path = dir.file("bad.jsonl");
  write(path,
        "{\"id\":\"a\",\"date\":\"2024-01-01\",\"body\":\"one\"}\n"
        "{\"id\":\"b\",\"date\":\"2024-01-01\",\"body\":\"two\"}\n"
        "{not json}\n"
        "{\"id\":\"c\",\"date\":\"2024-01-01\",\"body\":\"three\"}\n");
  ReadOptions strict;
  strict.strict = true;
  Collected c;
  ReadCounts counts;
  Status s = read_inputs({path}, strict, collecting_sink(c), counts);
  CHECK(s.code() == StatusCode::kParseError);
  CHECK_THAT(s.message(), Catch::Contains("bad.jsonl:3:"));
  CHECK(counts.accepted == 2);
  CHECK(counts.rejected == 1);

  Collected lenient;
  ReadCounts lenient_counts;
  REQUIRE(read_inputs({path}, {}, collecting_sink(lenient), lenient_counts).is_ok());
  CHECK(lenient_counts.accepted == 3);
  CHECK(lenient_counts.rejected == 1);
  REQUIRE(lenient.rejects.size() == 1);
  CHECK_THAT(lenient.rejects[0], Catch::Contains("bad.jsonl:3:"));
}

TEST_CASE("line numbers stay exact across the chunks of a large JSON Lines file",
          "[walker]") {
  TempDir dir;
  std::string path = dir.file("big.jsonl");
  std::string body(2000, 'x');
  for (size_t i = 0; i < body.size(); i += 7) body[i] = ' ';
  std::ofstream out(path, std::ios::binary);
  const int kLines = 12000;  // about 24 MB: three chunks
  std::vector<int> bad_lines = {1, 4500, 4501, 9000, kLines};
  for (int line = 1; line <= kLines; ++line) {
    if (std::find(bad_lines.begin(), bad_lines.end(), line) != bad_lines.end()) {
      out << "{\"id\": broken\n";
    } else {
      out << "{\"id\":\"" << line << "\",\"date\":\"2020-01-01\",\"body\":\"" << body << "\"}\n";
    }
  }
  out.close();
  Collected c;
  ReadCounts counts;
  REQUIRE(read_inputs({path}, {}, collecting_sink(c), counts).is_ok());
  CHECK(counts.accepted == kLines - bad_lines.size());
  REQUIRE(c.rejects.size() == bad_lines.size());
  for (size_t i = 0; i < bad_lines.size(); ++i) {
    CHECK_THAT(c.rejects[i], Catch::Contains("big.jsonl:" + std::to_string(bad_lines[i]) + ":"));
  }
  CHECK(c.articles.front().id == "2");
  CHECK(c.articles.back().id == std::to_string(kLines - 1));
}
