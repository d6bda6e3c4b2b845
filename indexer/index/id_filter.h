// A Bloom filter over the hashes of the article ids in the segments a writer wrote, so
// that adding an article whose id is new (nearly every article of a build) costs one cache
// line instead of a search of every flushed segment's ids. A "maybe" is checked against the
// segments themselves; the filter never says "no" to a hash it was given.
//
// Blocked layout (Putze, Sanders and Singler 2007): each hash picks one 64-byte block and
// sets kBitsPerKey bits within it, so a lookup reads one cache line. At kBitsOfBlockPerKey
// bits of filter a key the false positive rate stays near 1%.
#pragma once

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace morgue {

class IdFilter {
 public:
  // Bits of filter per key it is sized for; add() grows the filter (rebuilding it from
  // the caller's hashes) when the keys would exceed that.
  static constexpr size_t kBitsOfBlockPerKey = 12;

  // Whether adding `more` keys would overload the filter: the caller then calls
  // rebuild() with every hash it wants kept, then add()s the new ones.
  bool needs_rebuild(size_t more) const {
    return (keys_ + more) * kBitsOfBlockPerKey > blocks_.size() * kBlockBits;
  }
  // Empties the filter and sizes it for at least `keys` keys: between kBitsOfBlockPerKey
  // and twice that a key, as the block count is a power of two.
  void rebuild(size_t keys) {
    size_t blocks = std::bit_ceil(
        std::max<size_t>(1, (keys * kBitsOfBlockPerKey + kBlockBits - 1) / kBlockBits));
    blocks_.assign(blocks, Block{});
    keys_ = 0;
  }
  void add(uint64_t hash) {
    if (blocks_.empty()) rebuild(1);
    Block& b = blocks_[block_of(hash)];
    uint64_t bits = remix(hash);
    for (size_t i = 0; i < kBitsPerKey; ++i, bits >>= 9)
      b.words[bits & 7] |= 1ull << (bits >> 3 & 63);
    ++keys_;
  }
  bool may_contain(uint64_t hash) const {
    if (blocks_.empty()) return false;
    const Block& b = blocks_[block_of(hash)];
    uint64_t bits = remix(hash);
    for (size_t i = 0; i < kBitsPerKey; ++i, bits >>= 9) {
      if (!(b.words[bits & 7] >> (bits >> 3 & 63) & 1)) return false;
    }
    return true;
  }
  size_t memory_bytes() const { return blocks_.size() * sizeof(Block); }

 private:
  static constexpr size_t kBlockBits = 512;
  // Bits set a key: each takes 9 bits of the remixed hash (3 for the word, 6 for the bit),
  // and 7 of them use 63 of its 64.
  static constexpr size_t kBitsPerKey = 7;
  struct alignas(64) Block {
    uint64_t words[8] = {};
  };

  // The block from the hash's high bits; the bits within it from a remix of the whole
  // hash (a multiply by an odd constant), so that they do not repeat the block's bits.
  size_t block_of(uint64_t hash) const { return (hash >> 32) & (blocks_.size() - 1); }
  static uint64_t remix(uint64_t hash) { return hash * 0x9e3779b97f4a7c15ull; }

  std::vector<Block> blocks_;
  size_t keys_ = 0;
};

}  // namespace morgue
