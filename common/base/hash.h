// Hashing keys for in-memory tables. hash_bytes: XXH3-64, the checksum's own function,
// compiled inline (xxhash's XXH_INLINE_ALL) so that a hash is not two calls deep, the last
// through the shared library's PLT; same values as checksum(). short_key_hash: index terms,
// hashed where they are made from a number their maker already holds.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string_view>

#include "common/base/coding.h"

#define XXH_INLINE_ALL
#include <xxhash.h>
#undef XXH_INLINE_ALL

namespace morgue {

inline uint64_t hash_bytes(std::string_view bytes) {
  return XXH3_64bits(bytes.data(), bytes.size());
}

// splitmix64's finalizer: a bijection in which every input bit reaches every output bit.
inline uint64_t mix64(uint64_t h) {
  h = (h ^ (h >> 30)) * 0xBF58476D1CE4E5B9ull;
  h = (h ^ (h >> 27)) * 0x94D049BB133111EBull;
  return h ^ (h >> 31);
}

// The hash of a short key (an index term: most are under 16 bytes) whose leading_bytes()
// is `leading`. The analysis holds that number for every term it makes, so the index
// writer's term table, keyed by this hash, gets it with each term instead of hashing the
// term again on its one serial thread (XXH3 there was about 1% of a build's CPU). The
// key's second 8 bytes (its last 8 when it has 9 to 15; none when it has up to 8) are read
// as one word without a branch: terms of up to 8 bytes and longer ones alternate
// unpredictably. That word is multiplied before it joins the leading bytes, which are read
// the other way round and would otherwise cancel it where the two overlap. Bytes past the
// 16th, 8 at a time, follow a mix each.
inline uint64_t short_key_hash(std::string_view key, uint64_t leading) {
  static constexpr char kNoBytes[8] = {};
  const size_t n = key.size();
  const char* second_word = n > 8 ? key.data() + std::min<size_t>(n, 16) - 8 : kNoBytes;
  uint64_t h = leading ^ (n * 0x9E3779B97F4A7C15ull) ^
               (load_fixed64(second_word) * 0xD6E8FEB86659FD93ull);
  for (size_t i = 16; i < n; i += 8)
    h = mix64(h) ^ load_fixed64(key.data() + std::min(i, n - 8));
  return mix64(h);
}
inline uint64_t short_key_hash(std::string_view key) {
  return short_key_hash(key, leading_bytes(key));
}

}  // namespace morgue
