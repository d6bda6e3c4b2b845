#include "common/codec/block_codec.h"

#include "common/codec/bitpack_codec.h"
#include "common/codec/block_values.h"
#include "common/codec/streamvbyte_codec.h"

namespace morgue {
namespace {

const StreamVByteCodec kStreamVByte;
const BitPack128Codec kBitPack128;
const PFor128Codec kPFor128;
const BlockCodec* const kAll[] = {&kStreamVByte, &kBitPack128, &kPFor128};

}  // namespace

size_t BlockCodec::decode_docs(std::string_view in, uint32_t* values, uint64_t first,
                               uint64_t& last) const {
  size_t used = decode(in, values);
  if (used != 0) last = gaps_to_docs(values, kBlockSize, first);
  return used;
}

size_t BlockCodec::decode_one(std::string_view in, size_t index, uint32_t& value) const {
  uint32_t values[kBlockSize];
  size_t used = decode(in, values);
  if (used != 0) value = values[index];
  return used;
}

const BlockCodec* codec_by_id(uint8_t id) {
  for (const BlockCodec* codec : kAll)
    if (static_cast<uint8_t>(codec->id()) == id) return codec;
  return nullptr;
}

// Chosen by measurement (docs/BENCHMARKS.md#codecs): bit packing decodes 10-30x faster
// than Debian's libstreamvbyte, which is built without SIMD, and is smaller on every gap
// distribution of postings. Patched (pfor128) it takes the million's index 18 MB smaller,
// under Lucene's, for queries about 6% slower than plain bitpack128 (alternating runs; and2
// and and3 about 13%), which stay well inside issue 6's query targets; bitpack128 is the
// option for an archive that prefers that speed to the bytes (morgue-index --codec).
const BlockCodec& default_codec() { return kPFor128; }

std::span<const BlockCodec* const> all_codecs() { return kAll; }

}  // namespace morgue
