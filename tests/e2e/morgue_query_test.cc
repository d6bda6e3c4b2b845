// morgue-query end to end on the Reuters corpus: text and JSON output, counts, sorting,
// colour, and the exit codes of errors.
#include <catch2/catch.hpp>

#include <regex>
#include <simdjson.h>

#include "tests/support/paths.h"
#include "tests/support/run.h"
#include "tests/support/temp_dir.h"

using namespace morgue::testing;

namespace {

std::string q(const std::string& s) { return "'" + s + "'"; }

const std::string& reuters_index() {
  static TempDir dir;
  static const std::string index = [] {
    std::string path = dir.file("reuters");
    RunResult r = run(morgue_index() + " build --index " + q(path) + " " +
                      q(shared_path("corpus/reuters21578")));
    if (r.exit_code != 0) FAIL(r.output);
    return path;
  }();
  return index;
}

RunResult query(const std::string& text, const std::string& flags = "") {
  return run(morgue_query() + " " + q(reuters_index()) + " " + q(text) + " " + flags);
}

std::vector<std::string> lines(const std::string& s) {
  std::vector<std::string> out;
  size_t at = 0;
  while (at < s.size()) {
    size_t end = s.find('\n', at);
    out.push_back(s.substr(at, end - at));
    if (end == std::string::npos) break;
    at = end + 1;
  }
  return out;
}

}  // namespace

TEST_CASE("morgue-query prints ranked hits with snippets", "[e2e][query]") {
  RunResult r = query("id:1 OR cocoa", "-n 3 --color never");
  REQUIRE(r.exit_code == 0);
  auto out = lines(r.output);
  REQUIRE(out.size() >= 3);
  CHECK(std::regex_match(out[0], std::regex("[0-9]+ matches, showing 1-3")));
  CHECK(std::regex_search(out[1], std::regex(R"(^  1\. 1987-\d\d-\d\d Reuters  .*\[id \d+, score \d+\.\d{3}\]$)")));
  CHECK(r.output.find("\x1b[") == std::string::npos);
  RunResult colored = query("cocoa", "-n 1 --color always");
  CHECK_THAT(colored.output, Catch::Contains("\x1b[1;31m"));
}

TEST_CASE("morgue-query --json gives one object a hit with the article's fields",
          "[e2e][query]") {
  RunResult r = query("id:1", "--json");
  REQUIRE(r.exit_code == 0);
  auto out = lines(r.output);
  REQUIRE(out.size() == 1);
  simdjson::dom::parser parser;
  simdjson::dom::element hit;
  REQUIRE_FALSE(parser.parse(out[0]).get(hit));
  CHECK(std::string_view(hit["id"].get_string().value()) == "1");
  CHECK(std::string_view(hit["headline"].get_string().value()) == "BAHIA COCOA REVIEW");
  CHECK(std::string_view(hit["date"].get_string().value()) == "1987-02-26T15:01:01Z");
  CHECK(std::string_view(hit["source"].get_string().value()) == "Reuters");
  CHECK(hit["rank"].get_int64().value() == 1);
  CHECK(hit["entities"].get_array().size() == 3);
  CHECK_THAT(std::string(hit["snippet"].get_string().value()), Catch::Contains("Showers continued"));
}

TEST_CASE("morgue-query --count equals the number of hits it lists", "[e2e][query]") {
  for (const char* text : {"oil date:1987-03", "\"told reuters\"", "place:usa NOT earnings",
                           "headline:cocoa OR topic:coffee"}) {
    CAPTURE(text);
    RunResult count = query(text, "--count");
    REQUIRE(count.exit_code == 0);
    size_t n = std::stoul(count.output);
    CHECK(n > 0);
    RunResult all = query(text, "--json -n 100000");
    CHECK(lines(all.output).size() == n);
  }
}

TEST_CASE("morgue-query counts exactly to 1000, then says \"at least\" unless --exact-count",
          "[e2e][query]") {
  size_t exact = std::stoul(query("cocoa OR said", "--count").output);
  REQUIRE(exact > 5000);
  RunResult pruned = query("cocoa OR said", "-n 10 --color never");
  RunResult full = query("cocoa OR said", "-n 10 --color never --exact-count");
  REQUIRE(pruned.exit_code == 0);
  REQUIRE(full.exit_code == 0);
  std::smatch m;
  std::string first = lines(pruned.output)[0];
  REQUIRE(std::regex_match(first, m, std::regex("at least ([0-9]+) matches, showing 1-10")));
  size_t lower_bound = std::stoul(m[1]);
  CHECK(lower_bound >= 1000);
  CHECK(lower_bound < exact);  // pruning skipped documents that could not reach the top
  CHECK(lines(full.output)[0] == std::to_string(exact) + " matches, showing 1-10");
  // The same ten hits either way.
  CHECK(pruned.output.substr(pruned.output.find('\n')) == full.output.substr(full.output.find('\n')));
  // Fewer than 1000 matches are always counted exactly.
  CHECK(std::regex_match(lines(query("cocoa", "-n 1 --color never").output)[0],
                         std::regex("[0-9]+ matches, showing 1-1")));
}

TEST_CASE("morgue-query --sort newest and --offset page through by date", "[e2e][query]") {
  RunResult first = query("crude", "--sort newest -n 5 --json");
  RunResult second = query("crude", "--sort newest -n 5 --offset 5 --json");
  std::vector<std::string> dates;
  for (const auto& page : {first, second}) {
    for (const auto& line : lines(page.output)) {
      std::smatch m;
      REQUIRE(std::regex_search(line, m, std::regex("\"date\":\"([^\"]+)\"")));
      dates.push_back(m[1]);
    }
  }
  REQUIRE(dates.size() == 10);
  CHECK(std::is_sorted(dates.rbegin(), dates.rend()));
}

TEST_CASE("morgue-query errors: syntax with a caret (exit 2), missing index (exit 1)",
          "[e2e][query]") {
  RunResult syntax = query("rafah AND (gaza");
  CHECK(syntax.exit_code == 2);
  CHECK_THAT(syntax.output, Catch::Contains("syntax error at column 11"));
  CHECK_THAT(syntax.output, Catch::Contains("            ^"));
  RunResult missing = run(morgue_query() + " /no/such/index rafah");
  CHECK(missing.exit_code == 1);
  CHECK_THAT(missing.output, Catch::Contains("no such index directory"));
  RunResult nothing = query("--- ...");
  CHECK(nothing.exit_code == 2);
}

TEST_CASE("morgue-query matches entity names whatever their case and punctuation",
          "[e2e][query]") {
  RunResult spaced = query("place:\"El Salvador\"", "--count");
  RunResult slug = query("place:el-salvador", "--count");
  REQUIRE(spaced.exit_code == 0);
  CHECK(std::stoul(spaced.output) > 0);
  CHECK(spaced.output == slug.output);
  RunResult first = query("place:\"El Salvador\" AND cocoa", "--json -n 1");
  CHECK_THAT(first.output, Catch::Contains("\"name\":\"el-salvador\""));
}
