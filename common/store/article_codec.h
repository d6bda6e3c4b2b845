// A compact binary serialisation of Article: the bytes the article store keeps per document.
// Layout: docs/FORMAT.md#store (section "Serialised article").
#pragma once

#include <string>
#include <string_view>

#include "common/article/article.h"
#include "common/base/status.h"

namespace morgue {

// Version of the serialised-article grammar, written as the first byte of every encoding.
// Covered by kFormatVersion too; the byte lets a reader reject bytes it cannot know
// (kNotSupported) instead of misreading them.
inline constexpr uint8_t kArticleCodecVersion = 1;

// Serialises every field of `article` (strings are kept byte for byte, not validated as
// UTF-8). decode_article(encode_article(a), b) gives b == a.
[[nodiscard]] std::string encode_article(const Article& article);

// Parses bytes written by encode_article into `out` (overwritten; after an error it holds
// unspecified but valid values).
// Bounds-checked: never reads outside `bytes`, never allocates more than `bytes` can
// describe. Errors: kCorruption on truncated, overlong or malformed bytes (unknown entity
// type, bad presence flag, trailing bytes), kNotSupported on an unknown codec version.
[[nodiscard]] Status decode_article(std::string_view bytes, Article& out);

}  // namespace morgue
