// Integer codecs for blocks of 128 values (postings document gaps and frequencies), and the
// registry that maps the codec id persisted in file headers to an implementation.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace morgue {

inline constexpr size_t kBlockSize = 128;

// Persisted in file headers and the manifest: never renumber or reuse.
enum class CodecId : uint8_t {
  kStreamVByte = 1,  // libstreamvbyte
  kBitPack128 = 2,   // SSE2 bit packing, one bit width per block (bitpack_codec.h)
  kPFor128 = 3,      // bitpack128 of the low bits, the few larger values' high bits patched
};

class BlockCodec {
 public:
  virtual ~BlockCodec() = default;
  virtual CodecId id() const = 0;
  virtual std::string_view name() const = 0;
  // Appends the encoding of values[0..128) to `out`.
  virtual void encode(const uint32_t* values, std::string& out) const = 0;
  // Decodes 128 values from the start of `in` into values[0..128). Returns the bytes
  // consumed, or 0 if `in` is too short or malformed. Never reads outside `in`.
  virtual size_t decode(std::string_view in, uint32_t* values) const = 0;
  // decode() of 128 document gaps, then gaps_to_docs(values, 128, first), whose result is
  // stored in `last` (common/codec/block_values.h). This default runs the two passes; a
  // codec that can fuses them, as a block of a skip-driven intersection is read once.
  virtual size_t decode_docs(std::string_view in, uint32_t* values, uint64_t first,
                             uint64_t& last) const;
  // The value at `index` of the 128 that decode() would give, and the bytes the block
  // takes (0 if malformed, as decode). This default decodes the block; a codec that can
  // reads the one value, for a block of which a search scores one or two documents.
  virtual size_t decode_one(std::string_view in, size_t index, uint32_t& value) const;
};

// The codec with this persisted id, or nullptr if this build does not know it.
const BlockCodec* codec_by_id(uint8_t id);
// The codec new segments are written with.
const BlockCodec& default_codec();
std::span<const BlockCodec* const> all_codecs();

}  // namespace morgue
