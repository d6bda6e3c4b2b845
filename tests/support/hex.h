// Bytes as lowercase hex pairs separated by spaces ("4d 4f 52"), for byte-exact checks
// whose failures a reader can compare with the worked examples in docs/FORMAT.md.
#pragma once

#include <string>
#include <string_view>

namespace morgue::testing {

inline std::string to_hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    if (!out.empty()) out.push_back(' ');
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 15]);
  }
  return out;
}

}  // namespace morgue::testing
