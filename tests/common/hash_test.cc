// hash_bytes (XXH3 inline) against checksum (the shared library's XXH3): the same value for
// random strings of every length path XXH3 has (0, 1-3, 4-8, 9-16, 17-128, 129-240, longer).
// short_key_hash against what a hash table needs of it: terms that differ in one byte, or
// only in their numbering, spread over a table's slots (the low bits) and its tags (the
// high 32).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "common/base/checksum.h"
#include "common/base/hash.h"

using namespace morgue;

TEST_CASE("hash_bytes is checksum's XXH3-64 at every length", "[unit][hash]") {
  std::mt19937 rng(11);
  for (size_t length = 0; length <= 600; ++length) {
    for (int sample = 0; sample < 4; ++sample) {
      std::string bytes(length, '\0');
      for (char& c : bytes) c = static_cast<char>(rng());
      CAPTURE(length, sample);
      REQUIRE(hash_bytes(bytes) == checksum(bytes));
    }
  }
}

TEST_CASE("short_key_hash moves a term that differs in any one byte to another slot and tag",
          "[unit][hash]") {
  // Every byte counts at every length: a finalizer that left the low bits to the last
  // bytes alone (a multiply and one shift) put terms differing only in their first byte,
  // such as one word under two field prefixes, into the same slot.
  std::mt19937 rng(12);
  size_t pairs = 0, same_slot = 0, same_tag = 0;
  for (size_t length = 1; length <= 40; ++length) {
    for (int sample = 0; sample < 50; ++sample) {
      std::string key(length, 'a');
      for (char& c : key) c = static_cast<char>('A' + rng() % 58);
      const uint64_t h = short_key_hash(key);
      REQUIRE(h == short_key_hash(key, leading_bytes(key)));
      for (size_t at = 0; at < length; ++at) {
        std::string changed = key;
        changed[at] = static_cast<char>(changed[at] ^ (1 + rng() % 255));
        const uint64_t g = short_key_hash(changed);
        ++pairs;
        same_slot += (h & 0xfffff) == (g & 0xfffff);  // a table of 2^20 slots
        same_tag += (h >> 32) == (g >> 32);
      }
    }
  }
  CAPTURE(pairs, same_slot, same_tag);
  REQUIRE(pairs == 41000);
  // A good hash puts about 0.04 of these pairs in the same slot and 0.00001 under one tag.
  CHECK(same_slot <= 2);
  CHECK(same_tag == 0);
}

TEST_CASE("short_key_hash spreads numbered terms evenly over a table's slots and tags",
          "[unit][hash]") {
  // 200,000 ids that differ only in their last digits, and 18,000 words under nine
  // prefixes, counted in 2^16 buckets by the low bits and by the high: about 3.3 a bucket.
  // A Poisson count of that mean exceeds 16 with odds under 1e-7 a bucket.
  std::vector<std::string> keys;
  char id[32];
  for (int i = 0; i < 200000; ++i) {
    std::snprintf(id, sizeof id, "Qstory-%07d", i);
    keys.emplace_back(id);
  }
  for (char prefix : std::string("ZHSTEPOLU")) {
    for (int i = 0; i < 2000; ++i) keys.push_back(prefix + std::to_string(i * 7919));
  }
  std::vector<uint32_t> by_low(1 << 16), by_high(1 << 16);
  for (const std::string& key : keys) {
    const uint64_t h = short_key_hash(key);
    ++by_low[h & 0xffff];
    ++by_high[h >> 48];
  }
  CHECK(*std::max_element(by_low.begin(), by_low.end()) <= 16);
  CHECK(*std::max_element(by_high.begin(), by_high.end()) <= 16);
}
