// Where tests find the project's samples and the shared corpus.
#pragma once

#include <string>

namespace morgue::testing {

inline std::string source_path(const std::string& relative) {
  return std::string(MORGUE_SOURCE_DIR) + "/" + relative;
}
inline std::string shared_path(const std::string& relative) {
  return std::string(MORGUE_SHARED_DIR) + "/" + relative;
}
inline std::string binary_path(const std::string& relative) {
  return std::string(MORGUE_BINARY_DIR) + "/" + relative;
}

}  // namespace morgue::testing
