// Unicode case and accent folding (utf8proc): "Élysée" -> "elysee", "STRASSE" == "straße".
#pragma once

#include <string>
#include <string_view>

namespace morgue {

// Case-folds and strips accents (NFKD, drop combining marks, recompose). Requires valid
// UTF-8 (see utf8.h); invalid input yields an empty string.
std::string fold(std::string_view utf8);

// What fold() does to an ASCII character: lower case. Inline, for the tokenizer's ASCII
// reading, which folds every byte of every word as it copies it.
inline char fold_ascii(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

// The canonical form of an entity, topic or source name for exact matching regardless of
// case, accents and punctuation: folded, runs of non-alphanumerics become one '-', no '-'
// at either end. "El Salvador" -> "el-salvador", "Joe  Biden" -> "joe-biden",
// "U.S." -> "u-s".
std::string normalize_name(std::string_view utf8);

}  // namespace morgue
