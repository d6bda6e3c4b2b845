// Variable-byte (LEB128) coding of runs of integers: a one-value short run
// (common/codec/short_run.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace morgue {

void encode_vbyte(const uint32_t* values, size_t n, std::string& out);

// Decodes n values from the start of `in`. Returns the bytes consumed, or 0 if `in` ends
// too soon or holds a value over 32 bits (n == 0 consumes nothing and returns 0 as well).
size_t decode_vbyte(std::string_view in, size_t n, uint32_t* values);

}  // namespace morgue
