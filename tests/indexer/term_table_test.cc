// TermTable against std::unordered_map: random terms (short and long, many sharing
// prefixes) inserted and looked up (find_or_insert and find) in a fixed-seed order give the
// same entries and values, across many growths of the table.
#include <catch2/catch.hpp>

#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include "indexer/index/term_table.h"

using namespace morgue;

namespace {

std::string random_term(std::mt19937& rng) {
  static const std::string kPrefixes[] = {"", "T:", "S:", "Zword", "P:reuters-"};
  std::uniform_int_distribution<int> prefix(0, 4), length(0, 24), letter('a', 'e');
  std::string term = kPrefixes[prefix(rng)];
  for (int n = length(rng); n > 0; --n) term.push_back(static_cast<char>(letter(rng)));
  return term;
}

}  // namespace

TEST_CASE("term table: random inserts and lookups agree with std::unordered_map",
          "[unit][inverter]") {
  for (uint32_t seed : {1u, 2u, 3u}) {
    std::mt19937 rng(seed);
    TermTable<int> table;
    std::unordered_map<std::string, int> model;
    const TermTable<int>::Entry* first = nullptr;
    std::string first_term;
    for (int step = 0; step < 60000; ++step) {
      std::string term = random_term(rng);
      bool inserted = true;
      auto& entry = table.find_or_insert(term, inserted);
      bool model_inserted = !model.contains(term);
      INFO("seed " << seed << " step " << step << " term '" << term << "'");
      REQUIRE(inserted == model_inserted);
      REQUIRE(entry.term == term);
      REQUIRE(entry.value == model[term]);
      if (step == 100) {
        first = &entry;
        first_term = term;
      }
      entry.value += step;  // a value that tells entries apart
      model[term] += step;
      // find() answers for another random term, present or not, as the model does.
      std::string probe = random_term(rng);
      const auto* found = table.find(probe);
      auto it = model.find(probe);
      CAPTURE(probe);
      if (it == model.end()) {
        REQUIRE(found == nullptr);
      } else {
        REQUIRE(found != nullptr);
        REQUIRE(found->term == probe);
        REQUIRE(found->value == it->second);
      }
    }
    REQUIRE(table.size() == model.size());
    CHECK(first->term == first_term);  // entries never move as the table grows
    for (size_t i = 0; i < table.size(); ++i) {
      const auto& entry = table.entry(i);
      auto it = model.find(entry.term);
      REQUIRE(it != model.end());
      CHECK(entry.value == it->second);
    }
    CHECK(table.table_bytes() > 0);
    table.clear();
    CHECK(table.size() == 0);
    CHECK(table.find(first_term) == nullptr);
    bool inserted = false;
    CHECK(table.find_or_insert("again", inserted).value == 0);
    CHECK(inserted);
  }
}

// Terms whose hashes share the 32-bit tag must still be told apart by their bytes. Two
// real terms with equal XXH3 tags cannot be found cheaply, so the hash is given: 400 terms
// under one hash (one tag, one start slot: a probe chain 400 slots long), all inserted
// before the table's first growth, which would place them by their real hashes.
TEST_CASE("term table: terms sharing a hash's tag and start slot stay apart",
          "[unit][inverter]") {
  const uint64_t shared = 0x9e3779b97f4a7c15u;
  TermTable<int> table;
  std::vector<std::string> terms;
  for (int i = 0; i < 400; ++i) terms.push_back("term" + std::to_string(i));
  for (size_t i = 0; i < terms.size(); ++i) {
    bool inserted = false;
    auto& entry = table.find_or_insert(terms[i], shared, inserted);
    INFO("insert " << terms[i]);
    REQUIRE(inserted);
    REQUIRE(entry.term == terms[i]);
    entry.value = static_cast<int>(i);
  }
  for (size_t i = 0; i < terms.size(); ++i) {
    bool inserted = true;
    const auto& entry = table.find_or_insert(terms[i], shared, inserted);
    INFO("look up " << terms[i]);
    REQUIRE(!inserted);
    REQUIRE(entry.term == terms[i]);
    REQUIRE(entry.value == static_cast<int>(i));
  }
  // A term that is absent, under the same hash, is inserted after the whole chain.
  bool inserted = false;
  CHECK(table.find_or_insert("absent", shared, inserted).term == "absent");
  CHECK(inserted);
  CHECK(table.size() == terms.size() + 1);
  // The lookahead's second stage compares tags only: it offers the chain's first entry.
  const auto* probable = table.probable_entry(shared);
  REQUIRE(probable != nullptr);
  CHECK(probable->term == terms[0]);
}
