// One conformance suite applied to every codec of the registry, and vbyte.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstring>
#include <memory>
#include <random>

#include "common/codec/bitpack_codec.h"
#include "common/codec/block_codec.h"
#include "common/codec/block_values.h"
#include "common/codec/short_run.h"
#include "common/codec/vbyte.h"

using namespace morgue;

namespace {

using Block = std::array<uint32_t, kBlockSize>;

std::vector<Block> interesting_blocks() {
  std::vector<Block> blocks;
  Block b{};
  blocks.push_back(b);  // all zeros
  b.fill(1);
  blocks.push_back(b);
  b.fill(UINT32_MAX);
  blocks.push_back(b);
  for (uint32_t bits = 1; bits <= 32; ++bits) {  // every width, with the top value present
    std::mt19937 rng(bits);
    for (uint32_t& v : b) v = bits == 32 ? rng() : rng() & ((1u << bits) - 1);
    b[rng() % kBlockSize] = bits == 32 ? UINT32_MAX : (1u << bits) - 1;
    blocks.push_back(b);
  }
  std::mt19937 rng(42);
  std::geometric_distribution<uint32_t> small(0.3), medium(0.01);
  for (int i = 0; i < 200; ++i) {
    for (uint32_t& v : b) v = i % 2 ? small(rng) : medium(rng);
    if (i % 7 == 0) b[rng() % kBlockSize] = 1u << (rng() % 32);  // one huge gap
    blocks.push_back(b);
  }
  return blocks;
}

}  // namespace

TEST_CASE("every codec round-trips blocks of every shape", "[codec]") {
  auto blocks = interesting_blocks();
  for (const BlockCodec* codec : all_codecs()) {
    CAPTURE(codec->name());
    REQUIRE(codec_by_id(static_cast<uint8_t>(codec->id())) == codec);
    for (size_t i = 0; i < blocks.size(); ++i) {
      CAPTURE(i);
      std::string bytes;
      codec->encode(blocks[i].data(), bytes);
      Block out{};
      REQUIRE(codec->decode(bytes, out.data()) == bytes.size());
      CHECK(out == blocks[i]);
      // Several blocks back to back decode one after the other.
      std::string two = bytes + bytes;
      size_t first = codec->decode(two, out.data());
      CHECK(codec->decode(std::string_view(two).substr(first), out.data()) == bytes.size());
    }
  }
}

TEST_CASE("every codec's decode_docs equals decode then gaps_to_docs", "[codec]") {
  auto blocks = interesting_blocks();
  std::mt19937_64 rng(17);
  for (const BlockCodec* codec : all_codecs()) {
    CAPTURE(codec->name());
    for (size_t i = 0; i < blocks.size(); ++i) {
      std::string bytes;
      codec->encode(blocks[i].data(), bytes);
      // From 0, from anywhere, and from near 2^32, where even small gaps wrap.
      for (uint64_t first : {uint64_t{0}, rng() % (uint64_t{1} << 32),
                             (uint64_t{1} << 32) - rng() % 200}) {
        CAPTURE(i, first);
        Block expected = blocks[i];
        uint64_t expected_last = gaps_to_docs(expected.data(), kBlockSize, first);
        Block docs{};
        uint64_t last = 0;
        REQUIRE(codec->decode_docs(bytes, docs.data(), first, last) == bytes.size());
        CHECK(last == expected_last);
        CHECK(docs == expected);
      }
    }
    Block docs{};
    uint64_t last = 0;
    CHECK(codec->decode_docs("", docs.data(), 0, last) == 0);
  }
}

TEST_CASE("every codec's decode_one reads the value decode gives at each index", "[codec]") {
  auto blocks = interesting_blocks();
  for (const BlockCodec* codec : all_codecs()) {
    CAPTURE(codec->name());
    for (size_t i = 0; i < blocks.size(); ++i) {
      std::string bytes;
      codec->encode(blocks[i].data(), bytes);
      for (size_t index = 0; index < kBlockSize; ++index) {
        CAPTURE(i, index);
        uint32_t value = 0;
        REQUIRE(codec->decode_one(bytes, index, value) == bytes.size());
        REQUIRE(value == blocks[i][index]);
      }
      // Cut short, the block is refused rather than read past its end.
      uint32_t value = 0;
      CHECK(codec->decode_one(std::string_view(bytes).substr(0, bytes.size() - 1), 127, value) ==
            0);
    }
  }
}

