// Bit packing of 128 integers with one bit width per block, in SIMD-BP128's vertical
// layout (Lemire & Boytsov 2015): value i sits in lane i % 4 of 32-bit words, so four
// values unpack with each SSE2 shift and mask.
//
// Hand-written because no Debian package provides SIMD bit packing (there is no
// libfastpfor or libsimdcomp in Debian 12), and Debian's libstreamvbyte is built without
// SIMD; SSE2 is part of the x86-64 baseline, so this stays portable. Other architectures
// use the scalar path, which reads and writes the same bytes.
#pragma once

#include "common/codec/block_codec.h"

namespace morgue {

class BitPack128Codec final : public BlockCodec {
 public:
  CodecId id() const override { return CodecId::kBitPack128; }
  std::string_view name() const override { return "bitpack128"; }
  void encode(const uint32_t* values, std::string& out) const override;
  size_t decode(std::string_view in, uint32_t* values) const override;
  // The prefix sum runs on each row as it is unpacked, and the block's bit width bounds
  // the gaps, so the last number's 64-bit check costs nothing in the usual case.
  size_t decode_docs(std::string_view in, uint32_t* values, uint64_t first,
                     uint64_t& last) const override;
  // One value is at a computable bit offset of its lane: one or two words are read.
  size_t decode_one(std::string_view in, size_t index, uint32_t& value) const override;
};

// Patched frame of reference (PFor; Zukowski et al. 2006, as in Lemire & Boytsov 2015): the
// block's low `bits` bits of every value packed as BitPack128 packs them, preceded by the
// indexes and high bits of the few values wider than that (exceptions). The width is chosen
// per block to take the fewest bytes, so one large gap or wdf no longer widens the other
// 127. A block without exceptions is byte for byte a BitPack128 block and decodes as fast;
// one with them adds their high bits to each row as it unpacks, before the prefix sum.
class PFor128Codec final : public BlockCodec {
 public:
  CodecId id() const override { return CodecId::kPFor128; }
  std::string_view name() const override { return "pfor128"; }
  void encode(const uint32_t* values, std::string& out) const override;
  size_t decode(std::string_view in, uint32_t* values) const override;
  size_t decode_docs(std::string_view in, uint32_t* values, uint64_t first,
                     uint64_t& last) const override;
  // The packed low bits as BitPack128 reads one value, and its high bits if its index is
  // among the exceptions' (a scan of at most a few bytes).
  size_t decode_one(std::string_view in, size_t index, uint32_t& value) const override;
};

// The bits needed for the largest of values[0..n) (0 for all zeros).
uint32_t max_bits(const uint32_t* values, size_t n);

}  // namespace morgue
