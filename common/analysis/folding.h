// Unicode case and accent folding (utf8proc): "Élysée" -> "elysee", "STRASSE" == "straße".
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace morgue {

// Case-folds and strips accents (NFKD, drop combining marks, recompose). Requires valid
// UTF-8 (see utf8.h); invalid input yields an empty string.
std::string fold(std::string_view utf8);

// What fold() does to ASCII, in place: lower case. Inline, for the tokenizer's ASCII
// reading, which folds every word it makes.
inline void fold_ascii(std::span<char> ascii) {
  for (char& c : ascii)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
}

// The canonical form of an entity, topic or source name for exact matching regardless of
// case, accents and punctuation: folded, runs of non-alphanumerics become one '-', no '-'
// at either end. "El Salvador" -> "el-salvador", "Joe  Biden" -> "joe-biden",
// "U.S." -> "u-s".
std::string normalize_name(std::string_view utf8);

}  // namespace morgue
