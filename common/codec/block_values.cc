#include "common/codec/block_values.h"

namespace morgue {

uint64_t recovered_gap_sum(const uint32_t* docs, size_t n, uint64_t first) {
  // A number minus the one before it, minus one, is its gap modulo 2^32, and a gap is a u32.
  uint64_t sum = static_cast<uint32_t>(docs[0] - static_cast<uint32_t>(first));
  for (size_t i = 1; i < n; ++i) sum += static_cast<uint32_t>(docs[i] - docs[i - 1] - 1);
  return sum;
}

uint64_t gaps_to_docs(uint32_t* values, size_t n, uint64_t first) {
  // Number i is (first - 1) plus the sum of (gap + 1) up to i, modulo 2^32. The gaps' OR
  // bounds each gap: when n gaps that large still end below 2^32, no number wrapped and
  // the last is exact. Otherwise (gaps of more than 2^32 / n, or damage) the gaps' exact
  // sum is read back from the numbers; a 64-bit sum beside the prefix sum cost more.
  uint32_t any_bits = 0;
  uint32_t running = static_cast<uint32_t>(first - 1);
  size_t i = 0;
#if defined(__SSE2__)
  __m128i ored = _mm_setzero_si128();
  __m128i carry = _mm_set1_epi32(static_cast<int>(running));
  for (; i + 4 <= n; i += 4) {
    __m128i gaps = _mm_loadu_si128(reinterpret_cast<const __m128i*>(values + i));
    ored = _mm_or_si128(ored, gaps);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(values + i), gaps_to_docs_step(gaps, carry));
  }
  ored = _mm_or_si128(ored, _mm_srli_si128(ored, 8));
  ored = _mm_or_si128(ored, _mm_srli_si128(ored, 4));
  any_bits = static_cast<uint32_t>(_mm_cvtsi128_si32(ored));
  running = static_cast<uint32_t>(_mm_cvtsi128_si32(carry));
#endif
  for (; i < n; ++i) {
    any_bits |= values[i];
    running += values[i] + 1;
    values[i] = running;
  }
  if (first + n * (uint64_t{any_bits} + 1) <= (uint64_t{1} << 32)) return values[n - 1];
  return first + n - 1 + recovered_gap_sum(values, n, first);
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
