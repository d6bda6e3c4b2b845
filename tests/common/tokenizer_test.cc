// The tokenizer's rules as a golden table, plus properties on random text.
#include <catch2/catch.hpp>

#include <cstdlib>
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

// MORGUE_TEST_SEED replays one seed of a randomized test.
uint64_t test_seed(uint64_t fallback) {
  const char* env = std::getenv("MORGUE_TEST_SEED");
  return env ? std::strtoull(env, nullptr, 10) : fallback;
}

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
      {"ISRAEL'S army", {"israel", "army"}},
      {"O'Brien's dog", {"o'brien", "dog"}},
      {"José's car", {"jose", "car"}},
      {"Jose\u0301's car", {"jose", "car"}},  // decomposed accent before the apostrophe
      {"the 1990s", {"the", "1990s"}},
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
      {"the U.S.'s position", {"the", "us", "position"}},
      {"U\u0308.S.", {"us"}},  // decomposed letters still abbreviate
      {"e.g. at 5 p.m.", {"eg", "at", "5", "pm"}},
      {"U.S.-led talks", {"us", "led", "talks"}},
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
      {"Tokyo東京 Москва 서울 Αθήνα", {"tokyo", "東", "京", "москва", "서울", "αθηνα"}},
      {"カ・カ", {"カ", "カ"}},                     // the katakana middle dot separates
      {"\u304B\u3099", {"\u304B"}},               // the dakuten folds away like an accent
      {"x'東", {"x", "東"}},
  };
  for (const Row& row : rows) {
    CAPTURE(row.text);
    CHECK(words(row.text) == row.expected);
  }
}

