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

// A token of FoldedWords: its folded form is text_size bytes of FoldedWords::text.
struct FoldedWord {
  uint32_t text_begin = 0;
  uint32_t text_size = 0;
  uint32_t position = 0;
  uint32_t byte_begin = 0;
  uint32_t byte_end = 0;
};

// Tokens with their folded forms end to end in one string: what the indexer's analysis
// reads, a word at a time. A std::string a token was built, moved and destroyed for every
// word, about a third of tokenize()'s time.
struct FoldedWords {
  std::string text;
  std::vector<FoldedWord> words;

  std::string_view text_of(const FoldedWord& w) const {
    return {text.data() + w.text_begin, w.text_size};
  }
  // The word as a Token of its own (a copy of its folded form).
  Token token(const FoldedWord& w) const {
    return {std::string(text_of(w)), w.position, w.byte_begin, w.byte_end};
  }
  void clear() {
    text.clear();
    words.clear();
  }
};

// Appends the tokens of `text` to `out`, numbering positions from `first_position`.
// Returns the position after the last one used (first_position if no tokens).
// Requires valid UTF-8.
uint32_t tokenize(std::string_view text, uint32_t first_position, FoldedWords& out);
// The same tokens, each with a string of its own.
uint32_t tokenize(std::string_view text, uint32_t first_position, std::vector<Token>& out);

}  // namespace morgue