TEST_CASE("every codec refuses truncated or garbage input without reading past it",
          "[codec][property]") {
  auto blocks = interesting_blocks();
  std::mt19937 rng(7);
  for (const BlockCodec* codec : all_codecs()) {
    CAPTURE(codec->name());
    for (const Block& block : blocks) {
      std::string bytes;
      codec->encode(block.data(), bytes);
      Block out{};
      for (size_t n = 0; n < bytes.size(); n += 1 + n / 3) {
        // An exact-size heap copy lets AddressSanitizer catch any over-read.
        std::unique_ptr<char[]> copy(new char[n + 1]);
        std::memcpy(copy.get(), bytes.data(), n);
        CHECK(codec->decode(std::string_view(copy.get(), n), out.data()) == 0);
      }
    }
    for (int trial = 0; trial < 2000; ++trial) {
      size_t n = rng() % 700;
      std::unique_ptr<char[]> garbage(new char[n + 1]);
      for (size_t i = 0; i < n; ++i) garbage[i] = static_cast<char>(rng());
      Block out{};
      size_t used = codec->decode(std::string_view(garbage.get(), n), out.data());
      CHECK(used <= n);
    }
  }
  CHECK(codec_by_id(0) == nullptr);
  CHECK(codec_by_id(200) == nullptr);
}

TEST_CASE("bit packing uses exactly the bits of the largest value", "[codec]") {
  Block b{};
  b[5] = 1000;  // 10 bits
  std::string bytes;
  BitPack128Codec().encode(b.data(), bytes);
  CHECK(bytes.size() == 1 + 16 * 10);
  CHECK(max_bits(b.data(), kBlockSize) == 10);
  Block zeros{};
  bytes.clear();
  BitPack128Codec().encode(zeros.data(), bytes);
  CHECK(bytes.size() == 1);
}

TEST_CASE("vbyte round-trips runs of every length and rejects damage", "[codec]") {
  std::mt19937 rng(3);
  for (size_t n : {size_t{0}, size_t{1}, size_t{2}, size_t{127}}) {
    std::vector<uint32_t> values(n);
    for (uint32_t& v : values) v = rng() >> (rng() % 32);
    if (n > 1) values[1] = UINT32_MAX;
    std::string bytes;
    encode_vbyte(values.data(), n, bytes);
    std::vector<uint32_t> out(n);
    CHECK(decode_vbyte(bytes, n, out.data()) == bytes.size());
    CHECK(out == values);
    if (n > 0) CHECK(decode_vbyte(std::string_view(bytes).substr(0, bytes.size() - 1), n,
                                  out.data()) == 0);
  }
  uint32_t v;
  CHECK(decode_vbyte("\xff\xff\xff\xff\x1f", 1, &v) == 0);  // 35 bits
  CHECK(decode_vbyte("\xff\xff\xff\xff\x0f", 1, &v) == 5);
  CHECK(v == UINT32_MAX);
}

