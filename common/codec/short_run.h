// Coding of a short run of integers (1 to 127): the last, partial block of a posting list
// or of its positions. One value is a varint; longer runs are bit-packed at the width of
// their largest value, least significant bit first. Layout: docs/FORMAT.md#integer-codecs
//
// Hand-written: a run this short is below what SIMD packers (libsimdcomp, FastPFor) take,
// and none of them is in Debian 12; the scalar loop is a dozen lines.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace morgue {

// Appends values[0..n), n >= 1.
void encode_short_run(const uint32_t* values, size_t n, std::string& out);

// Decodes n >= 1 values from the start of `in`. Returns the bytes consumed, or 0 if `in`
// ends too soon, a width is over 32, a varint is over 32 bits, or the last byte's unused
// bits are not 0 (so that every run has one encoding).
size_t decode_short_run(std::string_view in, size_t n, uint32_t* values);

// Bytes a run of n values at `bits` bits takes after its width byte.
constexpr size_t short_run_packed_bytes(size_t n, uint32_t bits) { return (n * bits + 7) / 8; }

}  // namespace morgue