TEST_CASE("tokenizer golden table with positions and byte spans", "[tokenizer]") {
  struct Row {
    const char* text;
    std::vector<Token> expected;
    uint32_t next;
  };
  const Row rows[] = {
      {"", {}, 3},
      {"?!", {}, 3},
      {"Élysée", {{"elysee", 3, 0, 8}}, 4},
      {"Hamas’ men", {{"hamas", 3, 0, 5}, {"men", 4, 9, 12}}, 5},
      {"Israel's", {{"israel", 3, 0, 8}}, 4},
      {"'don't'", {{"don't", 3, 1, 6}}, 4},
      {"high-level", {{"high", 3, 0, 4}, {"level", 4, 5, 10}}, 5},
      {"F-15", {{"f", 3, 0, 1}, {"15", 4, 2, 4}}, 5},
      {"U.N. vote", {{"un", 3, 0, 4}, {"vote", 4, 5, 9}}, 5},
      {"U.S.A", {{"usa", 3, 0, 5}}, 4},
      {"4,340.5.", {{"4340.5", 3, 0, 7}}, 4},
      {"$18", {{"18", 3, 1, 3}}, 4},
      {"in 1987.", {{"in", 3, 0, 2}, {"1987", 4, 3, 7}}, 5},
      {"東京", {{"東", 3, 0, 3}, {"京", 4, 3, 6}}, 5},
  };
  for (const Row& row : rows) {
    CAPTURE(row.text);
    std::vector<Token> tokens;
    CHECK(tokenize(row.text, 3, tokens) == row.next);
    CHECK(tokens == row.expected);
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

TEST_CASE("folded words lie end to end, a dropped word's bytes taken back", "[tokenizer]") {
  // Appended to one FoldedWords: an ASCII text with a word over the limit, then a text
  // folded by utf8proc (decomposed accent, ligature, an ideograph), then another over the
  // limit in it.
  const std::string too_long(kMaxTokenBytes + 1, 'Q');
  const std::string ascii = "Gaza CEASEFIRE " + too_long + " talks U.S.'s";
  const std::string unicode = "Zu\u0308rich \uFB01nal \u6771 " + too_long + "\u00E9 end";
  FoldedWords words;
  uint32_t next = tokenize(ascii, 5, words);
  CHECK(next == 10);
  next = tokenize(unicode, next, words);
  CHECK(next == 15);

  std::vector<Token> expected;
  tokenize(unicode, tokenize(ascii, 5, expected), expected);
  const W expected_words = {"gaza", "ceasefire", "talks", "us", "zurich", "final", "\u6771",
                            "end"};
  REQUIRE(words.words.size() == expected_words.size());
  REQUIRE(expected.size() == expected_words.size());
  std::string end_to_end;
  for (size_t i = 0; i < words.words.size(); ++i) {
    const FoldedWord& w = words.words[i];
    CAPTURE(i);
    CHECK(words.text_of(w) == expected_words[i]);
    CHECK(w.text_begin == end_to_end.size());
    CHECK(words.token(w) == expected[i]);
    end_to_end += words.text_of(w);
  }
  CHECK(words.text == end_to_end);
  CHECK(words.words[3].position == 9);   // "us", after the dropped word's position 7
  CHECK(words.words[7].position == 14);  // "end", after the second dropped word
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

TEST_CASE("random code points and repaired random bytes never break the invariants",
          "[tokenizer][property]") {
  uint64_t seed = test_seed(20241124);
  CAPTURE(seed);
  std::mt19937_64 rng(seed);
  // Code points from every plane, weighted towards the blocks news text uses.
  auto random_code_point = [&]() -> char32_t {
    for (;;) {
      uint64_t r = rng() % 8;
      char32_t cp = r < 3   ? static_cast<char32_t>(rng() % 0x80)
                    : r < 5 ? static_cast<char32_t>(rng() % 0x800)
                    : r < 7 ? static_cast<char32_t>(rng() % 0x10000)
                            : static_cast<char32_t>(rng() % 0x110000);
      if (cp != 0 && (cp < 0xD800 || cp > 0xDFFF)) return cp;
    }
  };
  for (int trial = 0; trial < 20000; ++trial) {
    std::string text;
    size_t length = rng() % 40;
    for (size_t k = 0; k < length; ++k) {
      if (rng() % 10 == 0) {
        text.push_back(static_cast<char>(rng()));  // any byte, maybe invalid
      } else if (rng() % 20 == 0) {
        text.append(kMaxTokenBytes - 2 + rng() % 4, 'k');  // near the length limit
      } else {
        append_utf8(text, random_code_point());
      }
    }
    repair_utf8(text);
    CAPTURE(trial, text);
    std::vector<Token> tokens;
    uint32_t next = tokenize(text, 1, tokens);
    uint32_t last = 0;
    for (const Token& t : tokens) {
      REQUIRE_FALSE(t.text.empty());
      REQUIRE(t.text.size() <= kMaxTokenBytes);
      REQUIRE_FALSE(find_invalid_utf8(t.text).has_value());
      REQUIRE(fold(t.text) == t.text);
      REQUIRE(t.position > last);
      REQUIRE(t.byte_begin < t.byte_end);
      REQUIRE(t.byte_end <= text.size());
      last = t.position;
    }
    REQUIRE(next > last);
    REQUIRE(next - 1 <= length);  // each token uses up at least one piece of the text
  }
}

// An ASCII text is read byte by byte, without decoding it; any other text is decoded.
// Oracle: the same text with a non-ASCII word after two spaces (no rule looks across a
// space) takes the decoding path, and must give the same tokens and one more.
TEST_CASE("ASCII texts tokenize as the decoding path does", "[tokenizer][property]") {
  uint64_t seed = test_seed(20261207);
  CAPTURE(seed);
  std::mt19937_64 rng(seed);
  // Every rule's characters: letters of both cases (and 's' for possessives), digits,
  // apostrophes, periods and commas, and separators.
  const std::string alphabet = "aAbZsSU0179 .,'-$\n\t";
  for (int trial = 0; trial < 20000; ++trial) {
    std::string text;
    for (size_t k = 0, n = rng() % 50; k < n; ++k) {
      if (rng() % 30 == 0)
        text.append(kMaxTokenBytes - 2 + rng() % 4, 'K');  // near the length limit
      else
        text += alphabet[rng() % alphabet.size()];
    }
    REQUIRE(is_ascii(text));
    std::string decoded = text + "  \u00C9t\u00E9";
    REQUIRE_FALSE(is_ascii(decoded));
    CAPTURE(trial, text);
    std::vector<Token> got;
    uint32_t next = tokenize(text, 7, got);
    std::vector<Token> expected;
    uint32_t decoded_next = tokenize(decoded, 7, expected);
    REQUIRE_FALSE(expected.empty());
    CHECK(expected.back().text == "ete");
    expected.pop_back();
    CHECK(got == expected);
    CHECK(next + 1 == decoded_next);
  }
}

// tokenize() decodes into a buffer it keeps per thread, and texts longer than that buffer
// (16,384 bytes) into one of their own. Oracle: pieces joined by two spaces tokenize as
// each piece alone (no rule looks across a space), positions and byte spans shifted.
TEST_CASE("texts longer than the kept decode buffer tokenize like their pieces",
          "[tokenizer][property]") {
  const char32_t alphabet[] = {U'a', U'b', U'e', U'r', U's', U'Z', U'U', U'0', U'9', U' ',
                               U'.', U',', U'\'', U'\u2019', U'é', U'\u0301', U'東', U'Ω'};
  std::mt19937 rng(1206);
  for (size_t target : {size_t{100}, size_t{16383}, size_t{16384}, size_t{16385},
                        size_t{40000}, size_t{200}, size_t{70000}, size_t{16384}}) {
    // Pieces while they fit, after spaces that make up the exact size: the sizes around the
    // buffer's must be met exactly, and the text must end with a piece.
    std::vector<std::string> pieces;
    std::string whole;
    for (;;) {
      std::string piece;
      for (size_t k = 0, n = 1 + rng() % 300; k < n; ++k)
        append_utf8(piece, alphabet[rng() % std::size(alphabet)]);
      if (whole.size() + 2 + piece.size() > target) break;
      if (!whole.empty()) whole += "  ";
      whole += piece;
      pieces.push_back(std::move(piece));
    }
    const size_t padding = target - whole.size();
    whole.insert(0, padding, ' ');
    REQUIRE(whole.size() == target);
    CAPTURE(target, whole.size());
    std::vector<Token> expected;
    uint32_t position = 3;
    auto offset = static_cast<uint32_t>(padding);
    for (const std::string& piece : pieces) {
      std::vector<Token> tokens;
      position = tokenize(piece, position, tokens);
      for (Token& t : tokens) {
        t.byte_begin += offset;
        t.byte_end += offset;
        expected.push_back(std::move(t));
      }
      offset += static_cast<uint32_t>(piece.size()) + 2;
    }
    std::vector<Token> got;
    CHECK(tokenize(whole, 3, got) == position);
    CHECK(got == expected);
  }
}

// Found by the random code point test: a combining mark in the kana block (U+3099) became
// a token of its own, empty once folded, and the middle dot U+30FB became a token.
TEST_CASE("kana marks and punctuation never make tokens of their own", "[tokenizer][regression]") {
  CHECK(words("\u3099") == W{});
  CHECK(words("\u30AB\u3099\u30FB") == W{"\u30AB"});
  CHECK(words("\u30FB\u30FC") == W{"\u30FC"});  // the long-vowel mark is a letter (Lm)
}
