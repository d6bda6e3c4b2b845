// UTF-8 validation, repair and Latin-1 conversion.
#include <catch2/catch.hpp>

#include <utf8proc.h>

#include <random>

#include "common/analysis/utf8.h"

using namespace morgue;

// is_ascii reads eight bytes at a time, then the rest one by one: one high byte at every
// place of texts of 0 to 40 bytes, in either part.
TEST_CASE("is_ascii finds a byte of 0x80 or more anywhere", "[utf8]") {
  for (size_t length = 0; length <= 40; ++length) {
    std::string text(length, 'a');
    for (size_t i = 0; i < length; ++i) text[i] = static_cast<char>(0x01 + (i * 37) % 0x7F);
    CAPTURE(length);
    CHECK(is_ascii(text));
    for (size_t at = 0; at < length; ++at) {
      for (unsigned char high : {0x80, 0xC3, 0xFF}) {
        std::string damaged = text;
        damaged[at] = static_cast<char>(high);
        CAPTURE(at, high);
        CHECK_FALSE(is_ascii(damaged));
      }
    }
  }
}

TEST_CASE("invalid UTF-8 is found at its first bad byte", "[utf8]") {
  CHECK_FALSE(find_invalid_utf8("plain ascii").has_value());
  CHECK_FALSE(find_invalid_utf8("São Paulo 東京 😀").has_value());
  CHECK(find_invalid_utf8("ab\xC3") == 2u);              // truncated sequence
  CHECK(find_invalid_utf8("ab\xC0\xAF") == 2u);          // overlong '/'
  CHECK(find_invalid_utf8("\xE0\x80\xAF") == 0u);        // overlong, three bytes
  CHECK(find_invalid_utf8("x\xED\xA0\x80") == 1u);       // a UTF-16 surrogate
  CHECK(find_invalid_utf8("\xF4\x90\x80\x80") == 0u);    // above U+10FFFF
  CHECK(find_invalid_utf8("ok\x80") == 2u);              // a lone continuation byte
  CHECK(find_invalid_utf8("\xFF") == 0u);
}

// find_invalid_utf8 asks simdjson's validator first; the oracle is utf8proc's decoder,
// sequence by sequence. Random texts mix ASCII runs (longer than a SIMD block) with valid
// multi-byte letters and, in most, a damaged byte, at every offset.
TEST_CASE("invalid UTF-8 is found where utf8proc's decoder fails, on random text",
          "[utf8][property]") {
  auto oracle = [](const std::string& text) -> std::optional<size_t> {
    size_t i = 0;
    while (i < text.size()) {
      utf8proc_int32_t cp;
      utf8proc_ssize_t n =
          utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(text.data() + i),
                           static_cast<utf8proc_ssize_t>(text.size() - i), &cp);
      if (n <= 0) return i;
      i += static_cast<size_t>(n);
    }
    return std::nullopt;
  };
  const char* pieces[] = {"a", "The quick brown fox jumps over the lazy dog. ", "é", "東",
                          "😀", "\xED\x9F\xBF", "\xEE\x80\x80", "\xF4\x8F\xBF\xBF"};
  const char* damage[] = {"\x80", "\xC0\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80",
                          "\xE0\x80\xAF", "\xC3", "\xFF", "\xF0\x9F\x98"};
  std::mt19937 rng(1206);
  size_t invalid = 0;
  for (int trial = 0; trial < 20000; ++trial) {
    std::string text;
    for (size_t n = rng() % 40; n > 0; --n) text += pieces[rng() % std::size(pieces)];
    if (trial % 4 != 0) text.insert(rng() % (text.size() + 1), damage[rng() % std::size(damage)]);
    CAPTURE(trial, text);
    auto expected = oracle(text);
    REQUIRE(find_invalid_utf8(text) == expected);
    invalid += expected.has_value();
  }
  CHECK(invalid > 10000);  // most texts were damaged, and found so
}

TEST_CASE("repair replaces each bad run with U+FFFD and keeps the rest", "[utf8]") {
  std::string s = "caf\xE9 au lait";
  CHECK(repair_utf8(s) == 1);
  CHECK(s == "caf\xEF\xBF\xBD au lait");
  std::string good = "déjà vu";
  CHECK(repair_utf8(good) == 0);
  CHECK(good == "déjà vu");
  std::string two = "\xFF\xFEx\xC3";
  CHECK(repair_utf8(two) == 2);
  CHECK(two == "\xEF\xBF\xBDx\xEF\xBF\xBD");
}

TEST_CASE("repaired random bytes are always valid UTF-8", "[utf8][property]") {
  std::mt19937 rng(17);
  for (int trial = 0; trial < 5000; ++trial) {
    std::string s(rng() % 40, '\0');
    for (char& c : s) c = static_cast<char>(rng());
    repair_utf8(s);
    CAPTURE(trial);
    CHECK_FALSE(find_invalid_utf8(s).has_value());
  }
}

TEST_CASE("Latin-1 converts to UTF-8", "[utf8]") {
  CHECK(latin1_to_utf8("Soci\xE9t\xE9") == "Société");
  CHECK(latin1_to_utf8("\xA3" "5") == "£5");
  CHECK(latin1_to_utf8("plain") == "plain");
  std::string all;
  for (int c = 1; c < 256; ++c) all.push_back(static_cast<char>(c));
  CHECK_FALSE(find_invalid_utf8(latin1_to_utf8(all)).has_value());
}

TEST_CASE("code points encode as UTF-8", "[utf8]") {
  std::string s;
  append_utf8(s, U'A');
  append_utf8(s, U'é');
  append_utf8(s, U'東');
  append_utf8(s, U'😀');
  CHECK(s == "Aé東😀");
}
