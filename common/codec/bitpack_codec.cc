// Layout: docs/FORMAT.md#integer-codecs
//   block := bits:u8 packed:bytes[16 * bits]
// The packed bytes are `bits` groups of 16 bytes (four u32 lanes). Value i is in lane
// i % 4; within a lane, values i % 4, i % 4 + 4, ... follow each other from the least
// significant bit, a value straddling two words continuing in the next group.
#include "common/codec/bitpack_codec.h"

#include <array>
#include <bit>
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
// when they straddle it. With kPatched, the row of `high` (a PFor block's exceptions' high
// bits in place, 0 elsewhere) is added in. With kToDocs they are gaps and leave as document
// numbers (gaps_to_docs_step), `carry` holding the number before them.
template <uint32_t B, bool kToDocs, bool kPatched>
[[gnu::always_inline]] inline void unpack_row(size_t row, const char*& in, __m128i& word,
                                              uint32_t& shift, __m128i& carry, const uint32_t* high,
                                              uint32_t* out) {
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
  if constexpr (kPatched) {
    v = _mm_or_si128(v, _mm_loadu_si128(reinterpret_cast<const __m128i*>(high + 4 * row)));
  }
  if constexpr (kToDocs) v = gaps_to_docs_step(v, carry);
  _mm_storeu_si128(reinterpret_cast<__m128i*>(out + 4 * row), v);
}

template <uint32_t B>
void unpack(const char* in, uint32_t* out, uint32_t /*before*/, const uint32_t* /*high*/) {
  __m128i word = _mm_loadu_si128(reinterpret_cast<const __m128i*>(in)), unused{};
  uint32_t shift = 0;
  // Rolled: unrolled like unpack_docs, it made OR queries 3-5% slower at a million
  // articles (A/B runs; more code on the scoring path for no fewer decodes).
  for (size_t row = 0; row < kRows; ++row)
    unpack_row<B, false, false>(row, in, word, shift, unused, nullptr, out);
}

// Document numbers, `before` being the number before the first: what a skip-driven
// intersection decodes. Unrolled, every shift and word load is a constant and no row
// branches; GCC leaves the loop rolled by itself, and rolled it ran at 1.6 G integers/s
// against 2.5 G unrolled (codec micro bench).
template <uint32_t B, bool kPatched>
void unpack_docs(const char* in, uint32_t* out, uint32_t before, const uint32_t* high) {
  __m128i word = _mm_loadu_si128(reinterpret_cast<const __m128i*>(in));
  __m128i carry = _mm_set1_epi32(static_cast<int>(before));
  uint32_t shift = 0;
#pragma GCC unroll 32
  for (size_t row = 0; row < kRows; ++row)
    unpack_row<B, true, kPatched>(row, in, word, shift, carry, high, out);
}

// unpack_docs for a patched block of low width 0: its gaps are the exceptions' alone.
void unpack_docs_patched_zero(const char* /*in*/, uint32_t* out, uint32_t before,
                              const uint32_t* high) {
  __m128i carry = _mm_set1_epi32(static_cast<int>(before));
#pragma GCC unroll 32
  for (size_t row = 0; row < kRows; ++row) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(high + 4 * row));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out + 4 * row), gaps_to_docs_step(v, carry));
  }
}

template <uint32_t... Bs>
constexpr auto make_packers(std::integer_sequence<uint32_t, Bs...>) {
  return std::array<void (*)(const uint32_t*, char*), sizeof...(Bs)>{&pack<Bs + 1>...};
}
using Unpacker = void (*)(const char*, uint32_t*, uint32_t, const uint32_t*);
template <bool kToDocs, bool kPatched, uint32_t... Bs>
constexpr auto make_unpackers(std::integer_sequence<uint32_t, Bs...>) {
  return std::array<Unpacker, sizeof...(Bs)>{
      (kToDocs ? &unpack_docs<Bs + 1, kPatched> : &unpack<Bs + 1>)...};
}
// Index b - 1 holds the packer for bit width b: one specialisation per width, so that the
// shifts are constants where the rows are unrolled. A patched block's low width is below 32.
constexpr auto kPackers = make_packers(std::make_integer_sequence<uint32_t, 32>());
constexpr auto kUnpackers =
    make_unpackers<false, false>(std::make_integer_sequence<uint32_t, 32>());
constexpr auto kDocUnpackers =
    make_unpackers<true, false>(std::make_integer_sequence<uint32_t, 32>());
constexpr auto kPatchedDocUnpackers =
    make_unpackers<true, true>(std::make_integer_sequence<uint32_t, 31>());

