// Layout: docs/FORMAT.md#integer-codecs
//   block := bits:u8 packed:bytes[16 * bits]
// The packed bytes are `bits` groups of 16 bytes (four u32 lanes). Value i is in lane
// i % 4; within a lane, values i % 4, i % 4 + 4, ... follow each other from the least
// significant bit, a value straddling two words continuing in the next group.
#include "common/codec/bitpack_codec.h"

#include <array>
#include <cstring>

#include "common/base/coding.h"
#include "common/codec/block_values.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace morgue {
namespace {

constexpr size_t kRows = kBlockSize / 4;  // 32 rows of four lanes

#if defined(__SSE2__)

template <uint32_t B>
void pack(const uint32_t* in, char* out) {
  __m128i acc = _mm_setzero_si128();
  uint32_t shift = 0;
  // Unrolled: constant shifts and no branch per row (encode 1.1-1.4 to 2.0-2.6 G integers/s).
#pragma GCC unroll 32
  for (size_t row = 0; row < kRows; ++row) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(in + 4 * row));
    acc = _mm_or_si128(acc, _mm_sll_epi32(v, _mm_cvtsi32_si128(static_cast<int>(shift))));
    shift += B;
    if (shift >= 32) {
      _mm_storeu_si128(reinterpret_cast<__m128i*>(out), acc);
      out += 16;
      shift -= 32;
      acc = shift == 0 ? _mm_setzero_si128()
                       : _mm_srl_epi32(v, _mm_cvtsi32_si128(static_cast<int>(B - shift)));
    }
  }
}

// Row `row` of the 32: four values, from `word` (the 16 bytes at `in`) and the next word
// when they straddle it. With kToDocs they are gaps and leave as document numbers
// (gaps_to_docs_step), `carry` holding the number before them.
template <uint32_t B, bool kToDocs>
[[gnu::always_inline]] inline void unpack_row(size_t row, const char*& in, __m128i& word,
                                              uint32_t& shift, __m128i& carry, uint32_t* out) {
  const __m128i mask = _mm_set1_epi32(B == 32 ? -1 : static_cast<int>((1u << B) - 1));
  __m128i v = _mm_srl_epi32(word, _mm_cvtsi32_si128(static_cast<int>(shift)));
  shift += B;
  if (shift >= 32 && row + 1 < kRows) {
    in += 16;
    word = _mm_loadu_si128(reinterpret_cast<const __m128i*>(in));
    shift -= 32;
    if (shift > 0) {
      v = _mm_or_si128(v, _mm_sll_epi32(word, _mm_cvtsi32_si128(static_cast<int>(B - shift))));
    }
  }
  v = _mm_and_si128(v, mask);
  if constexpr (kToDocs) v = gaps_to_docs_step(v, carry);
  _mm_storeu_si128(reinterpret_cast<__m128i*>(out + 4 * row), v);
}

template <uint32_t B>
void unpack(const char* in, uint32_t* out, uint32_t /*before*/) {
  __m128i word = _mm_loadu_si128(reinterpret_cast<const __m128i*>(in)), unused{};
  uint32_t shift = 0;
  // Rolled: unrolled like unpack_docs, it made OR queries 3-5% slower at a million
  // articles (A/B runs; more code on the scoring path for no fewer decodes).
  for (size_t row = 0; row < kRows; ++row) unpack_row<B, false>(row, in, word, shift, unused, out);
}

// Document numbers, `before` being the number before the first: what a skip-driven
// intersection decodes. Unrolled, every shift and word load is a constant and no row
// branches; GCC leaves the loop rolled by itself, and rolled it ran at 1.6 G integers/s
// against 2.5 G unrolled (codec micro bench).
template <uint32_t B>
void unpack_docs(const char* in, uint32_t* out, uint32_t before) {
  __m128i word = _mm_loadu_si128(reinterpret_cast<const __m128i*>(in));
  __m128i carry = _mm_set1_epi32(static_cast<int>(before));
  uint32_t shift = 0;
#pragma GCC unroll 32
  for (size_t row = 0; row < kRows; ++row) unpack_row<B, true>(row, in, word, shift, carry, out);
}

template <uint32_t... Bs>
constexpr auto make_packers(std::integer_sequence<uint32_t, Bs...>) {
  return std::array<void (*)(const uint32_t*, char*), sizeof...(Bs)>{&pack<Bs + 1>...};
}
template <bool kToDocs, uint32_t... Bs>
constexpr auto make_unpackers(std::integer_sequence<uint32_t, Bs...>) {
  return std::array<void (*)(const char*, uint32_t*, uint32_t), sizeof...(Bs)>{
      (kToDocs ? &unpack_docs<Bs + 1> : &unpack<Bs + 1>)...};
}
// Index b - 1 holds the packer for bit width b: one specialisation per width, so that the
// shifts are constants where the rows are unrolled.
constexpr auto kPackers = make_packers(std::make_integer_sequence<uint32_t, 32>());
constexpr auto kUnpackers = make_unpackers<false>(std::make_integer_sequence<uint32_t, 32>());
constexpr auto kDocUnpackers = make_unpackers<true>(std::make_integer_sequence<uint32_t, 32>());

