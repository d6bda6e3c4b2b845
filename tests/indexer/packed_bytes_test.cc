// PackedBytes against std::string: random appends of random lengths (reserving more than
// they write, as the inverter does) leave the same bytes, across the move from inline
// storage to the heap and many growths.
#include <catch2/catch.hpp>

#include <random>
#include <string>

#include "indexer/index/packed_bytes.h"

using namespace morgue;

TEST_CASE("packed bytes: random appends agree with std::string", "[unit][inverter]") {
  for (uint32_t seed : {1u, 2u, 3u, 4u}) {
    std::mt19937 rng(seed);
    PackedBytes bytes;
    std::string model;
    REQUIRE(bytes.size() == 0);
    REQUIRE(bytes.heap_capacity() == 0);
    // Short appends first, so that many steps stay inline; the later ones are longer.
    for (int step = 0; step < 3000; ++step) {
      uint32_t reserved = step < 40 ? rng() % 4 : rng() % (step < 2000 ? 12 : 300);
      uint32_t written = reserved == 0 ? 0 : rng() % (reserved + 1);
      const size_t size_before = model.size();
      char* tail = bytes.reserve_tail(reserved);
      for (uint32_t i = 0; i < written; ++i) {
        char c = static_cast<char>(rng());
        tail[i] = c;
        model.push_back(c);
      }
      bytes.commit(written);
      CAPTURE(seed, step, reserved, written);
      REQUIRE(bytes.size() == model.size());
      REQUIRE(bytes.view() == model);
      if (bytes.heap_capacity() == 0) {
        REQUIRE(size_before + reserved <= PackedBytes::kInlineBytes);
      } else {
        REQUIRE(bytes.heap_capacity() >= model.size());
      }
    }
    CHECK(bytes.heap_capacity() > 0);
  }
}

TEST_CASE("packed bytes: exactly the inline bytes stay inline, one more moves",
          "[unit][inverter]") {
  PackedBytes bytes;
  std::string model;
  for (uint32_t i = 0; i < PackedBytes::kInlineBytes; ++i) {
    *bytes.reserve_tail(1) = static_cast<char>('a' + i);
    bytes.commit(1);
    model.push_back(static_cast<char>('a' + i));
  }
  CHECK(bytes.heap_capacity() == 0);
  CHECK(bytes.view() == model);
  *bytes.reserve_tail(1) = '!';
  bytes.commit(1);
  model.push_back('!');
  CHECK(bytes.heap_capacity() >= model.size());
  CHECK(bytes.view() == model);
}
