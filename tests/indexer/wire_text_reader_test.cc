// The plain-text wire story reader, on the shared modern story and on variants.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "common/base/time.h"
#include "indexer/readers/wire_text_reader.h"
#include "tests/support/paths.h"

using namespace morgue;

namespace {

struct Outcome {
  std::vector<Article> articles;
  std::vector<std::string> rejects, warnings;
};

Outcome read(std::string_view path, std::string_view content, ReadOptions options = {}) {
  Outcome o;
  ArticleSink sink;
  sink.accept = [&](Article&& a, const SourceLocation&) { o.articles.push_back(std::move(a)); };
  sink.reject = [&](const SourceLocation& at, std::string_view why) {
    o.rejects.push_back(std::to_string(at.line) + ": " + std::string(why));
  };
  sink.warn = [&](const SourceLocation&, std::string_view why) { o.warnings.emplace_back(why); };
  REQUIRE(read_wire_text(path, content, options, sink).is_ok());
  return o;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

TEST_CASE("wire text: the shared Reuters story gives headline, authors, place and source",
          "[wire-text]") {
  std::string path = morgue::testing::shared_path("corpus/wire-text/000_2a526e7ea7d263f0.txt");
  std::string content = slurp(path);
  REQUIRE(looks_like_wire_text(content));
  ReadOptions options;
  options.default_published = *parse_iso8601("2024-04-01");
  Outcome o = read(path, content, options);
  REQUIRE(o.articles.size() == 1);
  const Article& a = o.articles[0];
  CHECK(a.id == "000_2a526e7ea7d263f0");
  CHECK(a.headline == "Israelis agree to consider US concerns about Rafah offensive-joint statement");
  CHECK(a.byline == "By Steve Holland and Matt Spetalnick");
  CHECK(a.authors == std::vector<std::string>{"Steve Holland", "Matt Spetalnick"});
  CHECK(a.dateline == "WASHINGTON");
  CHECK(a.entities == std::vector<Entity>{{EntityType::kPlace, "Washington"}});
  CHECK(a.source == "Reuters");
  CHECK(a.body.starts_with("Israeli officials agreed on Monday"));
  CHECK(a.body.ends_with("three sources familiar with the matter said on Monday."));
  CHECK(format_iso8601(*a.published) == "2024-04-01T00:00:00Z");
  REQUIRE(a.extra.size() == 2);
  CHECK(a.extra[0].name == "caption");
  CHECK_THAT(a.extra[0].json, Catch::StartsWith("\"Smoke rises following an Israeli strike"));
  CHECK(a.extra[1].name == "credits");
  CHECK_THAT(a.extra[1].json, Catch::Contains("Reporting by Steve Holland"));
}

TEST_CASE("wire text: a header block gives what the text lacks", "[wire-text]") {
  std::string story =
      "Id: mw-1\nDate: 2024-02-14T16:05:00Z\nSource: Morgue Wire\nTopics: shipping, labour\n"
      "Places: Antwerp; Rotterdam\nVersion: 2\n\n"
      "Dockers walk out\n\nBy Anna Keller & Tom Vos\n\n"
      "ROTTERDAM (Reuters) – Dockworkers walked out on Wednesday.\n\nMore text\nwrapped.\n";
  REQUIRE(looks_like_wire_text(story));
  Outcome o = read("x.txt", story);
  REQUIRE(o.articles.size() == 1);
  const Article& a = o.articles[0];
  CHECK(a.id == "mw-1");
  CHECK(a.version == 2);
  CHECK(a.source == "Morgue Wire");
  CHECK(format_iso8601(*a.published) == "2024-02-14T16:05:00Z");
  CHECK(a.topics == std::vector<std::string>{"shipping", "labour"});
  CHECK(a.authors == std::vector<std::string>{"Anna Keller", "Tom Vos"});
  CHECK(a.body == "Dockworkers walked out on Wednesday.\n\nMore text wrapped.");
  CHECK(a.entities == std::vector<Entity>{{EntityType::kPlace, "Antwerp"},
                                          {EntityType::kPlace, "Rotterdam"},
                                          {EntityType::kPlace, "Rotterdam"}});
}

TEST_CASE("wire text: datelines with a comma or several words name the place", "[wire-text]") {
  Outcome o = read("g.txt", "Headline\n\nGAZA CITY, Gaza Strip (AFP) - Text here.\n");
  REQUIRE(o.articles.size() == 1);
  CHECK(o.articles[0].dateline == "GAZA CITY, Gaza Strip");
  CHECK(o.articles[0].entities == std::vector<Entity>{{EntityType::kPlace, "Gaza City"}});
  CHECK(o.articles[0].source == "AFP");
  CHECK(o.articles[0].body == "Text here.");
}

TEST_CASE("wire text: a story without dateline keeps its text as body", "[wire-text]") {
  ReadOptions options;
  options.default_source = "AP";
  Outcome o = read("n.txt", "Headline here\n\nFirst paragraph.\n\nSecond.\n", options);
  REQUIRE(o.articles.size() == 1);
  CHECK(o.articles[0].headline == "Headline here");
  CHECK(o.articles[0].body == "First paragraph.\n\nSecond.");
  CHECK(o.articles[0].source == "AP");
  CHECK_FALSE(o.articles[0].published.has_value());  // check_article() will say so
}

TEST_CASE("wire text: invalid UTF-8 is repaired with a warning", "[wire-text]") {
  Outcome o = read("u.txt", "Caf\xE9 news\n\nPARIS (AFP) - Caf\xE9s closed.\n");
  REQUIRE(o.articles.size() == 1);
  CHECK(o.articles[0].headline == "Caf\xEF\xBF\xBD news");
  REQUIRE(o.warnings.size() == 1);
  CHECK_THAT(o.warnings[0], Catch::Contains("invalid UTF-8"));
}

TEST_CASE("wire text: a bad header is rejected with its line", "[wire-text]") {
  Outcome o = read("h.txt", "Id: a\nDate: someday\n\nHeadline\n");
  CHECK(o.articles.empty());
  REQUIRE(o.rejects.size() == 1);
  CHECK_THAT(o.rejects[0], Catch::StartsWith("2: Date: \"someday\""));
}

TEST_CASE("wire text: non-article text files are not taken for stories", "[wire-text]") {
  for (const char* name : {"README.txt", "all-places-strings.lc.txt", "cat-descriptions_120396.txt",
                           "feldman-cia-worldfactbook-data.txt", "lewis.dtd"}) {
    CAPTURE(name);
    CHECK_FALSE(looks_like_wire_text(
        slurp(morgue::testing::shared_path(std::string("corpus/reuters21578/") + name))));
  }
}