void pack_block(const uint32_t* in, uint32_t bits, char* out) { kPackers[bits - 1](in, out); }
void unpack_block(const char* in, uint32_t bits, uint32_t* out) {
  kUnpackers[bits - 1](in, out, 0);
}
void unpack_docs_block(const char* in, uint32_t bits, uint32_t* out, uint64_t first) {
  kDocUnpackers[bits - 1](in, out, static_cast<uint32_t>(first - 1));
}

#else  // the scalar path: the same bytes, one lane at a time

void pack_block(const uint32_t* in, uint32_t bits, char* out) {
  uint32_t words[4 * 32] = {};
  for (size_t lane = 0; lane < 4; ++lane) {
    uint64_t bit = 0;
    for (size_t row = 0; row < kRows; ++row, bit += bits) {
      uint64_t v = in[4 * row + lane];
      size_t w = bit / 32, s = bit % 32;
      words[4 * w + lane] |= static_cast<uint32_t>(v << s);
      if (s + bits > 32) words[4 * (w + 1) + lane] |= static_cast<uint32_t>(v >> (32 - s));
    }
  }
  std::memcpy(out, words, 16 * bits);
}

void unpack_block(const char* in, uint32_t bits, uint32_t* out) {
  uint32_t words[4 * 33] = {};
  std::memcpy(words, in, 16 * bits);
  uint64_t mask = bits == 32 ? 0xFFFFFFFFu : (1u << bits) - 1;
  for (size_t lane = 0; lane < 4; ++lane) {
    uint64_t bit = 0;
    for (size_t row = 0; row < kRows; ++row, bit += bits) {
      size_t w = bit / 32, s = bit % 32;
      uint64_t v = words[4 * w + lane] >> s;
      if (s + bits > 32) v |= static_cast<uint64_t>(words[4 * (w + 1) + lane]) << (32 - s);
      out[4 * row + lane] = static_cast<uint32_t>(v & mask);
    }
  }
}

void unpack_docs_block(const char* in, uint32_t bits, uint32_t* out, uint64_t first) {
  unpack_block(in, bits, out);
  gaps_to_docs(out, kBlockSize, first);
}

#endif

// A block's bit width, from its first byte. False if the block is empty, claims more than
// 32 bits, or is shorter than the 16 bytes a bit of that width needs.
bool read_block_bits(std::string_view in, uint32_t& bits) {
  if (in.empty()) return false;
  bits = static_cast<uint8_t>(in[0]);
  return bits <= 32 && in.size() >= 1 + 16 * size_t{bits};
}

}  // namespace

uint32_t max_bits(const uint32_t* values, size_t n) {
  uint32_t all = 0;
  for (size_t i = 0; i < n; ++i) all |= values[i];
  return all == 0 ? 0 : 32 - static_cast<uint32_t>(__builtin_clz(all));
}

void BitPack128Codec::encode(const uint32_t* values, std::string& out) const {
  uint32_t bits = max_bits(values, kBlockSize);
  out.push_back(static_cast<char>(bits));
  if (bits == 0) return;
  size_t at = out.size();
  out.resize(at + 16 * bits);
  pack_block(values, bits, out.data() + at);
}

size_t BitPack128Codec::decode(std::string_view in, uint32_t* values) const {
  uint32_t bits = 0;
  if (!read_block_bits(in, bits)) return 0;
  if (bits == 0) {
    std::memset(values, 0, kBlockSize * sizeof(uint32_t));
    return 1;
  }
  unpack_block(in.data() + 1, bits, values);
  return 1 + 16 * size_t{bits};
}

size_t BitPack128Codec::decode_docs(std::string_view in, uint32_t* values, uint64_t first,
                                    uint64_t& last) const {
  uint32_t bits = 0;
  if (!read_block_bits(in, bits)) return 0;
  if (bits == 0) {
    for (size_t i = 0; i < kBlockSize; ++i) values[i] = static_cast<uint32_t>(first + i);
  } else {
    unpack_docs_block(in.data() + 1, bits, values, first);
  }
  // Each gap is below 2^bits: when 128 gaps that large end below 2^32, nothing wrapped.
  if (first + kBlockSize * (uint64_t{1} << bits) <= (uint64_t{1} << 32)) {
    last = values[kBlockSize - 1];
  } else {
    last = first + kBlockSize - 1 + recovered_gap_sum(values, kBlockSize, first);
  }
  return 1 + 16 * size_t{bits};
}

size_t BitPack128Codec::decode_one(std::string_view in, size_t index, uint32_t& value) const {
  uint32_t bits = 0;
  if (!read_block_bits(in, bits)) return 0;
  if (bits == 0) {
    value = 0;
    return 1;
  }
  // Value i: lane i % 4, from bit (i / 4) * bits of that lane's words, word w of a lane
  // being the u32 at 16 * w + 4 * lane; a value that straddles two words continues at the
  // bottom of the next.
  const char* words = in.data() + 1 + 4 * (index % 4);
  size_t bit = (index / 4) * bits, word = bit / 32, shift = bit % 32;
  uint64_t v = load_fixed32(words + 16 * word) >> shift;
  if (shift + bits > 32) v |= uint64_t{load_fixed32(words + 16 * (word + 1))} << (32 - shift);
  value = static_cast<uint32_t>(bits == 32 ? v : v & ((uint64_t{1} << bits) - 1));
  return 1 + 16 * size_t{bits};
}

}  // namespace morgue
