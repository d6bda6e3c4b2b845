// UTF-8 validation and repair. Nothing invalid is ever passed on into an index.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

namespace morgue {

// Byte offset of the first invalid UTF-8 sequence (overlongs, surrogates and code points
// above U+10FFFF are invalid), or nullopt if the text is valid.
std::optional<size_t> find_invalid_utf8(std::string_view text);

// True if every byte is below 0x80. Eight bytes at a time: the tokenizer asks it of every
// text it reads.
inline bool is_ascii(std::string_view text) {
  uint64_t high_bits = 0;
  size_t i = 0;
  for (; i + 8 <= text.size(); i += 8) {
    uint64_t word;
    std::memcpy(&word, text.data() + i, sizeof word);
    high_bits |= word;
  }
  for (; i < text.size(); ++i) high_bits |= static_cast<unsigned char>(text[i]);
  return (high_bits & 0x8080808080808080ull) == 0;
}

// Replaces each run of bytes that begin no valid sequence with one U+FFFD. Returns the
// number of runs replaced.
size_t repair_utf8(std::string& text);

// Converts Latin-1 (ISO 8859-1) bytes to UTF-8.
std::string latin1_to_utf8(std::string_view latin1);

// Appends the UTF-8 encoding of a code point (must be a valid scalar value).
void append_utf8(std::string& out, char32_t code_point);

}  // namespace morgue
