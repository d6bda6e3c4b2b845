// Layout: docs/FORMAT.md#integer-codecs
#include "common/codec/streamvbyte_codec.h"

#include <streamvbyte.h>

namespace morgue {
namespace {

constexpr size_t kControlBytes = kBlockSize / 4;

}  // namespace

void StreamVByteCodec::encode(const uint32_t* values, std::string& out) const {
  size_t at = out.size();
  out.resize(at + kControlBytes + 4 * kBlockSize + 16);  // library's worst case plus slack
  size_t n = streamvbyte_encode(values, kBlockSize, reinterpret_cast<uint8_t*>(out.data() + at));
  out.resize(at + n);
}

size_t StreamVByteCodec::decode(std::string_view in, uint32_t* values) const {
  // libstreamvbyte trusts its input, so the data length is computed from the control bytes
  // and checked against what is there before it is called.
  if (in.size() < kControlBytes) return 0;
  size_t data = 0;
  for (size_t i = 0; i < kControlBytes; ++i) {
    auto c = static_cast<uint8_t>(in[i]);
    data += 4 + (c & 3) + ((c >> 2) & 3) + ((c >> 4) & 3) + (c >> 6);
  }
  size_t total = kControlBytes + data;
  if (total > in.size()) return 0;
  // The decoder may read up to 16 bytes past the data with SIMD builds; decode from a copy
  // when the input does not leave that much room.
  if (in.size() - total < 16) {
    uint8_t padded[kControlBytes + 4 * kBlockSize + 16] = {};
    std::copy(in.begin(), in.begin() + static_cast<std::ptrdiff_t>(total), padded);
    streamvbyte_decode(padded, values, kBlockSize);
  } else {
    streamvbyte_decode(reinterpret_cast<const uint8_t*>(in.data()), values, kBlockSize);
  }
  return total;
}

}  // namespace morgue
