// UTF-8 checks through utf8proc's decoder, which rejects overlong forms, surrogates and
// code points above U+10FFFF.
#include "common/analysis/utf8.h"

#include <simdjson.h>
#include <utf8proc.h>

namespace morgue {
namespace {

// Length of the valid UTF-8 sequence at text[i], or 0 if it is not one.
size_t valid_sequence_length(std::string_view text, size_t i) {
  auto c = static_cast<unsigned char>(text[i]);
  if (c < 0x80) return 1;
  utf8proc_int32_t cp;
  utf8proc_ssize_t n = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(text.data() + i),
                                        static_cast<utf8proc_ssize_t>(text.size() - i), &cp);
  return n > 0 ? static_cast<size_t>(n) : 0;
}

}  // namespace

std::optional<size_t> find_invalid_utf8(std::string_view text) {
  // simdjson's SIMD validator answers for valid text, nearly all of it, at memory speed
  // (the byte loop below was 1% of a build's samples, over each JSON line and again over
  // the article's fields); the loop only finds where invalid text goes wrong.
  if (simdjson::validate_utf8(text.data(), text.size())) return std::nullopt;
  size_t i = 0;
  while (i < text.size()) {
    size_t n = valid_sequence_length(text, i);
    if (n == 0) return i;
    i += n;
  }
  return std::nullopt;
}

size_t repair_utf8(std::string& text) {
  if (!find_invalid_utf8(text)) return 0;
  std::string out;
  out.reserve(text.size() + 16);
  size_t replaced = 0;
  size_t i = 0;
  while (i < text.size()) {
    size_t n = valid_sequence_length(text, i);
    if (n > 0) {
      out.append(text, i, n);
      i += n;
      continue;
    }
    // A run of bytes that start no valid sequence becomes one U+FFFD.
    while (i < text.size() && valid_sequence_length(text, i) == 0) ++i;
    append_utf8(out, 0xFFFD);
    ++replaced;
  }
  text.swap(out);
  return replaced;
}

std::string latin1_to_utf8(std::string_view latin1) {
  std::string out;
  out.reserve(latin1.size() + latin1.size() / 8);
  for (char ch : latin1) {
    auto c = static_cast<unsigned char>(ch);
    if (c < 0x80) {
      out.push_back(ch);
    } else {
      out.push_back(static_cast<char>(0xC0 | (c >> 6)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    }
  }
  return out;
}

void append_utf8(std::string& out, char32_t code_point) {
  utf8proc_uint8_t buffer[4];
  utf8proc_ssize_t n = utf8proc_encode_char(static_cast<utf8proc_int32_t>(code_point), buffer);
  out.append(reinterpret_cast<const char*>(buffer), static_cast<size_t>(n));
}

}  // namespace morgue
