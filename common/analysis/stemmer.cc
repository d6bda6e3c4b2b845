#include "common/analysis/stemmer.h"

#include <libstemmer.h>

#include <stdexcept>
#include <utility>

namespace morgue {

Stemmer::Stemmer() : stemmer_(sb_stemmer_new("english", "UTF_8")) {
  // Only fails when memory runs out, the one failure morgue lets propagate.
  if (!stemmer_) throw std::bad_alloc();
}

Stemmer::~Stemmer() {
  if (stemmer_) sb_stemmer_delete(stemmer_);
}

Stemmer::Stemmer(Stemmer&& other) noexcept : stemmer_(std::exchange(other.stemmer_, nullptr)) {}

Stemmer& Stemmer::operator=(Stemmer&& other) noexcept {
  if (this != &other) {
    if (stemmer_) sb_stemmer_delete(stemmer_);
    stemmer_ = std::exchange(other.stemmer_, nullptr);
  }
  return *this;
}

std::string Stemmer::stem(std::string_view folded_word) {
  // Numbers have no inflections; the English algorithm would only mangle "1980s".
  if (folded_word.empty() || (folded_word[0] >= '0' && folded_word[0] <= '9'))
    return std::string(folded_word);
  const sb_symbol* out =
      sb_stemmer_stem(stemmer_, reinterpret_cast<const sb_symbol*>(folded_word.data()),
                      static_cast<int>(folded_word.size()));
  if (!out) throw std::bad_alloc();
  return std::string(reinterpret_cast<const char*>(out),
                     static_cast<size_t>(sb_stemmer_length(stemmer_)));
}

}  // namespace morgue