TEST_CASE("short runs round-trip at every length and width, and reject damage",
          "[codec][property]") {
  // Oracle: the values themselves; the size is the width byte plus ceil(n * bits / 8), or
  // a varint for one value.
  std::mt19937 rng(41);
  for (size_t n = 1; n < kBlockSize; ++n) {
    for (uint32_t bits = 0; bits <= 32; ++bits) {
      CAPTURE(n, bits);
      std::vector<uint32_t> values(n);
      uint64_t limit = uint64_t{1} << bits;
      for (uint32_t& v : values) v = static_cast<uint32_t>(rng() % limit);
      if (bits > 0) values[rng() % n] = static_cast<uint32_t>(limit - 1);  // the width is bits
      std::string bytes;
      encode_short_run(values.data(), n, bytes);
      std::string vbyte;
      encode_vbyte(values.data(), n, vbyte);
      if (n == 1) REQUIRE(bytes == vbyte);
      else REQUIRE(bytes.size() == 1 + short_run_packed_bytes(n, bits));
      std::vector<uint32_t> out(n, 12345);
      bytes += "\x7f";  // trailing bytes are not consumed
      REQUIRE(decode_short_run(bytes, n, out.data()) == bytes.size() - 1);
      REQUIRE(out == values);
      bytes.pop_back();
      REQUIRE(decode_short_run(std::string_view(bytes).substr(0, bytes.size() - 1), n,
                               out.data()) == 0);  // cut short
      if (n > 1 && (n * bits) % 8 != 0) {  // a padding bit set
        std::string padded = bytes;
        padded.back() = static_cast<char>(padded.back() | 0x80);
        CHECK(decode_short_run(padded, n, out.data()) == 0);
      }
    }
  }
  uint32_t v[2];
  CHECK(decode_short_run(std::string("\x21" "\0\0\0\0\0\0\0\0\0", 10), 2, v) == 0);  // 33 bits
  CHECK(decode_short_run("", 2, v) == 0);
}

TEST_CASE("gaps_to_docs equals the 64-bit running sum, and flags a wrapped block",
          "[codec]") {
  std::mt19937_64 rng(7);
  for (int round = 0; round < 2000; ++round) {
    size_t n = 1 + rng() % 131;  // every tail length past the 4-lane loop
    uint64_t first = round % 3 == 0 ? 0 : rng() % (uint64_t{1} << 32);
    // Gap widths from 0 to 32 bits: small gaps keep most blocks in range, wide ones wrap.
    uint32_t bits = static_cast<uint32_t>(rng() % 33);
    std::vector<uint32_t> gaps(n);
    for (uint32_t& g : gaps)
      g = bits == 0 ? 0 : static_cast<uint32_t>(rng() >> (64 - bits));
    std::vector<uint64_t> expected(n);
    uint64_t d = first;
    for (size_t i = 0; i < n; ++i) {
      d = (i == 0 ? first : d + 1) + gaps[i];
      expected[i] = d;
    }
    std::vector<uint32_t> values = gaps;
    CAPTURE(round, n, first, bits);
    REQUIRE(gaps_to_docs(values.data(), n, first) == expected.back());
    for (size_t i = 0; i < n; ++i) REQUIRE(values[i] == static_cast<uint32_t>(expected[i]));
  }
  // A wrapped block is told by its 64-bit last number, though its u32 numbers look small
  // and rising.
  std::vector<uint32_t> values = {UINT32_MAX - 5, 10};
  CHECK(gaps_to_docs(values.data(), 2, 10) == uint64_t{UINT32_MAX} - 5 + 10 + 1 + 10);
  CHECK(values == std::vector<uint32_t>{4, 15});
}

TEST_CASE("first_at_least finds what lower_bound finds across the sign bit (8 or 16 a step)",
          "[codec]") {
  std::mt19937_64 rng(13);
  for (int round = 0; round < 3000; ++round) {
    size_t end = 1 + rng() % 128;
    // Numbers rising from a start anywhere in the u32 range, some across 2^31, where a
    // signed compare would misorder them.
    uint64_t v = round % 4 == 0 ? (uint64_t{1} << 31) - rng() % 300 : rng() % (uint64_t{1} << 32);
    std::vector<uint32_t> values;
    for (size_t i = 0; i < end && v <= UINT32_MAX; ++i, v += 1 + rng() % 5)
      values.push_back(static_cast<uint32_t>(v));
    end = values.size();
    size_t begin = rng() % end;
    // Any target from the value at begin up to the last: the last is >= target.
    uint64_t span = uint64_t{values[end - 1]} - values[begin];
    auto target = static_cast<uint32_t>(values[begin] + rng() % (span + 1));
    auto expected = std::lower_bound(values.begin() + static_cast<std::ptrdiff_t>(begin),
                                     values.end(), target) - values.begin();
    CAPTURE(round, begin, end, target);
    REQUIRE(first_at_least(values.data(), begin, end, target) == static_cast<size_t>(expected));
    REQUIRE(first_at_least<true>(values.data(), begin, end, target) ==
            static_cast<size_t>(expected));
  }
}

