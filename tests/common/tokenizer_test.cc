// The tokenizer's rules as a golden table, plus properties on random text.
#include <catch2/catch.hpp>

#include <random>

#include "common/analysis/folding.h"
#include "common/analysis/tokenizer.h"
#include "common/analysis/utf8.h"

using namespace morgue;

namespace {

std::vector<std::string> words(std::string_view text) {
  std::vector<Token> tokens;
  tokenize(text, 0, tokens);
  std::vector<std::string> out;
  for (const Token& t : tokens) out.push_back(t.text);
  return out;
}

using W = std::vector<std::string>;

}  // namespace

TEST_CASE("tokenizer golden table", "[tokenizer]") {
  struct Row {
    const char* text;
    W expected;
  };
  const Row rows[] = {
      // splitting and folding
      {"Rafah offensive", {"rafah", "offensive"}},
      {"  Élysée  Palace ", {"elysee", "palace"}},
      {"STRASSE Straße", {"strasse", "strasse"}},
      {"ﬁnance", {"finance"}},
      {"São Paulo, Zürich; Ålesund!", {"sao", "paulo", "zurich", "alesund"}},
      {"", {}},
      {" .,;:!?()[]{} -- ", {}},
      // apostrophes
      {"Hamas' fighters", {"hamas", "fighters"}},
      {"Hamas’ last battalions", {"hamas", "last", "battalions"}},
      {"Israel's assault", {"israel", "assault"}},
      {"Israel’s count", {"israel", "count"}},
      {"O'Brien don't", {"o'brien", "don't"}},
      {"the union’s strike", {"the", "union", "strike"}},
      {"'quoted'", {"quoted"}},
      {"rock 'n' roll", {"rock", "n", "roll"}},
      // hyphens
      {"high-level meeting", {"high", "level", "meeting"}},
      {"F-15 aircraft", {"f", "15", "aircraft"}},
      {"six-week ceasefire", {"six", "week", "ceasefire"}},
      {"2-1/2 hour", {"2", "1", "2", "hour"}},
      // abbreviations
      {"U.S. officials", {"us", "officials"}},
      {"the U.N. on March 25", {"the", "un", "on", "march", "25"}},
      {"U.S.A today", {"usa", "today"}},
      {"J.R.R. Tolkien", {"jrr", "tolkien"}},
      {"A. Smith", {"a", "smith"}},
      {"end of sentence. Next", {"end", "of", "sentence", "next"}},
      // numbers
      {"32,000 people", {"32000", "people"}},
      {"1,750 to 1,780 dlrs", {"1750", "to", "1780", "dlrs"}},
      {"5.93 mln", {"5.93", "mln"}},
      {"4,340.5 tonnes", {"4340.5", "tonnes"}},
      {"in 1987.", {"in", "1987"}},
      {"1,200, and", {"1200", "and"}},
      {"$18 billion", {"18", "billion"}},
      {"4.25% rate", {"4.25", "rate"}},
      {"covid19 b52", {"covid19", "b52"}},
      {"15:01:01", {"15", "01", "01"}},
      // scripts without spaces
      {"東京都", {"東", "京", "都"}},
  };
  for (const Row& row : rows) {
    CAPTURE(row.text);
    CHECK(words(row.text) == row.expected);
  }
}

TEST_CASE("tokens carry consecutive positions and their byte spans", "[tokenizer]") {
  std::string text = "Israel's U.S. deal, 32,000";
  std::vector<Token> tokens;
  uint32_t next = tokenize(text, 7, tokens);
  REQUIRE(tokens.size() == 4);
  CHECK(next == 11);
  CHECK(tokens[0] == Token{"israel", 7, 0, 8});
  CHECK(tokens[1] == Token{"us", 8, 9, 13});
  CHECK(tokens[2] == Token{"deal", 9, 14, 18});
  CHECK(tokens[3] == Token{"32000", 10, 20, 26});
  CHECK(text.substr(tokens[1].byte_begin, tokens[1].byte_end - tokens[1].byte_begin) == "U.S.");
}

TEST_CASE("a token over the length limit is dropped but keeps its position", "[tokenizer]") {
  std::string long_word(kMaxTokenBytes + 1, 'x');
  std::vector<Token> tokens;
  uint32_t next = tokenize("before " + long_word + " after", 0, tokens);
  REQUIRE(tokens.size() == 2);
  CHECK(tokens[0].position == 0);
  CHECK(tokens[1].position == 2);
  CHECK(next == 3);
  std::vector<Token> exact;
  tokenize(std::string(kMaxTokenBytes, 'y'), 0, exact);
  CHECK(exact.size() == 1);
}

TEST_CASE("random text never breaks the tokenizer's invariants", "[tokenizer][property]") {
  const char32_t alphabet[] = {U'a', U'Z', U'0', U'9', U' ', U'.', U',', U'\'', U'\u2019', U'-',
                               U'é', U'\u0301', U'ß', U'東', U'\n', U'$', U'ﬁ', U'Ω', U'٣',
                               U'\u200B', U'😀', U'İ'};
  std::mt19937 rng(2024);
  for (int trial = 0; trial < 2000; ++trial) {
    std::string text;
    size_t length = rng() % 60;
    for (size_t k = 0; k < length; ++k) append_utf8(text, alphabet[rng() % std::size(alphabet)]);
    CAPTURE(text);
    std::vector<Token> tokens;
    uint32_t next = tokenize(text, 5, tokens);
    uint32_t last = 4;
    for (const Token& t : tokens) {
      CHECK_FALSE(t.text.empty());
      CHECK(t.text.size() <= kMaxTokenBytes);
      CHECK_FALSE(find_invalid_utf8(t.text).has_value());
      CHECK(fold(t.text) == t.text);
      CHECK(t.position > last);
      CHECK(t.byte_begin < t.byte_end);
      CHECK(t.byte_end <= text.size());
      last = t.position;
    }
    CHECK(next > last);
  }
}
