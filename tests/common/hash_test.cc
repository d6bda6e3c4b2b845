// hash_bytes (XXH3 inline) against checksum (the shared library's XXH3): the same value for
// random strings of every length path XXH3 has (0, 1-3, 4-8, 9-16, 17-128, 129-240, longer).
#include <catch2/catch.hpp>

#include <random>
#include <string>

#include "common/base/checksum.h"
#include "common/base/hash.h"

using namespace morgue;

TEST_CASE("hash_bytes is checksum's XXH3-64 at every length", "[unit][hash]") {
  std::mt19937 rng(11);
  for (size_t length = 0; length <= 600; ++length) {
    for (int sample = 0; sample < 4; ++sample) {
      std::string bytes(length, '\0');
      for (char& c : bytes) c = static_cast<char>(rng());
      CAPTURE(length, sample);
      REQUIRE(hash_bytes(bytes) == checksum(bytes));
    }
  }
}
