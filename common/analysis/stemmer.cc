#include "common/analysis/stemmer.h"

#include <libstemmer.h>

#include <sys/mman.h>

#include <cstdint>
#include <cstring>
#include <memory>
#include <new>
#include <stdexcept>
#include <utility>

namespace morgue {

namespace {
constexpr size_t kHugePageBytes = size_t{2} << 20;
}  // namespace

std::unique_ptr<Stemmer::CacheSet[], Stemmer::CacheFree> Stemmer::allocate_cache() {
  static_assert(kCacheSets * sizeof(CacheSet) <= kHugePageBytes);
  // Twice the page, then the unaligned ends given back.
  void* region = mmap(nullptr, 2 * kHugePageBytes, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (region == MAP_FAILED) throw std::bad_alloc();
  auto start = reinterpret_cast<uintptr_t>(region);
  uintptr_t aligned = (start + kHugePageBytes - 1) & ~(kHugePageBytes - 1);
  if (aligned > start) munmap(region, aligned - start);
  uintptr_t end = start + 2 * kHugePageBytes;
  if (end > aligned + kHugePageBytes)
    munmap(reinterpret_cast<void*>(aligned + kHugePageBytes), end - aligned - kHugePageBytes);
  auto* sets = reinterpret_cast<CacheSet*>(aligned);
  madvise(sets, kHugePageBytes, MADV_HUGEPAGE);
  std::uninitialized_default_construct_n(sets, kCacheSets);  // every way empty
  return std::unique_ptr<CacheSet[], CacheFree>(sets);
}

void Stemmer::CacheFree::operator()(CacheSet* sets) const { munmap(sets, kHugePageBytes); }

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

std::string_view Stemmer::stem_view(std::string_view folded_word) {
  // Numbers have no inflections; the English algorithm would only mangle "1980s".
  if (folded_word.empty() || (folded_word[0] >= '0' && folded_word[0] <= '9'))
    return folded_word;
  if (folded_word.size() > kMaxCachedBytes) return stem_uncached(folded_word);
  if (!cache_) cache_ = allocate_cache();
  CacheSet& set = cache_[set_index(folded_word)];
  auto holds = [&](const CachedStem& c) {
    return c.word_length == folded_word.size() &&
           std::memcmp(c.word, folded_word.data(), folded_word.size()) == 0;
  };
  if (holds(set.ways[0])) return {set.ways[0].stem, set.ways[0].stem_length};
  if (holds(set.ways[1])) {
    std::swap(set.ways[0], set.ways[1]);  // most recently used first
    return {set.ways[0].stem, set.ways[0].stem_length};
  }
  std::string_view stemmed = stem_uncached(folded_word);
  if (stemmed.size() <= kMaxCachedBytes) {
    set.ways[1] = set.ways[0];  // the least recently used goes
    CachedStem& c = set.ways[0];
    c.word_length = static_cast<uint8_t>(folded_word.size());
    c.stem_length = static_cast<uint8_t>(stemmed.size());
    std::memcpy(c.word, folded_word.data(), folded_word.size());
    std::memcpy(c.stem, stemmed.data(), stemmed.size());
  }
  return stemmed;
}

std::string_view Stemmer::stem_uncached(std::string_view folded_word) {
  const sb_symbol* out =
      sb_stemmer_stem(stemmer_, reinterpret_cast<const sb_symbol*>(folded_word.data()),
                      static_cast<int>(folded_word.size()));
  if (!out) throw std::bad_alloc();
  return {reinterpret_cast<const char*>(out), static_cast<size_t>(sb_stemmer_length(stemmer_))};
}

}  // namespace morgue
