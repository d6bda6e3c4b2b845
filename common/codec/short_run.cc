#include "common/codec/short_run.h"

#include "common/codec/bitpack_codec.h"
#include "common/codec/vbyte.h"

namespace morgue {

void encode_short_run(const uint32_t* values, size_t n, std::string& out) {
  // A lone value (most rare terms' lists, every id's) would pay a width byte for nothing.
  if (n == 1) return encode_vbyte(values, 1, out);
  uint32_t bits = max_bits(values, n);
  out.push_back(static_cast<char>(bits));
  uint64_t pending = 0;  // bits not yet written, lowest first
  uint32_t pending_bits = 0;
  for (size_t i = 0; i < n; ++i) {
    pending |= uint64_t{values[i]} << pending_bits;
    pending_bits += bits;
    for (; pending_bits >= 8; pending_bits -= 8, pending >>= 8)
      out.push_back(static_cast<char>(pending & 0xFF));
  }
  if (pending_bits > 0) out.push_back(static_cast<char>(pending & 0xFF));
}

size_t decode_short_run(std::string_view in, size_t n, uint32_t* values) {
  if (n == 1) return decode_vbyte(in, 1, values);
  if (n == 0 || in.empty()) return 0;
  auto bits = static_cast<uint8_t>(in[0]);
  if (bits > 32) return 0;
  size_t bytes = short_run_packed_bytes(n, bits);
  if (in.size() - 1 < bytes) return 0;
  const auto* at = reinterpret_cast<const uint8_t*>(in.data()) + 1;
  const uint64_t mask = (uint64_t{1} << bits) - 1;
  uint64_t pending = 0;
  uint32_t pending_bits = 0;
  for (size_t i = 0; i < n; ++i) {
    for (; pending_bits < bits; pending_bits += 8) pending |= uint64_t{*at++} << pending_bits;
    values[i] = static_cast<uint32_t>(pending & mask);
    pending >>= bits;
    pending_bits -= bits;
  }
  if (pending != 0) return 0;  // the last byte's padding
  return 1 + bytes;
}

}  // namespace morgue
