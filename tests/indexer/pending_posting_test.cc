// sort_by_doc against std::stable_sort: random lists of short lengths (an insertion sort)
// and of every length around the switch to the radix sort, with document numbers of 1 to
// 32 bits and many repeats (a stable sort keeps their input order, which pos_begin
// records). Lists in order but for one posting, since a list in order is left as it is.
#include <catch2/catch.hpp>

#include <algorithm>
#include <random>
#include <vector>

#include "indexer/index/pending_posting.h"

using namespace morgue;

TEST_CASE("sort_by_doc: random lists agree with std::stable_sort", "[unit][flush]") {
  std::mt19937_64 rng(20261205);
  std::vector<PendingPosting> scratch;
  std::vector<size_t> lengths = {0, 1, 2, 127, 128, 129, 255, 256, 1000, 5000, 40000};
  for (size_t short_length = 3; short_length < 127; short_length += 3)
    lengths.push_back(short_length);
  for (int i = 0; i < 40; ++i) lengths.push_back(rng() % 3000);
  for (size_t length : lengths) {
    for (int bits : {1, 7, 8, 9, 15, 16, 17, 24, 31, 32}) {
      uint64_t range = uint64_t{1} << bits;
      std::vector<PendingPosting> postings(length);
      for (size_t i = 0; i < length; ++i) {
        postings[i] = {static_cast<uint32_t>(rng() % range), static_cast<uint32_t>(rng()),
                       static_cast<uint32_t>(i), static_cast<uint32_t>(rng() % 50)};
      }
      std::vector<PendingPosting> expected = postings;
      std::stable_sort(expected.begin(), expected.end(),
                       [](const auto& a, const auto& b) { return a.doc < b.doc; });
      sort_by_doc(postings, scratch);
      INFO("length " << length << ", " << bits << "-bit documents");
      REQUIRE(postings.size() == expected.size());
      for (size_t i = 0; i < length; ++i) {
        REQUIRE(postings[i].doc == expected[i].doc);
        REQUIRE(postings[i].wdf == expected[i].wdf);
        REQUIRE(postings[i].pos_begin == expected[i].pos_begin);
        REQUIRE(postings[i].pos_count == expected[i].pos_count);
      }
    }
  }
}

TEST_CASE("sort_by_doc: a list in order but for one posting is sorted", "[unit][flush]") {
  // The radix sort leaves a list whose keys are in order as it is: one posting moved to any
  // place, or one key raised or lowered, must still be sorted, equal keys in input order.
  std::mt19937_64 rng(20261207);
  std::vector<PendingPosting> scratch;
  for (size_t length : {size_t{128}, size_t{129}, size_t{300}, size_t{4096}}) {
    for (int trial = 0; trial < 200; ++trial) {
      std::vector<PendingPosting> postings(length);
      uint32_t doc = static_cast<uint32_t>(rng() % 1000);
      for (size_t i = 0; i < length; ++i) {
        doc += static_cast<uint32_t>(rng() % 3);  // repeats too
        postings[i] = {doc, static_cast<uint32_t>(rng() % 7), static_cast<uint32_t>(i), 1};
      }
      const size_t at = rng() % length;
      if (trial % 2 == 0) {
        std::swap(postings[at], postings[rng() % length]);
      } else {
        postings[at].doc = static_cast<uint32_t>(rng() % (doc + 2));
      }
      std::vector<PendingPosting> expected = postings;
      std::stable_sort(expected.begin(), expected.end(),
                       [](const auto& a, const auto& b) { return a.doc < b.doc; });
      sort_by_doc(postings, scratch);
      INFO("length " << length << ", trial " << trial << ", at " << at);
      for (size_t i = 0; i < length; ++i) {
        REQUIRE(postings[i].doc == expected[i].doc);
        REQUIRE(postings[i].pos_begin == expected[i].pos_begin);
      }
    }
  }
}
