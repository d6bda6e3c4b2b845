#include "common/analysis/stemmer.h"

#include <libstemmer.h>

#include <stdexcept>
#include <utility>

#include "common/base/checksum.h"

namespace morgue {

Stemmer::Stemmer() : stemmer_(sb_stemmer_new("english", "UTF_8")) {
  // Only fails when memory runs out, the one failure morgue lets propagate.
  if (!stemmer_) throw std::bad_alloc();
}

Stemmer::~Stemmer() {
  if (stemmer_) sb_stemmer_delete(stemmer_);
}

Stemmer::Stemmer(Stemmer&& other) noexcept
    : cache_(std::move(other.cache_)), stemmer_(std::exchange(other.stemmer_, nullptr)) {}

Stemmer& Stemmer::operator=(Stemmer&& other) noexcept {
  if (this != &other) {
    if (stemmer_) sb_stemmer_delete(stemmer_);
    stemmer_ = std::exchange(other.stemmer_, nullptr);
    cache_ = std::move(other.cache_);
  }
  return *this;
}

std::string Stemmer::stem(std::string_view folded_word) {
  // Numbers have no inflections; the English algorithm would only mangle "1980s".
  if (folded_word.empty() || (folded_word[0] >= '0' && folded_word[0] <= '9'))
    return std::string(folded_word);
  if (folded_word.size() > kMaxCachedWordBytes) return stem_uncached(folded_word);
  if (cache_.empty()) cache_.resize(kCacheEntries);
  // An empty entry matches no word: the empty word never gets here.
  CachedStem& cached = cache_[checksum(folded_word) & (kCacheEntries - 1)];
  if (cached.word == folded_word) return cached.stem;
  std::string stemmed = stem_uncached(folded_word);
  cached.word.clear();  // so that an allocation failing below leaves it matching nothing
  cached.stem = stemmed;
  cached.word.assign(folded_word);
  return stemmed;
}

std::string Stemmer::stem_uncached(std::string_view folded_word) {
  const sb_symbol* out =
      sb_stemmer_stem(stemmer_, reinterpret_cast<const sb_symbol*>(folded_word.data()),
                      static_cast<int>(folded_word.size()));
  if (!out) throw std::bad_alloc();
  return std::string(reinterpret_cast<const char*>(out),
                     static_cast<size_t>(sb_stemmer_length(stemmer_)));
}

}  // namespace morgue
