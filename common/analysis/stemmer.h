// Snowball English stemmer (libstemmer). One Stemmer per thread: libstemmer is not
// thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

struct sb_stemmer;

namespace morgue {

class Stemmer {
 public:
  Stemmer();  // English ("english" Snowball algorithm, UTF-8)
  ~Stemmer();
  Stemmer(const Stemmer&) = delete;
  Stemmer& operator=(const Stemmer&) = delete;
  Stemmer(Stemmer&& other) noexcept;
  Stemmer& operator=(Stemmer&& other) noexcept;

  // The stem of a folded word ("running" -> "run"). Words that start with a digit are
  // returned unchanged.
  std::string stem(std::string_view folded_word);

 private:
  // Snowball's answer, without the cache.
  std::string stem_uncached(std::string_view folded_word);

  // The stems of recent words, direct-mapped by hash (a word evicts the one in its entry).
  // News text repeats a small vocabulary, and Snowball was a quarter of the analysis
  // workers' CPU at a million articles. Allocated on the first stem; words longer than
  // kMaxCachedWordBytes are not kept.
  struct CachedStem {
    std::string word, stem;
  };
  static constexpr size_t kCacheEntries = size_t{1} << 14;
  static constexpr size_t kMaxCachedWordBytes = 24;
  std::vector<CachedStem> cache_;

  sb_stemmer* stemmer_ = nullptr;
};

}  // namespace morgue