TEST_CASE("stored_to_wdfs adds one to every frequency and refuses UINT32_MAX", "[codec]") {
  std::mt19937 rng(11);
  for (size_t n = 1; n <= 131; ++n) {
    std::vector<uint32_t> stored(n);
    for (uint32_t& f : stored) f = rng() >> (rng() % 32);
    std::vector<uint32_t> values = stored;
    CAPTURE(n);
    REQUIRE(stored_to_wdfs(values.data(), n));
    for (size_t i = 0; i < n; ++i) REQUIRE(values[i] == stored[i] + 1);
    // One frequency too large for a wdf, anywhere: in a 4-lane group or in the tail.
    for (size_t at : {size_t{0}, n / 2, n - 1}) {
      values = stored;
      values[at] = UINT32_MAX;
      CHECK_FALSE(stored_to_wdfs(values.data(), n));
    }
  }
}

TEST_CASE("pfor128 patches the few wide values instead of widening the block", "[codec]") {
  // The worked example of docs/FORMAT.md#integer-codecs: 127 ones and 1000 at index 5.
  Block b{};
  b.fill(1);
  b[5] = 1000;
  std::string bytes;
  PFor128Codec().encode(b.data(), bytes);
  std::string expected = "\x81\x01\x09";  // exceptions, low width 1; 1 exception of 9 bits
  expected += std::string("\x05\xf4\x01", 3);  // index 5; high bits 1000 >> 1 = 500
  expected += std::string("\xff\xff\xff\xff\xfd\xff\xff\xff", 8) + std::string(8, '\xff');
  CHECK(bytes == expected);
  std::string plain;
  BitPack128Codec().encode(b.data(), plain);
  CHECK(plain.size() == 1 + 16 * 10);

  // Without values worth patching, the bytes are bitpack128's.
  std::mt19937 rng(5);
  for (int trial = 0; trial < 50; ++trial) {
    for (uint32_t& v : b) v = rng() % 64 + 32;  // all of width 6
    bytes.clear();
    plain.clear();
    PFor128Codec().encode(b.data(), bytes);
    BitPack128Codec().encode(b.data(), plain);
    CHECK(bytes == plain);
  }

  // Never larger than bitpack128, and no larger than any other width would make it: the
  // encoder's cost model against the sizes of real encodings at every width.
  std::geometric_distribution<uint32_t> gaps(0.05);
  for (int trial = 0; trial < 200; ++trial) {
    for (uint32_t& v : b) v = gaps(rng);
    if (trial % 3 == 0) b[rng() % kBlockSize] = rng();
    bytes.clear();
    plain.clear();
    PFor128Codec().encode(b.data(), bytes);
    BitPack128Codec().encode(b.data(), plain);
    CHECK(bytes.size() <= plain.size());
    uint32_t top = max_bits(b.data(), kBlockSize);
    for (uint32_t width = 0; width < top; ++width) {
      size_t wider = 0;
      for (uint32_t v : b) wider += max_bits(&v, 1) > width;
      CHECK(bytes.size() <= 3 + 16 * width + wider + (wider * (top - width) + 7) / 8);
    }
  }

  // Exception indexes that do not rise are refused.
  std::string twice;
  b.fill(1);
  b[5] = 1000;
  b[9] = 1000;
  PFor128Codec().encode(b.data(), twice);
  REQUIRE(twice[3] == '\x05');
  std::swap(twice[3], twice[4]);
  Block out{};
  CHECK(PFor128Codec().decode(twice, out.data()) == 0);
}
