// Little-endian fixed-width integers and LEB128 varints: the byte-level vocabulary of
// every file morgue writes (docs/FORMAT.md#conventions).
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace morgue {

// x86-64 and AArch64 are little-endian, which is what the format requires.
static_assert(std::endian::native == std::endian::little, "morgue's format assumes little-endian");

inline void put_fixed16(std::string& out, uint16_t v) { out.append(reinterpret_cast<const char*>(&v), 2); }
inline void put_fixed32(std::string& out, uint32_t v) { out.append(reinterpret_cast<const char*>(&v), 4); }
inline void put_fixed64(std::string& out, uint64_t v) { out.append(reinterpret_cast<const char*>(&v), 8); }

inline uint16_t load_fixed16(const void* p) {
  uint16_t v;
  std::memcpy(&v, p, 2);
  return v;
}
inline uint32_t load_fixed32(const void* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}
inline uint64_t load_fixed64(const void* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}

// Unsigned integers of 0-4 bytes, as narrow as a table's largest value allows: bytes_for
// gives that width (1 for 0), put_uint writes v's low `width` bytes, and a reader loads 4
// bytes and applies width_mask.
inline uint32_t bytes_for(uint32_t v) {
  return v < (1u << 8) ? 1 : v < (1u << 16) ? 2 : v < (1u << 24) ? 3 : 4;
}
inline void put_uint(std::string& out, uint32_t v, uint32_t width) {
  for (uint32_t i = 0; i < width; ++i) out.push_back(static_cast<char>(v >> (8 * i)));
}
// The mask that keeps a `width`-byte integer of a 4-byte load (0 for width 0).
inline uint32_t width_mask(uint32_t width) {
  return width >= 4 ? 0xFFFFFFFFu : (uint32_t{1} << (8 * width)) - 1;
}

// LEB128: 7 bits a byte, least significant group first, high bit set on all but the last.
inline void put_varint(std::string& out, uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>(v | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

// The same into a caller's buffer, which must have room for kMaxVarint32Bytes; returns
// the end of what was written.
inline constexpr size_t kMaxVarint32Bytes = 5;
inline char* put_varint32(char* out, uint32_t v) {
  while (v >= 0x80) {
    *out++ = static_cast<char>(v | 0x80);
    v >>= 7;
  }
  *out++ = static_cast<char>(v);
  return out;
}

inline size_t varint_length(uint64_t v) {
  size_t n = 1;
  while (v >= 0x80) {
    v >>= 7;
    ++n;
  }
  return n;
}

inline void put_length_prefixed(std::string& out, std::string_view s) {
  put_varint(out, s.size());
  out.append(s);
}

// The first 8 bytes of `bytes` as one big-endian number, zero-padded: two strings' numbers
// order as their first 8 bytes do, bytewise, so most comparisons of short strings (terms)
// need no memcmp. A string under 8 bytes is read as two overlapping halves, never past its
// end.
inline uint64_t leading_bytes(std::string_view bytes) {
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  size_t n = bytes.size();
  if (n >= 8) return __builtin_bswap64(load_fixed64(p));
  if (n >= 4) {
    uint64_t first = __builtin_bswap32(load_fixed32(p));
    uint64_t last = __builtin_bswap32(load_fixed32(p + n - 4));
    return (first << 32) | (last << (64 - 8 * n));
  }
  if (n == 0) return 0;
  return (uint64_t{p[0]} << 56) | (uint64_t{p[n / 2]} << (56 - 8 * (n / 2))) |
         (uint64_t{p[n - 1]} << (56 - 8 * (n - 1)));
}

// A bounds-checked cursor over bytes that are not trusted (a file that may be corrupt).
// Every read checks the remaining length; the first failure makes the reader fail and
// every later read return zero/empty, so callers check ok() once after a run of reads.
class ByteReader {
 public:
  ByteReader() = default;
  explicit ByteReader(std::string_view bytes) : p_(bytes.data()), end_(bytes.data() + bytes.size()) {}

  bool ok() const { return ok_; }
  size_t remaining() const { return static_cast<size_t>(end_ - p_); }
  const char* position() const { return p_; }
  bool at_end() const { return p_ == end_; }

  uint8_t u8() {
    if (!need(1)) return 0;
    return static_cast<uint8_t>(*p_++);
  }
  uint16_t fixed16() { return need(2) ? advance_load<uint16_t>() : 0; }
  uint32_t fixed32() { return need(4) ? advance_load<uint32_t>() : 0; }
  uint64_t fixed64() { return need(8) ? advance_load<uint64_t>() : 0; }

  uint64_t varint() {
    // One byte, the common case (score bounds, small lengths), without the loop.
    if (ok_ && p_ != end_ && !(static_cast<uint8_t>(*p_) & 0x80)) return static_cast<uint8_t>(*p_++);
    uint64_t result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (!need(1)) return 0;
      auto byte = static_cast<uint8_t>(*p_++);
      result |= static_cast<uint64_t>(byte & 0x7F) << shift;
      if (!(byte & 0x80)) return result;
    }
    ok_ = false;  // more than 10 bytes: not a varint
    return 0;
  }
  uint32_t varint32() {
    uint64_t v = varint();
    if (v > UINT32_MAX) ok_ = false;
    return ok_ ? static_cast<uint32_t>(v) : 0;
  }

  std::string_view bytes(size_t n) {
    if (!need(n)) return {};
    std::string_view out(p_, n);
    p_ += n;
    return out;
  }
  std::string_view length_prefixed() {
    uint64_t n = varint();
    if (!ok_ || n > remaining()) {
      ok_ = false;
      return {};
    }
    return bytes(static_cast<size_t>(n));
  }
  void skip(size_t n) { bytes(n); }
  void fail() { ok_ = false; }

 private:
  bool need(size_t n) {
    if (ok_ && remaining() >= n) return true;
    ok_ = false;
    p_ = end_;
    return false;
  }
  template <typename T>
  T advance_load() {
    T v;
    std::memcpy(&v, p_, sizeof(T));
    p_ += sizeof(T);
    return v;
  }

  const char* p_ = nullptr;
  const char* end_ = nullptr;
  bool ok_ = true;
};

}  // namespace morgue
