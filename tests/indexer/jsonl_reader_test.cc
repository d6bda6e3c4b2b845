// The JSON Lines reader: every field, bad lines with their line numbers and reasons, and
// the round trip with article_to_json (what `morgue-index parse --json` prints).
#include <catch2/catch.hpp>

#include <random>

#include "common/analysis/utf8.h"
#include "common/article/article_json.h"
#include "common/base/time.h"
#include "indexer/readers/jsonl_reader.h"

using namespace morgue;

namespace {

struct Outcome {
  std::vector<Article> articles;
  std::vector<std::pair<uint64_t, std::string>> rejects;
  Status status;
};

Outcome read(std::string_view content, ReadOptions options = {}) {
  Outcome o;
  ArticleSink sink;
  sink.accept = [&](Article&& a, const SourceLocation&) { o.articles.push_back(std::move(a)); };
  sink.reject = [&](const SourceLocation& at, std::string_view why) {
    o.rejects.emplace_back(at.line, std::string(why));
  };
  o.status = read_jsonl("in.jsonl", content, options, sink);
  return o;
}

}  // namespace

TEST_CASE("jsonl: every field of the schema is read", "[jsonl]") {
  Outcome o = read(
      R"({"id":"s1","version":3,"headline":"Port strike","dateline":"ROTTERDAM","byline":"By A B",)"
      R"("authors":["A B"],"body":"Dockworkers walked out.","date":"2023-04-12T09:30:00+02:00",)"
      R"("source":"Morgue Wire","people":["Jeroen Bakker"],"orgs":["Havenbond"],)"
      R"("places":["Netherlands","Rotterdam"],"entities":[{"type":"other","name":"Maersk Line"},)"
      R"({"type":"location","name":"Antwerp"}],"topics":["shipping","labour"],"language":"en",)"
      R"("desk":{"name":"markets","floor":3}})");
  REQUIRE(o.rejects.empty());
  REQUIRE(o.articles.size() == 1);
  const Article& a = o.articles[0];
  CHECK(a.id == "s1");
  CHECK(a.version == 3);
  CHECK(a.headline == "Port strike");
  CHECK(a.dateline == "ROTTERDAM");
  CHECK(a.byline == "By A B");
  CHECK(a.authors == std::vector<std::string>{"A B"});
  CHECK(a.body == "Dockworkers walked out.");
  CHECK(format_iso8601(*a.published) == "2023-04-12T07:30:00Z");
  CHECK(a.source == "Morgue Wire");
  CHECK(a.entities == std::vector<Entity>{{EntityType::kPerson, "Jeroen Bakker"},
                                          {EntityType::kOrg, "Havenbond"},
                                          {EntityType::kPlace, "Netherlands"},
                                          {EntityType::kPlace, "Rotterdam"},
                                          {EntityType::kOther, "Maersk Line"},
                                          {EntityType::kPlace, "Antwerp"}});
  CHECK(a.topics == std::vector<std::string>{"shipping", "labour"});
  CHECK(a.extra == std::vector<ExtraField>{{"desk", R"({"name":"markets","floor":3})"}});
}

TEST_CASE("jsonl: aliases, integer ids and dates, nulls and defaults", "[jsonl]") {
  ReadOptions options;
  options.default_published = 86400;
  options.default_source = "AP";
  Outcome o = read("{\"id\":42,\"title\":\"T\",\"date\":1700000000}\r\n"
                   "\n   \n"
                   "{\"id\":\"d\",\"body\":\"x\",\"date\":null,\"source\":null}\n"
                   "{\"id\":\"e\",\"body\":\"x\",\"date\":\"2021-06-03\"}",
                   options);
  REQUIRE(o.rejects.empty());
  REQUIRE(o.articles.size() == 3);
  CHECK(o.articles[0].id == "42");
  CHECK(o.articles[0].headline == "T");
  CHECK(*o.articles[0].published == 1700000000);
  CHECK(*o.articles[1].published == 86400);
  CHECK(o.articles[1].source == "AP");
  CHECK(format_iso8601(*o.articles[2].published) == "2021-06-03T00:00:00Z");
}

TEST_CASE("jsonl: of two equal keys the last wins", "[jsonl]") {
  Outcome o = read(R"({"id":"a","id":"b","body":"x","date":"2020-01-01"})");
  REQUIRE(o.articles.size() == 1);
  CHECK(o.articles[0].id == "b");
}

