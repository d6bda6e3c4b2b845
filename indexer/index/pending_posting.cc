#include "indexer/index/pending_posting.h"

#include <algorithm>
#include <array>
#include <bit>
#include <utility>

namespace morgue {
namespace {

// Below this many postings, counting 256 buckets a pass costs more than comparing.
constexpr size_t kRadixSortMin = 128;

}  // namespace

void sort_by_doc(std::vector<PendingPosting>& postings, std::vector<PendingPosting>& scratch) {
  auto by_doc = [](const PendingPosting& a, const PendingPosting& b) { return a.doc < b.doc; };
  if (postings.size() < kRadixSortMin) {
    std::stable_sort(postings.begin(), postings.end(), by_doc);
    return;
  }
  uint32_t max_doc = 0;
  for (const PendingPosting& p : postings) max_doc = std::max(max_doc, p.doc);
  scratch.resize(postings.size());
  // Least significant byte first; each pass keeps the order of the one before among equal
  // bytes, so after the last the whole numbers are in order.
  const unsigned bits = std::bit_width(max_doc);
  for (unsigned shift = 0; shift < bits; shift += 8) {
    std::array<size_t, 256> start{};
    for (const PendingPosting& p : postings) ++start[p.doc >> shift & 255];
    size_t sum = 0;
    for (size_t& s : start) sum += std::exchange(s, sum);
    for (const PendingPosting& p : postings) scratch[start[p.doc >> shift & 255]++] = p;
    postings.swap(scratch);
  }
}

}  // namespace morgue
