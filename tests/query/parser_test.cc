// The query language: golden tables of queries and their canonical trees, of errors and
// their columns, every dev query, and random inputs.
#include <catch2/catch.hpp>

#include <fstream>
#include <random>

#include "common/analysis/analyzer.h"
#include "query/parser/parser.h"
#include "query/plan.h"
#include "tests/support/paths.h"

using namespace morgue;

namespace {

std::string parsed(std::string_view q, bool default_or = false) {
  ParseOptions options;
  options.default_or = default_or;
  ParseResult r = parse_query(q, options);
  if (!r.ok()) return "ERROR " + std::to_string(r.error.column) + ": " + r.error.message;
  return to_string(*r.query);
}

}  // namespace

TEST_CASE("parser golden table: every construct and the precedence of operators", "[parser]") {
  const std::pair<const char*, const char*> rows[] = {
      {"rafah", "rafah"},
      {"Rafah", "Rafah"},
      {"rafah offensive", "(AND rafah offensive)"},
      {"rafah AND offensive", "(AND rafah offensive)"},
      {"rafah OR gaza", "(OR rafah gaza)"},
      {"rafah or gaza", "(AND rafah or gaza)"},  // operators are upper case only
      {"a b OR c d", "(OR (AND a b) (AND c d))"},
      {"a OR b c", "(OR a (AND b c))"},
      {"a AND b OR c", "(OR (AND a b) c)"},
      {"a OR b AND c", "(OR a (AND b c))"},
      {"(a OR b) c", "(AND (OR a b) c)"},
      {"((a))", "a"},
      {"a (b (c d))", "(AND a b c d)"},
      {"a OR (b OR c)", "(OR a b c)"},
      {"a NOT b", "(NOT a b)"},
      {"a -b", "(NOT a b)"},
      {"a - b", "(AND a b)"},      // a dash standing alone is punctuation
      {"rafah -", "rafah"},
      {"rafah -- gaza", "(AND rafah gaza)"},  // a typed dash, not a negation
      {"a --b", "(AND a b)"},
      {"\"a\"-b", "(AND \"a\" b)"},  // not at a clause start: no negation, no dash kept
      {"(a OR b)-AND c", "(AND (OR a b) c)"},      // found by fuzz_query_parser
      {"(x)-place:gaza", "(AND x (FILTER place gaza))"},
      {"a NOT b NOT c", "(NOT a (OR b c))"},
      {"a b NOT c", "(NOT (AND a b) c)"},
      {"a NOT (b OR c)", "(NOT a (OR b c))"},
      {"NOT gaza", "(NOT (ALL) gaza)"},
      {"-gaza", "(NOT (ALL) gaza)"},
      {"a OR NOT b", "(OR a (NOT (ALL) b))"},
      {"(a NOT b) OR c", "(OR (NOT a b) c)"},
      {"high-level", "high-level"},
      {"a-b -c", "(NOT a-b c)"},
      {"\"joint statement\"", "\"joint statement\""},
      {"\"Rafah\"", "\"Rafah\""},
      {"rafah \"joint statement\" gaza", "(AND rafah \"joint statement\" gaza)"},
      {"\"a b\" OR \"c d\"", "(OR \"a b\" \"c d\")"},
      {"headline:ceasefire", "headline:ceasefire"},
      {"HEADLINE:ceasefire", "headline:ceasefire"},
      {"headline:\"ceasefire talks\"", "headline:\"ceasefire talks\""},
      {"headline:(a OR \"b c\")", "(OR headline:a headline:\"b c\")"},
      {"person:\"joe biden\"", "(FILTER person joe-biden)"},
      {"person:Joe", "(FILTER person joe)"},
      {"org:hamas place:gaza", "(AND (FILTER org hamas) (FILTER place gaza))"},
      {"place:\"El Salvador\"", "(FILTER place el-salvador)"},
      {"place:el-salvador", "(FILTER place el-salvador)"},
      {"entity:Netanyahu", "(FILTER entity netanyahu)"},
      {"topic:crude source:Reuters", "(AND (FILTER topic crude) (FILTER source reuters))"},
      {"author:\"Steve Holland\"", "(FILTER author steve-holland)"},
      {"id:Story-7", "(FILTER id Story-7)"},
      {"place:(gaza OR rafah)", "(OR (FILTER place gaza) (FILTER place rafah))"},
      {"place:São", "(FILTER place sao)"},
      {"10:30 meeting", "(AND 10:30 meeting)"},
      {"date:2024-03-01..2024-04-30", "(DATE 2024-03-01..2024-04-30)"},
      {"date:2024-03", "(DATE 2024-03-01..2024-03-31)"},
      {"date:2024-02", "(DATE 2024-02-01..2024-02-29)"},
      {"date:2023-02", "(DATE 2023-02-01..2023-02-28)"},
      {"date:2024", "(DATE 2024-01-01..2024-12-31)"},
      {"date:2024-03-05", "(DATE 2024-03-05..2024-03-05)"},
      {"date:2024-03-01..", "(DATE 2024-03-01..)"},
      {"date:..2024-04-30", "(DATE ..2024-04-30)"},
      {"date:2024-01..2024-03", "(DATE 2024-01-01..2024-03-31)"},
      {"date:1987..1988", "(DATE 1987-01-01..1988-12-31)"},
      {"oil date:1987-03", "(AND oil (DATE 1987-03-01..1987-03-31))"},
      {"(government OR level) AND money NOT drawings",
       "(NOT (AND (OR government level) money) drawings)"},
      {"\"dividend unilever\" AND total", "(AND \"dividend unilever\" total)"},
      {"corp AND place:usa", "(AND corp (FILTER place usa))"},
      {"32,000 U.S.", "(AND 32,000 U.S.)"},
      {"  spaced   out  ", "(AND spaced out)"},
      {"東京 タワー", "(AND 東京 タワー)"},
  };
  for (const auto& [query, expected] : rows) {
    CAPTURE(query);
    CHECK(parsed(query) == expected);
  }
}