TEST_CASE("jsonl: malformed lines are rejected with their line and reason", "[jsonl]") {
  std::string content =
      "{\"id\":\"ok1\",\"body\":\"x\",\"date\":\"2020-01-01\"}\n"  // 1
      "{\"id\":\"a\",\n"                                           // 2: invalid JSON
      "[1,2,3]\n"                                                  // 3: not an object
      "{\"id\":\"b\",\"people\":\"Joe\"}\n"                        // 4: wrong type
      "{\"id\":\"c\",\"date\":\"yesterday\"}\n"                    // 5: bad date
      "{\"id\":\"d\",\"entities\":[{\"type\":\"ship\",\"name\":\"x\"}]}\n"  // 6
      "{\"id\":\"e\",\"body\":\"caf\xE9\"}\n"                      // 7: invalid UTF-8
      "{\"id\":\"f\",\"version\":\"two\"}\n"                       // 8
      "{\"id\":\"ok2\",\"body\":\"y\",\"date\":\"2020-01-02\"}\n";  // 9
  Outcome o = read(content);
  REQUIRE(o.status.is_ok());
  REQUIRE(o.articles.size() == 2);
  CHECK(o.articles[1].id == "ok2");
  REQUIRE(o.rejects.size() == 7);
  std::vector<uint64_t> lines;
  for (const auto& r : o.rejects) lines.push_back(r.first);
  CHECK(lines == std::vector<uint64_t>{2, 3, 4, 5, 6, 7, 8});
  CHECK_THAT(o.rejects[0].second, Catch::StartsWith("invalid JSON"));
  CHECK(o.rejects[1].second == "a line must hold one JSON object");
  CHECK(o.rejects[2].second == "\"people\": expected an array of strings");
  CHECK_THAT(o.rejects[3].second, Catch::Contains("\"yesterday\" is not an ISO 8601 date"));
  CHECK_THAT(o.rejects[4].second, Catch::Contains("unknown entity type \"ship\""));
  CHECK(o.rejects[5].second == "invalid UTF-8 at byte 22");
  CHECK(o.rejects[6].second == "\"version\": expected an integer");

  ReadOptions strict;
  strict.strict = true;
  Outcome stopped = read(content, strict);
  CHECK(stopped.status.code() == StatusCode::kParseError);
  CHECK_THAT(stopped.status.message(), Catch::StartsWith("in.jsonl:2: invalid JSON"));
  CHECK(stopped.articles.size() == 1);
}

TEST_CASE("jsonl: a byte-order mark at the start is skipped", "[jsonl]") {
  Outcome o = read("\xEF\xBB\xBF{\"id\":\"a\",\"body\":\"x\",\"date\":\"2020-01-01\"}\n");
  CHECK(o.rejects.empty());
  CHECK(o.articles.size() == 1);
}

TEST_CASE("jsonl: parse(article_to_json(a)) gives back a", "[jsonl][article-json]") {
  Article a;
  a.id = "id \"quoted\" \\ back";
  a.version = -2;
  a.headline = "Ceasefire talks: “progress” in Zürich\ttab";
  a.dateline = "ZÜRICH";
  a.byline = "By Anna Keller";
  a.authors = {"Anna Keller"};
  a.body = "Line one.\n\nLine two \x01 with a control and 東京.";
  a.published = -86400 * 365;
  a.source = "Morgue Wire";
  a.entities = {{EntityType::kPerson, "Anna Keller"},
                {EntityType::kOrg, "Swiss National Bank"},
                {EntityType::kPlace, "Zürich"},
                {EntityType::kOther, "SMI"}};
  a.topics = {"rates"};
  a.language = "de";
  a.extra = {{"desk", "\"markets\""}, {"scores", "[1,2.5,null]"}};
  std::string json = article_to_json(a);
  CHECK(json.find('\n') == std::string::npos);
  Article back;
  REQUIRE(parse_jsonl_article(json, {}, back).is_ok());
  CHECK(back == a);
}

TEST_CASE("jsonl: mutated lines never crash and are read or rejected", "[jsonl][property]") {
  const std::string seed_line =
      R"({"id":"x1","headline":"H","body":"Body \u00e9 text","date":"2020-01-01T00:00:00Z",)"
      R"("people":["A"],"entities":[{"type":"org","name":"B"}],"extra":[1,{"k":"v"}]})";
  std::mt19937 rng(99);
  for (int trial = 0; trial < 3000; ++trial) {
    std::string line = seed_line;
    int edits = 1 + static_cast<int>(rng() % 4);
    for (int e = 0; e < edits && !line.empty(); ++e) {
      size_t at = rng() % line.size();
      switch (rng() % 3) {
        case 0: line[at] = static_cast<char>(rng()); break;
        case 1: line.erase(at, 1 + rng() % 5); break;
        default: line.insert(at, 1, "{}[]\",:\\"[rng() % 8]); break;
      }
    }
    line.erase(std::remove(line.begin(), line.end(), '\n'), line.end());
    CAPTURE(line);
    Outcome o = read(line);
    CHECK(o.articles.size() + o.rejects.size() <= 1);
    for (const Article& a : o.articles) {
      CHECK_FALSE(find_invalid_utf8(a.body).has_value());
      CHECK_FALSE(find_invalid_utf8(a.headline).has_value());
    }
  }
}