void pack_block(const uint32_t* in, uint32_t bits, char* out) { kPackers[bits - 1](in, out); }
void unpack_block(const char* in, uint32_t bits, uint32_t* out) {
  kUnpackers[bits - 1](in, out, 0, nullptr);
}
// `high`, if not null, is added to the gaps (PFor128's exceptions; then bits < 32).
void unpack_docs_block(const char* in, uint32_t bits, uint32_t* out, uint64_t first,
                       const uint32_t* high) {
  auto before = static_cast<uint32_t>(first - 1);
  if (high == nullptr) {
    kDocUnpackers[bits - 1](in, out, before, nullptr);
  } else if (bits == 0) {
    unpack_docs_patched_zero(in, out, before, high);
  } else {
    kPatchedDocUnpackers[bits - 1](in, out, before, high);
  }
}

// 128 zeros, 16 bytes a store (unaligned stores: `out` may be any caller's buffer): GCC makes
// `= {}` or a memset of the block a `rep stos`, whose start-up cost was 14% of
// PFor128Codec::decode_docs's samples in AND queries.
void zero_block(uint32_t* out) {
  const __m128i zero = _mm_setzero_si128();
#pragma GCC unroll 32
  for (size_t row = 0; row < kRows; ++row)
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out + 4 * row), zero);
}

#else  // the scalar path: the same bytes, one lane at a time

void zero_block(uint32_t* out) { std::memset(out, 0, kBlockSize * sizeof(uint32_t)); }

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

