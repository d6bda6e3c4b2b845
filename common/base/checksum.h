// The checksum of every morgue file and store chunk: XXH3-64 (xxhash), seed 0; and a wider
// fingerprint for telling identical byte strings from different ones.
#pragma once

#include <cstdint>
#include <string_view>

namespace morgue {

uint64_t checksum(std::string_view bytes);

// XXH3-128: two different strings share one with a chance of 2^-128, negligible where a
// 64-bit checksum's collisions, among millions of strings, would not be.
struct Fingerprint {
  uint64_t low = 0, high = 0;
};
Fingerprint fingerprint(std::string_view bytes);

// Incremental form, for files written in pieces.
class ChecksumBuilder {
 public:
  ChecksumBuilder();
  ~ChecksumBuilder();
  ChecksumBuilder(const ChecksumBuilder&) = delete;
  ChecksumBuilder& operator=(const ChecksumBuilder&) = delete;

  void update(std::string_view bytes);
  uint64_t digest() const;

 private:
  void* state_;  // XXH3_state_t, kept out of this header
};

}  // namespace morgue
