// A stable least-significant-byte-first radix sort on an unsigned key of up to 32 bits: how
// a flush orders a term's renumbered postings (sort_by_doc) and a merge interleaves its
// inputs' postings of a term. Both sort lists of up to a million entries whose keys are
// document numbers, where comparison sorts and heaps spent most of their time on
// mispredicted branches.
#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace morgue {

// Below this many items, counting 256 buckets a pass costs more than comparing.
inline constexpr size_t kRadixSortMin = 128;

// Sorts `items` by key(item) (a uint32_t), stably, using `scratch` as working space (its
// contents are lost; keeping it between calls saves its allocation). One pass per byte of
// the largest key; short lists take std::stable_sort.
template <typename T, typename KeyOf>
void radix_sort(std::vector<T>& items, std::vector<T>& scratch, KeyOf key) {
  if (items.size() < kRadixSortMin) {
    std::stable_sort(items.begin(), items.end(),
                     [&](const T& a, const T& b) { return key(a) < key(b); });
    return;
  }
  uint32_t max_key = 0;
  for (const T& item : items) max_key = std::max<uint32_t>(max_key, key(item));
  scratch.resize(items.size());
  // Each pass keeps the order of the one before among equal bytes, so after the last the
  // whole keys are in order.
  const unsigned bits = std::bit_width(max_key);
  for (unsigned shift = 0; shift < bits; shift += 8) {
    std::array<size_t, 256> start{};
    for (const T& item : items) ++start[key(item) >> shift & 255];
    size_t sum = 0;
    for (size_t& s : start) sum += std::exchange(s, sum);
    for (const T& item : items) scratch[start[key(item) >> shift & 255]++] = item;
    items.swap(scratch);
  }
}

}  // namespace morgue
