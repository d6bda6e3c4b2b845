// Hashing short keys (terms, words) for in-memory tables: XXH3-64, the checksum's own
// function, compiled inline (xxhash's XXH_INLINE_ALL) so that a term's hash is not two
// calls deep, the last through the shared library's PLT. Same values as checksum().
#pragma once

#include <cstdint>
#include <string_view>

#define XXH_INLINE_ALL
#include <xxhash.h>
#undef XXH_INLINE_ALL

namespace morgue {

inline uint64_t hash_bytes(std::string_view bytes) {
  return XXH3_64bits(bytes.data(), bytes.size());
}

}  // namespace morgue