TEST_CASE("parser: --or joins adjacent clauses with OR, and explicit AND still binds tighter",
          "[parser]") {
  CHECK(parsed("a b c", true) == "(OR a b c)");
  CHECK(parsed("a b AND c", true) == "(OR a (AND b c))");
  CHECK(parsed("a NOT b", true) == "(NOT a b)");
  CHECK(parsed("a b NOT c", true) == "(OR a (NOT b c))");
}

TEST_CASE("parser golden table: every error says what and where", "[parser]") {
  struct Row {
    const char* query;
    const char* message;
    size_t column;
  };
  const Row rows[] = {
      {"", "empty query", 1},
      {"   ", "empty query", 4},
      {"rafah AND", "AND needs a clause after it", 7},
      {"rafah OR", "OR needs a clause after it", 7},
      {"AND rafah", "unexpected 'AND'", 1},
      {"OR", "unexpected 'OR'", 1},
      {"rafah NOT", "NOT needs a clause after it", 7},
      {"--", "empty query", 3},  // found by fuzz_query_parser: a typed dash, nothing else
      {"rafah AND OR gaza", "AND needs a clause after it", 7},
      {"(rafah", "unmatched '('", 1},
      {"rafah (gaza OR (x)", "unmatched '('", 7},
      {"rafah)", "unmatched ')'", 6},
      {"()", "empty parentheses", 1},
      {"a ( ) b", "empty parentheses", 3},
      {"\"joint statement", "unterminated quote", 1},
      {"rafah \"", "unterminated quote", 7},
      {"\"\"", "empty phrase", 1},
      {"\"  \"", "empty phrase", 1},
      {"foo:bar", "unknown field 'foo'", 1},
      {"rafah Colour:red", "unknown field 'colour'", 7},
      {"place:", "'place:' needs a value after it", 1},
      {"place: gaza", "'place:' needs a value after it", 1},
      {"place:--", "place: the value has no letters or digits", 1},
      {"date:2024-02-30", "is not a date or range", 6},
      {"date:2024-13", "is not a date or range", 6},
      {"date:yesterday", "is not a date or range", 6},
      {"date:..", "is not a date or range", 6},
      {"date:2024-05-01..2024-04-01", "the range ends before it starts", 6},
      {"date:(2024)", "date: needs a date or range", 1},
      {"place:(date:2024)", "a field cannot apply to another field", 1},
      {"né \xff", "invalid UTF-8 in the query", 4},
      {"São )", "unmatched ')'", 5},
  };
  for (const Row& row : rows) {
    CAPTURE(row.query);
    ParseResult r = parse_query(row.query);
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.error.message, Catch::Contains(row.message));
    CHECK(r.error.column == row.column);
  }
}

