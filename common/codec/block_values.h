// A decoded postings block's values to what the search reads, in place: document gaps to
// document numbers, stored frequencies to wdfs; and the search within a decoded block.
// Layout: docs/FORMAT.md#postings (a gap is the distance to the previous document minus
// one; a frequency is stored as wdf − 1).
// SSE2 where available (a block of 128 is the hot path of every skip-driven intersection
// and of scoring); a scalar loop otherwise.
#pragma once

#include <climits>
#include <cstddef>
#include <cstdint>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace morgue {

// Rewrites values[0..n) from gaps to document numbers: values[i] becomes
// first + i + values[0] + ... + values[i], for n ≥ 1. Returns the last number computed in
// 64 bits. The caller checks it against its document count: when it fits
// in a u32, no number wrapped and the numbers rise strictly; otherwise values[] holds
// the numbers modulo 2^32 and must not be used.
uint64_t gaps_to_docs(uint32_t* values, size_t n, uint64_t first);

// The exact sum of the gaps that document numbers docs[0..n) were made from (by
// gaps_to_docs from `first`), read back from the u32 numbers even if they wrapped: for a
// codec that fuses the prefix sum into its decoding and cannot bound the gaps (its
// docs' last number in 64 bits is first + n − 1 + this).
uint64_t recovered_gap_sum(const uint32_t* docs, size_t n, uint64_t first);

#if defined(__SSE2__)
// One step of gaps_to_docs over four lanes of gaps: returns their numbers, given in every
// lane of `carry` the number before them, and leaves the last of them in every lane.
inline __m128i gaps_to_docs_step(__m128i gaps, __m128i& carry) {
  __m128i v = _mm_add_epi32(gaps, _mm_set1_epi32(1));
  v = _mm_add_epi32(v, _mm_slli_si128(v, 4));  // lanes: a, a+b, b+c, c+d
  v = _mm_add_epi32(v, _mm_slli_si128(v, 8));  // lanes: a, a+b, a+b+c, a+b+c+d
  v = _mm_add_epi32(v, carry);
  carry = _mm_shuffle_epi32(v, _MM_SHUFFLE(3, 3, 3, 3));
  return v;
}
#endif

// Rewrites values[0..n) from stored frequencies (wdf − 1) to wdfs. Returns false, and the
// values must not be used, if one was UINT32_MAX (its wdf does not fit in a u32).
bool stored_to_wdfs(uint32_t* values, size_t n);

// The first index i in [begin, end) with values[i] >= target, for values rising over
// [begin, end) and values[end − 1] >= target (a seek within the block that holds it).
// Inline: it runs on every seek. kWide scans sixteen values a step instead of eight, for
// a caller whose targets are mostly five to fifteen values on (an AND's rarest two terms,
// PostingsIterator::seek_common): one step finds most, where eight a step mispredicts
// the loop's exit for a third of them. Other seeks land closer; sixteen slows them.
template <bool kWide = false>
inline size_t first_at_least(const uint32_t* values, size_t begin, [[maybe_unused]] size_t end,
                             uint32_t target) {
  size_t i = begin;
#if defined(__SSE2__)
  // SSE2 compares signed: flipping the top bit of both sides keeps the unsigned order.
  // The values below target are a prefix of the lanes.
  const __m128i flip = _mm_set1_epi32(INT32_MIN);
  const __m128i bound = _mm_xor_si128(_mm_set1_epi32(static_cast<int>(target)), flip);
  auto below8 = [&](size_t at) {  // eight 16-bit lanes, all ones where values[at + k] < target
    __m128i a = _mm_xor_si128(_mm_loadu_si128(reinterpret_cast<const __m128i*>(values + at)), flip);
    __m128i b =
        _mm_xor_si128(_mm_loadu_si128(reinterpret_cast<const __m128i*>(values + at + 4)), flip);
    return _mm_packs_epi32(_mm_cmpgt_epi32(bound, a), _mm_cmpgt_epi32(bound, b));
  };
  if constexpr (kWide) {
    for (; i + 16 <= end; i += 16) {
      __m128i below = _mm_packs_epi16(below8(i), below8(i + 8));  // a byte a lane
      auto mask = static_cast<uint32_t>(_mm_movemask_epi8(below));
      if (mask != 0xFFFF) return i + static_cast<size_t>(__builtin_ctz(~mask));
    }
  }
  for (; i + 8 <= end; i += 8) {
    auto mask = static_cast<uint32_t>(_mm_movemask_epi8(below8(i)));  // two bits a lane
    if (mask != 0xFFFF) return i + static_cast<size_t>(__builtin_ctz(~mask)) / 2;
  }
#endif
  while (values[i] < target) ++i;
  return i;
}

}  // namespace morgue
