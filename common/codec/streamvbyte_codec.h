// Stream VByte (Lemire et al. 2017) through libstreamvbyte: 2-bit length codes for four
// values a control byte, then the values' 1-4 bytes each.
#pragma once

#include "common/codec/block_codec.h"

namespace morgue {

class StreamVByteCodec final : public BlockCodec {
 public:
  CodecId id() const override { return CodecId::kStreamVByte; }
  std::string_view name() const override { return "streamvbyte"; }
  void encode(const uint32_t* values, std::string& out) const override;
  size_t decode(std::string_view in, uint32_t* values) const override;
};

}  // namespace morgue