void unpack_docs_block(const char* in, uint32_t bits, uint32_t* out, uint64_t first,
                       const uint32_t* high) {
  if (bits == 0) {
    zero_block(out);
  } else {
    unpack_block(in, bits, out);
  }
  if (high != nullptr)
    for (size_t i = 0; i < kBlockSize; ++i) out[i] |= high[i];
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

// Appends values[0..128) packed at `bits` (nothing for 0), every value below 2^bits.
void append_packed(const uint32_t* values, uint32_t bits, std::string& out) {
  if (bits == 0) return;
  size_t at = out.size();
  out.resize(at + 16 * bits);
  pack_block(values, bits, out.data() + at);
}

// The 128 values packed at `bits` from `packed` (16 * bits bytes, known to be there).
void unpack_values(const char* packed, uint32_t bits, uint32_t* values) {
  if (bits != 0) {
    unpack_block(packed, bits, values);
  } else {
    zero_block(values);
  }
}

// The same as gaps, plus `high` if not null, summed to document numbers from `first` as
// they unpack; `last` as BlockCodec::decode_docs gives it. `top_bits` bounds every gap's
// width: `bits`, or with `high` the low and high widths together.
[[gnu::always_inline]] inline void unpack_doc_values(const char* packed, uint32_t bits,
                                                     uint32_t top_bits, const uint32_t* high,
                                                     uint32_t* values, uint64_t first,
                                                     uint64_t& last) {
  if (bits != 0 || high != nullptr) {
    unpack_docs_block(packed, bits, values, first, high);
  } else {
    for (size_t i = 0; i < kBlockSize; ++i) values[i] = static_cast<uint32_t>(first + i);
  }
  // Each gap is below 2^top_bits: when 128 gaps that large end below 2^32, nothing wrapped.
  if (first + kBlockSize * (uint64_t{1} << top_bits) <= (uint64_t{1} << 32)) {
    last = values[kBlockSize - 1];
  } else {
    last = first + kBlockSize - 1 + recovered_gap_sum(values, kBlockSize, first);
  }
}

// Value `index` of the 128 packed at `bits`.
uint32_t unpack_one(const char* packed, uint32_t bits, size_t index) {
  if (bits == 0) return 0;
  // Value i: lane i % 4, from bit (i / 4) * bits of that lane's words, word w of a lane
  // being the u32 at 16 * w + 4 * lane; a value that straddles two words continues at the
  // bottom of the next.
  const char* words = packed + 4 * (index % 4);
  size_t bit = (index / 4) * bits, word = bit / 32, shift = bit % 32;
  uint64_t v = load_fixed32(words + 16 * word) >> shift;
  if (shift + bits > 32) v |= uint64_t{load_fixed32(words + 16 * (word + 1))} << (32 - shift);
  return static_cast<uint32_t>(bits == 32 ? v : v & ((uint64_t{1} << bits) - 1));
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
  append_packed(values, bits, out);
}

size_t BitPack128Codec::decode(std::string_view in, uint32_t* values) const {
  uint32_t bits = 0;
  if (!read_block_bits(in, bits)) return 0;
  unpack_values(in.data() + 1, bits, values);
  return 1 + 16 * size_t{bits};
}

size_t BitPack128Codec::decode_docs(std::string_view in, uint32_t* values, uint64_t first,
                                    uint64_t& last) const {
  uint32_t bits = 0;
  if (!read_block_bits(in, bits)) return 0;
  unpack_doc_values(in.data() + 1, bits, bits, nullptr, values, first, last);
  return 1 + 16 * size_t{bits};
}

size_t BitPack128Codec::decode_one(std::string_view in, size_t index, uint32_t& value) const {
  uint32_t bits = 0;
  if (!read_block_bits(in, bits)) return 0;
  value = unpack_one(in.data() + 1, bits, index);
  return 1 + 16 * size_t{bits};
}

// PFor128. The layout (docs/FORMAT.md#integer-codecs):
//   block := bits:u8 packed:bytes[16 * bits]                          no exceptions
//          | (0x80 | bits):u8 count:u8 high_bits:u8 index:u8[count]
//            high:bytes[ceil(count * high_bits / 8)] packed:bytes[16 * bits]
// `packed` holds every value's low `bits` bits as BitPack128 packs them; exception k (in
// increasing index order) adds its high bits, bits k * high_bits ... of `high` read
// least significant bit first, shifted left by `bits`. The exceptions come before the
// packed bytes, in the header's cache line: a reader of one value (a wdf, a first
// position) then misses on two lines, as for BitPack128, not three.
void PFor128Codec::encode(const uint32_t* values, std::string& out) const {
  // Values of each bit width; the width that takes the fewest bytes, the widest on ties
  // (fewer exceptions to patch).
  // Four counts a width, summed after, so that consecutive values do not wait on one
  // count's store.
  uint32_t counts[4][33] = {};
  uint32_t all = 0;
  for (size_t i = 0; i < kBlockSize; i += 4) {
    for (size_t lane = 0; lane < 4; ++lane) {
      uint32_t v = values[i + lane];
      // std::bit_width, without its branch on 0 (most gaps and wdfs are 0 or near it).
      auto width = static_cast<uint32_t>(32 - __builtin_clz(v | 1)) - (v == 0);
      ++counts[lane][width];
      all |= v;
    }
  }
  uint32_t of_width[33];
  for (size_t w = 0; w < 33; ++w)
    of_width[w] = counts[0][w] + counts[1][w] + counts[2][w] + counts[3][w];
  const auto top = static_cast<uint32_t>(std::bit_width(all));
  uint32_t bits = top;
  size_t best = 16 * size_t{top}, wider = 0;
  for (uint32_t b = top; b-- > 0;) {
    wider += of_width[b + 1];
    size_t cost = 2 + 16 * size_t{b} + wider + (wider * (top - b) + 7) / 8;
    if (cost < best) {
      best = cost;
      bits = b;
    }
  }
  if (bits == top) {
    out.push_back(static_cast<char>(bits));
    append_packed(values, bits, out);
    return;
  }
  const uint32_t high_bits = top - bits;
  const uint32_t low_mask = (uint32_t{1} << bits) - 1;  // bits < top <= 32
  uint32_t low[kBlockSize];
  for (size_t i = 0; i < kBlockSize; ++i) low[i] = values[i] & low_mask;
  out.push_back(static_cast<char>(0x80 | bits));
  size_t count_at = out.size();
  out.push_back(0);
  out.push_back(static_cast<char>(high_bits));
  // The indexes, then the high bits: both written in place into room made once.
  size_t index_at = out.size();
  out.resize(index_at + 2 * kBlockSize + 5 * sizeof(uint64_t));
  char* index = out.data() + index_at;
  size_t count = 0;
  for (size_t i = 0; i < kBlockSize; ++i) {  // branch-free: which values are wide is random
    index[count] = static_cast<char>(i);
    count += values[i] > low_mask;
  }
  char* high = index + count;
  uint64_t acc = 0;
  uint32_t have = 0;
  for (size_t k = 0; k < count; ++k) {
    acc |= uint64_t{values[static_cast<uint8_t>(index[k])] >> bits} << have;
    have += high_bits;
    for (; have >= 8; have -= 8, acc >>= 8) *high++ = static_cast<char>(acc & 0xFF);
  }
  if (have > 0) *high++ = static_cast<char>(acc & 0xFF);
  out.resize(static_cast<size_t>(high - out.data()));
  out[count_at] = static_cast<char>(count);
  append_packed(low, bits, out);
}

namespace {

// A PFor128 block's parts. False if malformed: a width over 32 (or with exceptions, low
// and high widths over 32 together, or no high bits), no exceptions under the flag, or
// fewer bytes than the parts need.
struct PForBlock {
  uint32_t bits = 0;
  size_t count = 0;  // exceptions
  uint32_t high_bits = 0;
  const char* packed = nullptr;
  const uint8_t* index = nullptr;
  const uint8_t* high = nullptr;
  size_t size = 0;  // bytes of the whole block
};

[[gnu::always_inline]] inline bool read_pfor_block(std::string_view in, PForBlock& b) {
  if (in.empty()) return false;
  auto head = static_cast<uint8_t>(in[0]);
  b.bits = head & 0x7F;
  if ((head & 0x80) == 0) {
    b.size = 1 + 16 * size_t{b.bits};
    b.packed = in.data() + 1;
    return b.bits <= 32 && in.size() >= b.size;
  }
  if (in.size() < 3) return false;
  b.count = static_cast<uint8_t>(in[1]);
  b.high_bits = static_cast<uint8_t>(in[2]);
  if (b.count == 0 || b.count > kBlockSize || b.high_bits == 0 || b.bits + b.high_bits > 32)
    return false;
  b.size = 3 + 16 * size_t{b.bits} + b.count + (b.count * b.high_bits + 7) / 8;
  if (in.size() < b.size) return false;
  b.index = reinterpret_cast<const uint8_t*>(in.data() + 3);
  b.high = b.index + b.count;
  b.packed = reinterpret_cast<const char*>(b.high) + (b.count * b.high_bits + 7) / 8;
  return true;
}

// Adds each exception's high bits, shifted into place, to values[its index]: to values
// unpacked from the low bits (decode), or to a zeroed block for the unpackers to add in as
// they unpack (decode_docs). False if the indexes do not rise strictly within the block.
[[gnu::always_inline]] inline bool add_exceptions(const PForBlock& b, uint32_t* values) {
  const uint64_t mask = (uint64_t{1} << b.high_bits) - 1;
  const uint8_t* bytes = b.high;
  uint64_t acc = 0;
  uint32_t have = 0;
  int previous = -1;
  for (size_t k = 0; k < b.count; ++k) {
    int at = b.index[k];
    if (at <= previous || at >= static_cast<int>(kBlockSize)) return false;
    previous = at;
    for (; have < b.high_bits; have += 8) acc |= uint64_t{*bytes++} << have;
    values[at] |= static_cast<uint32_t>(acc & mask) << b.bits;
    acc >>= b.high_bits;
    have -= b.high_bits;
  }
  return true;
}

}  // namespace

size_t PFor128Codec::decode(std::string_view in, uint32_t* values) const {
  PForBlock b;
  if (!read_pfor_block(in, b)) return 0;
  unpack_values(b.packed, b.bits, values);
  // Patched after unpacking: the unpackers adding a row of high bits to each row cost more
  // than a handful of scalar ORs (codec micro bench).
  if (b.count != 0 && !add_exceptions(b, values)) return 0;
  return b.size;
}

size_t PFor128Codec::decode_docs(std::string_view in, uint32_t* values, uint64_t first,
                                 uint64_t& last) const {
  PForBlock b;
  if (!read_pfor_block(in, b)) return 0;
  if (b.count == 0) {
    unpack_doc_values(b.packed, b.bits, b.bits, nullptr, values, first, last);
    return b.size;
  }
  // The exceptions' high bits join each row as it unpacks, before its prefix sum: one
  // pass, as for a block without them.
  alignas(16) uint32_t high[kBlockSize];
  zero_block(high);
  if (!add_exceptions(b, high)) return 0;
  unpack_doc_values(b.packed, b.bits, b.bits + b.high_bits, high, values, first, last);
  return b.size;
}

size_t PFor128Codec::decode_one(std::string_view in, size_t index, uint32_t& value) const {
  PForBlock b;
  if (!read_pfor_block(in, b)) return 0;
  value = unpack_one(b.packed, b.bits, index);
  if (b.count == 0) return b.size;
  // A scan of the few indexes, which rise (inline: a call to memchr cost more).
  size_t k = 0;
  while (k < b.count && b.index[k] < index) ++k;
  if (k == b.count || b.index[k] != index) return b.size;
  // Exception k's high bits start at bit k * high_bits of `high`: at most 5 bytes.
  size_t bit = k * b.high_bits, byte = bit / 8, end = (bit + b.high_bits + 7) / 8;
  uint64_t acc = 0;
  for (size_t i = byte; i < end; ++i) acc |= uint64_t{b.high[i]} << (8 * (i - byte));
  acc = (acc >> (bit % 8)) & ((uint64_t{1} << b.high_bits) - 1);
  value |= static_cast<uint32_t>(acc) << b.bits;
  return b.size;
}

}  // namespace morgue
