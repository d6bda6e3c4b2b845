#include "common/codec/vbyte.h"

#include "common/base/coding.h"

namespace morgue {

void encode_vbyte(const uint32_t* values, size_t n, std::string& out) {
  for (size_t i = 0; i < n; ++i) put_varint(out, values[i]);
}

size_t decode_vbyte(std::string_view in, size_t n, uint32_t* values) {
  size_t at = 0;
  for (size_t i = 0; i < n; ++i) {
    uint32_t v = 0;
    for (int shift = 0;; shift += 7) {
      if (at == in.size() || shift > 28) return 0;
      auto byte = static_cast<uint8_t>(in[at++]);
      if (shift == 28 && (byte & 0x70)) return 0;  // bits beyond 32
      v |= static_cast<uint32_t>(byte & 0x7F) << shift;
      if (!(byte & 0x80)) break;
    }
    values[i] = v;
  }
  return at;
}

}  // namespace morgue
