#include "common/codec/block_values.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace morgue {

uint64_t gaps_to_docs(uint32_t* values, size_t n, uint64_t first) {
  // Number i is (first - 1) plus the sum of (gap + 1) up to i, modulo 2^32. Beside it,
  // the gaps' sum in 64 bits: every prefix is at most the whole, so it bounds them all.
  uint64_t sum = 0;
  uint32_t running = static_cast<uint32_t>(first - 1);
  size_t i = 0;
#if defined(__SSE2__)
  const __m128i zero = _mm_setzero_si128();
  const __m128i ones = _mm_set1_epi32(1);
  __m128i wide = zero;  // two u64 lanes of the sum
  __m128i carry = _mm_set1_epi32(static_cast<int>(running));
  for (; i + 4 <= n; i += 4) {
    __m128i gaps = _mm_loadu_si128(reinterpret_cast<const __m128i*>(values + i));
    wide = _mm_add_epi64(wide, _mm_unpacklo_epi32(gaps, zero));
    wide = _mm_add_epi64(wide, _mm_unpackhi_epi32(gaps, zero));
    __m128i v = _mm_add_epi32(gaps, ones);
    v = _mm_add_epi32(v, _mm_slli_si128(v, 4));  // lanes: a, a+b, b+c, c+d
    v = _mm_add_epi32(v, _mm_slli_si128(v, 8));  // lanes: a, a+b, a+b+c, a+b+c+d
    v = _mm_add_epi32(v, carry);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(values + i), v);
    carry = _mm_shuffle_epi32(v, _MM_SHUFFLE(3, 3, 3, 3));
  }
  alignas(16) uint64_t lanes[2];
  _mm_store_si128(reinterpret_cast<__m128i*>(lanes), wide);
  sum = lanes[0] + lanes[1];
  running = static_cast<uint32_t>(_mm_cvtsi128_si32(carry));
#endif
  for (; i < n; ++i) {
    sum += values[i];
    running += values[i] + 1;
    values[i] = running;
  }
  return first + n - 1 + sum;
}

bool stored_to_wdfs(uint32_t* values, size_t n) {
  // A stored UINT32_MAX is the one value that becomes 0.
  uint32_t zero_seen = 0;
  size_t i = 0;
#if defined(__SSE2__)
  const __m128i ones = _mm_set1_epi32(1);
  __m128i zeros = _mm_setzero_si128();
  for (; i + 4 <= n; i += 4) {
    __m128i v = _mm_add_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(values + i)), ones);
    zeros = _mm_or_si128(zeros, _mm_cmpeq_epi32(v, _mm_setzero_si128()));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(values + i), v);
  }
  zero_seen = static_cast<uint32_t>(_mm_movemask_epi8(zeros));
#endif
  for (; i < n; ++i) zero_seen |= ++values[i] == 0;
  return zero_seen == 0;
}

}  // namespace morgue
