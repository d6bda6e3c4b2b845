// The query iterators' algebra (AND, OR, AND NOT) over children with made-up documents and
// scores, against brute force: what they match, what they score, and the bounds that
// pruning trusts. The bounds must hold bit for bit: the searcher skips a document whose
// bound cannot beat its threshold, so a bound a rounding below a score could drop it.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <optional>
#include <random>
#include <sstream>
#include <string>

#include "query/search/doc_iterator.h"

using namespace morgue;

namespace {

// Made-up postings: documents with fixed scores, in windows of four documents whose bound
// is their best score. Given a threshold, it skips the documents that cannot beat it from
// its next move on, as a term's iterator may.
class ListIterator final : public DocIterator {
 public:
  explicit ListIterator(std::map<DocNum, double> scores) : scores_(std::move(scores)) {
    for (const auto& [doc, score] : scores_) {
      docs_.push_back(doc);
      max_score_ = std::max(max_score_, score);
    }
    settle();
  }
  void next() override {
    if (doc_ == kEndDoc) return;
    ++at_;
    settle();
  }
  void seek(DocNum target) override {
    if (target <= doc_) return;
    at_ = static_cast<size_t>(std::lower_bound(docs_.begin(), docs_.end(), target) - docs_.begin());
    settle();
  }
  double score() override { return scores_.at(doc_); }
  uint64_t cost() const override { return docs_.size(); }
  double max_score() const override { return max_score_; }
  double window_max_score(DocNum target, DocNum& window_end) override {
    size_t i = static_cast<size_t>(std::lower_bound(docs_.begin(), docs_.end(), target) - docs_.begin());
    if (i == docs_.size()) {
      window_end = kEndDoc - 1;
      return 0;
    }
    size_t end = std::min(docs_.size(), (i / 4 + 1) * 4);
    window_end = docs_[end - 1];
    double bound = 0;
    for (size_t k = i; k < end; ++k) bound = std::max(bound, scores_.at(docs_[k]));
    return bound;
  }
  void set_min_competitive(double threshold) override { threshold_ = threshold; }

 private:
  void settle() {
    while (at_ < docs_.size() && threshold_ && !(scores_.at(docs_[at_]) > *threshold_)) ++at_;
    doc_ = at_ < docs_.size() ? docs_[at_] : kEndDoc;
  }

  std::map<DocNum, double> scores_;
  std::vector<DocNum> docs_;
  size_t at_ = 0;
  double max_score_ = 0;
  std::optional<double> threshold_;
};

constexpr DocNum kDocs = 300;

// A random query tree over made-up postings, and what it means, document by document.
struct Tree {
  enum class Kind { kList, kAnd, kOr, kAndNot } kind = Kind::kList;
  std::map<DocNum, double> scores;  // kList
  std::vector<Tree> children;

  std::optional<double> eval(DocNum doc) const {
    switch (kind) {
      case Kind::kList: {
        auto it = scores.find(doc);
        return it == scores.end() ? std::nullopt : std::optional<double>(it->second);
      }
      case Kind::kAnd: {
        double sum = 0;
        for (const Tree& c : children) {
          auto s = c.eval(doc);
          if (!s) return std::nullopt;
          sum += *s;
        }
        return sum;
      }
      case Kind::kOr: {
        std::optional<double> sum;
        for (const Tree& c : children)
          if (auto s = c.eval(doc)) sum = sum.value_or(0) + *s;
        return sum;
      }
      case Kind::kAndNot:
        if (children[1].eval(doc)) return std::nullopt;
        return children[0].eval(doc);
    }
    return std::nullopt;
  }

  // "(AND (LIST 3:0.5 7:1.25) (NOT ...))", for failure messages.
  std::string describe() const {
    static const char* const kNames[] = {"LIST", "AND", "OR", "ANDNOT"};
    std::ostringstream out;
    out << "(" << kNames[static_cast<int>(kind)];
    for (const auto& [doc, score] : scores) out << " " << doc << ":" << score;
    for (const Tree& c : children) out << " " << c.describe();
    out << ")";
    return out.str();
  }

