// Snowball English stemmer (libstemmer). One Stemmer per thread: libstemmer is not
// thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/base/hash.h"

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
  std::string stem(std::string_view folded_word) { return std::string(stem_view(folded_word)); }

  // The same stem, without a copy: it points into the cache, libstemmer's buffer or
  // folded_word itself, and is valid until the next call on this Stemmer (or as long as
  // folded_word, whichever is sooner).
  std::string_view stem_view(std::string_view folded_word);

  // Asks for the cache line that stem(folded_word) will read. Stemming a text's words, each
  // asked for a few words ahead, overlaps their cache misses.
  void prefetch(std::string_view folded_word) const {
    if (cache_ && folded_word.size() <= kMaxCachedBytes)
      __builtin_prefetch(&cache_[set_index(folded_word)]);
  }

 private:
  // Snowball's answer, without the cache; valid until libstemmer's next call.
  std::string_view stem_uncached(std::string_view folded_word);

  // The stems of recent words. News text repeats a small vocabulary, and Snowball was a
  // quarter of the analysis workers' CPU at a million articles. Two-way set-associative:
  // a set is one 64-byte cache line holding two words and their stems inline, the most
  // recently used first, so a lookup reads one line and follows no pointer. 2^14 sets
  // (1 MiB) miss 6.7% of a 200,000-article synthetic build's words, where 2^14
  // direct-mapped entries of two std::strings (the same 1 MiB) missed 16%
  // (docs/ANALYSIS.md). 2^15 sets fill one 2 MiB huge page, so that the lookups, all over
  // the cache, miss no TLB entry: a million-article build's two workers used 20.0-20.6
  // CPU-s against 21.0-21.8 with 2^14 sets on 4 KiB pages (20.7-21.6 with 2^14 in a huge
  // page). Allocated on the first stem; words or stems longer than kMaxCachedBytes are not
  // kept.
  static constexpr size_t kMaxCachedBytes = 15;
  struct CachedStem {
    uint8_t word_length = 0;  // 0: empty (the empty word never gets here)
    uint8_t stem_length = 0;
    char word[kMaxCachedBytes];
    char stem[kMaxCachedBytes];
  };
  struct alignas(64) CacheSet {
    CachedStem ways[2];
  };
  static constexpr size_t kCacheSets = size_t{1} << 15;
  static size_t set_index(std::string_view folded_word) {
    return hash_bytes(folded_word) & (kCacheSets - 1);
  }
  struct CacheFree {
    void operator()(CacheSet* sets) const;
  };
  // A fresh mapping of one huge page, aligned to it and asked to be backed by one
  // (madvise; where the kernel gives none, 4 KiB pages as before), zeroed: every way
  // empty. Allocated on the first stem.
  static std::unique_ptr<CacheSet[], CacheFree> allocate_cache();
  std::unique_ptr<CacheSet[], CacheFree> cache_;

  sb_stemmer* stemmer_ = nullptr;
};

}  // namespace morgue
