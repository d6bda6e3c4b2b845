// The checksum of every morgue file and store chunk: XXH3-64 (xxhash), seed 0.
#pragma once

#include <cstdint>
#include <string_view>

namespace morgue {

uint64_t checksum(std::string_view bytes);

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