  DocIteratorPtr iterator() const {
    std::vector<DocIteratorPtr> its;
    for (const Tree& c : children) its.push_back(c.iterator());
    switch (kind) {
      case Kind::kList: return std::make_unique<ListIterator>(scores);
      case Kind::kAnd: return make_and_iterator(std::move(its), kDocs);
      case Kind::kOr: return make_or_iterator(std::move(its));
      case Kind::kAndNot: return make_and_not_iterator(std::move(its[0]), std::move(its[1]));
    }
    return make_empty_iterator();
  }
};

Tree random_tree(std::mt19937& rng, int depth) {
  Tree t;
  if (depth == 0 || rng() % 3 == 0) {
    // Between 1 and 150 documents; scores with many significant bits, so that sums taken in
    // different orders round differently.
    std::uniform_real_distribution<double> score(0.05, 3.0);
    size_t n = 1 + rng() % 150;
    for (size_t i = 0; i < n; ++i) t.scores[static_cast<DocNum>(rng() % kDocs)] = score(rng);
    return t;
  }
  switch (rng() % 5) {
    case 0: t.kind = Tree::Kind::kAndNot; break;
    case 1: case 2: t.kind = Tree::Kind::kAnd; break;
    default: t.kind = Tree::Kind::kOr; break;
  }
  size_t n = t.kind == Tree::Kind::kAndNot ? 2 : 2 + rng() % 4;
  for (size_t i = 0; i < n; ++i) t.children.push_back(random_tree(rng, depth - 1));
  return t;
}

}  // namespace

TEST_CASE("query iterators: AND's max_score() is summed in the order of its scores",
          "[query][pruning]") {
  // Scores chosen so that (0.3 + 0.2) + 0.1 = 0.6 but (0.1 + 0.2) + 0.3 rounds to
  // 0.6000000000000001. The AND visits its children rarest first (0.1's list is the
  // shortest), so it sums its scores in that order: its bound must too.
  std::map<DocNum, double> a{{5, 0.3}, {6, 0.3}, {7, 0.3}}, b{{5, 0.2}, {6, 0.2}}, c{{5, 0.1}};
  std::vector<DocIteratorPtr> children;
  children.push_back(std::make_unique<ListIterator>(a));
  children.push_back(std::make_unique<ListIterator>(b));
  children.push_back(std::make_unique<ListIterator>(c));
  DocIteratorPtr both = make_and_iterator(std::move(children), 100);
  REQUIRE(both->doc() == 5);
  CHECK(both->score() == (0.1 + 0.2) + 0.3);
  CHECK(both->max_score() >= both->score());
  DocNum end = 0;
  CHECK(both->window_max_score(5, end) >= both->score());
  CHECK(both->score_bound() >= both->score());
}

TEST_CASE("query iterators: random AND, OR and AND NOT trees match and score as brute force, "
          "and their bounds hold bit for bit",
          "[query][pruning]") {
  std::mt19937 rng(20261206);
  for (int round = 0; round < 3000; ++round) {
    Tree tree = random_tree(rng, 3);
    std::map<DocNum, double> expected;
    for (DocNum d = 0; d < kDocs; ++d)
      if (auto s = tree.eval(d)) expected[d] = *s;

    // Exhaustively: the same documents, the same scores (to rounding: brute force sums in
    // the tree's order), and bounds never below a score.
    std::map<DocNum, double> scores;
    DocIteratorPtr it = tree.iterator();
    for (; it->doc() != kEndDoc; it->next()) {
      DocNum d = it->doc(), window_end = 0;
      double window = it->window_max_score(d, window_end);
      double bound = it->score_bound(), score = it->score();
      INFO("round " << round << ", document " << d);
      REQUIRE(window_end >= d);
      REQUIRE(window >= score);
      REQUIRE(bound >= score);
      REQUIRE(it->max_score() >= score);
      scores[d] = score;
    }
    REQUIRE(scores.size() == expected.size());
    for (const auto& [d, score] : scores) {
      INFO("round " << round << ", document " << d);
      REQUIRE(expected.count(d) == 1);
      REQUIRE_THAT(score, Catch::Matchers::WithinRel(expected[d], 1e-12));
    }

    // Given a threshold (a score of the middle), every document above it is still
    // yielded, with the very same score.
    if (scores.empty()) continue;
    std::vector<double> sorted;
    for (const auto& [d, score] : scores) sorted.push_back(score);
    std::sort(sorted.begin(), sorted.end());
    double threshold = sorted[sorted.size() / 2];
    DocIteratorPtr pruned = tree.iterator();
    pruned->set_min_competitive(threshold);
    std::map<DocNum, double> yielded;
    for (; pruned->doc() != kEndDoc; pruned->next()) yielded[pruned->doc()] = pruned->score();
    for (const auto& [d, score] : scores) {
      INFO("round " << round << ", document " << d << " scoring " << score << ", threshold "
                    << threshold << ", tree " << tree.describe());
      if (score > threshold) {
        REQUIRE(yielded.count(d) == 1);
        REQUIRE(yielded[d] == score);
      }
    }
    for (const auto& [d, score] : yielded) REQUIRE(scores.count(d) == 1);
  }
}
