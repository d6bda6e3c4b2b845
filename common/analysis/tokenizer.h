// Splits UTF-8 text into folded word tokens with their byte spans. The rules (apostrophes,
// hyphens, abbreviations, numbers, length limit) are documented in docs/ANALYSIS.md.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace morgue {

// Tokens longer than this many bytes (after folding) are dropped, but still take a
// position so that a phrase cannot match across them.
inline constexpr size_t kMaxTokenBytes = 64;

struct Token {
  std::string text;        // folded surface form ("hamas", "us", "32000")
  uint32_t position = 0;   // word position within the field (consecutive words differ by 1)
  uint32_t byte_begin = 0; // span of the token in the input text, for snippets
  uint32_t byte_end = 0;
  bool operator==(const Token&) const = default;
};

// Appends the tokens of `text` to `out`, numbering positions from `first_position`.
// Returns the position after the last one used (first_position if no tokens).
// Requires valid UTF-8.
uint32_t tokenize(std::string_view text, uint32_t first_position, std::vector<Token>& out);

}  // namespace morgue