TEST_CASE("parser: parentheses and NOTs nest at most kMaxQueryNesting deep", "[parser]") {
  // The parser, the planner and the search recurse once a level: a fuzzer's 2,203 open
  // parentheses overflowed the stack. At the limit a query parses and plans, and written
  // back (every AND, OR and NOT bracketed, so deeper) it parses to the same tree; one
  // level more is refused at the token that goes too deep.
  const size_t limit = kMaxQueryNesting;
  auto nested = [](size_t depth) {
    return std::string(depth, '(') + "rafah" + std::string(depth, ')');
  };
  auto negated = [](size_t depth) {
    std::string q;
    for (size_t i = 0; i < depth; ++i) q += "NOT ";
    return q + "rafah";
  };
  // Each level an OR of ANDs with a negation: what brackets most when written back.
  std::string busiest = "a";
  for (size_t i = 1; i < limit; i += 2) busiest = "x y NOT (" + busiest + ") OR z";
  ParseOptions written_back;
  written_back.max_nesting = kMaxWrittenBackNesting;
  Analyzer analyzer;
  for (const std::string& q : {nested(limit), negated(limit), busiest,
                               nested(limit / 2) + " AND " + negated(limit / 2)}) {
    CAPTURE(q.substr(0, 40));
    ParseResult r = parse_query(q);
    REQUIRE(r.ok());
    ParseResult again = parse_query(to_query_syntax(*r.query), written_back);
    REQUIRE(again.ok());
    CHECK(to_string(*again.query) == to_string(*r.query));
    CHECK(plan_query(*r.query, analyzer) != nullptr);
  }
  const std::vector<std::pair<std::string, size_t>> too_deep = {
      {nested(limit + 1), limit + 1},  // the 101st parenthesis
      {nested(5000), limit + 1},
      {negated(limit + 1), 4 * limit + 1},  // the 101st NOT
      // 50 parentheses, then the 51st NOT inside them.
      {"a OR " + std::string(limit / 2, '(') + negated(limit / 2 + 1) +
           std::string(limit / 2, ')'),
       6 + limit / 2 + 4 * (limit / 2)},
  };
  for (const auto& [q, column] : too_deep) {
    CAPTURE(q.substr(0, 40));
    ParseResult r = parse_query(q);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error.message == "parentheses and NOTs nested more than 100 deep");
    CHECK(r.error.column == column);
  }
}

TEST_CASE("parser: an error prints the query with a caret under the column", "[parser]") {
  ParseResult r = parse_query("rafah AND (gaza");
  REQUIRE_FALSE(r.ok());
  CHECK(format_parse_error("rafah AND (gaza", r.error) ==
        "  rafah AND (gaza\n            ^\nunmatched '('");
}

TEST_CASE("parser: every query of the dev set parses and plans", "[parser]") {
  std::ifstream in(morgue::testing::shared_path("queries/reuters-dev.tsv"));
  std::string line;
  size_t n = 0;
  Analyzer analyzer;
  while (std::getline(in, line)) {
    std::string query = line.substr(line.find('\t') + 1);
    CAPTURE(query);
    ParseResult r = parse_query(query);
    REQUIRE(r.ok());
    CHECK(plan_query(*r.query, analyzer) != nullptr);
    ++n;
  }
  CHECK(n == 550);
}

TEST_CASE("parser: rendering a parsed query and parsing it again gives the same tree",
          "[parser][property]") {
  const char* const pieces[] = {"rafah", "gaza", "\"joint statement\"", "place:gaza",
                                "headline:talks", "date:2024-03", "person:\"joe biden\"",
                                "date:..2023-01-05", "topic:crude"};
  std::mt19937 rng(31);
  for (int trial = 0; trial < 2000; ++trial) {
    std::string q;
    int n = 1 + static_cast<int>(rng() % 6);
    for (int i = 0; i < n; ++i) {
      if (i) q += std::vector<std::string>{" ", " AND ", " OR ", " NOT "}[rng() % 4];
      bool group = rng() % 4 == 0;
      if (group) q += "(";
      q += pieces[rng() % std::size(pieces)];
      if (group) q += std::string(" OR ") + pieces[rng() % std::size(pieces)] + ")";
    }
    CAPTURE(q);
    ParseResult first = parse_query(q);
    REQUIRE(first.ok());
    std::string syntax = to_query_syntax(*first.query);
    CAPTURE(syntax);
    ParseResult second = parse_query(syntax);
    REQUIRE(second.ok());
    CHECK(to_string(*second.query) == to_string(*first.query));
  }
}

TEST_CASE("parser: random bytes and token soups never crash, and errors point inside",
          "[parser][property]") {
  const char* const soup[] = {"a", "AND", "OR", "NOT", "(", ")", "\"", "-", "place:", "date:",
                              "2024-03", "..", ":", " ", "é", "headline:", "x:y"};
  std::mt19937 rng(77);
  for (int trial = 0; trial < 5000; ++trial) {
    std::string q;
    if (trial % 2) {
      for (int i = 0, n = static_cast<int>(rng() % 12); i < n; ++i) q += soup[rng() % std::size(soup)];
    } else {
      for (int i = 0, n = static_cast<int>(rng() % 20); i < n; ++i) q += static_cast<char>(rng());
    }
    CAPTURE(q);
    ParseResult r = parse_query(q);
    if (!r.ok()) {
      CHECK(r.error.column >= 1);
      CHECK(r.error.column <= q.size() + 1);
      CHECK_FALSE(r.error.message.empty());
    }
  }
}
