// OR: every document some child matches, scored as the sum of the children that match.
//
// Until it is given a threshold it merges its children exhaustively. After
// set_min_competitive(t) it prunes with MaxScore (Turtle & Flood 1995) over block-max
// windows, as Lucene's MaxScoreBulkScorer does: a window ends where the first child's
// posting block ends; inside it, the children whose window bounds sum to at most t are
// "non-essential" (a document matching only them cannot beat t), so candidates come from
// the others alone, and a candidate looks at the non-essential children, best bound first,
// only while it can still beat t. Windows where every child is non-essential are skipped.
#include <algorithm>
#include <numeric>

#include "query/search/doc_iterator.h"

namespace morgue {
namespace {

class OrIterator final : public SumOfChildren {
 public:
  explicit OrIterator(std::vector<DocIteratorPtr> children)
      : SumOfChildren(std::move(children)),
        bounds_(children_.size()),
        child_scores_(children_.size()),
        order_(children_.size()) {
    std::iota(order_.begin(), order_.end(), size_t{0});
    doc_ = smallest_doc();
  }

  void next() override {
    if (doc_ == kEndDoc) return;
    if (pruning_) return advance(doc_ + 1);
    for (auto& c : children_)
      if (c->doc() == doc_) c->next();
    doc_ = smallest_doc();
  }
  void seek(DocNum target) override {
    if (target <= doc_) return;
    if (pruning_) return advance(target);
    for (auto& c : children_) c->seek(target);
    doc_ = smallest_doc();
  }
  double score() override {
    if (pruning_) return score_;  // computed exactly when the candidate was accepted
    double s = 0;
    for (auto& c : children_)
      if (c->doc() == doc_) s += c->score();
    return s;
  }
  double score_bound() override { return pruning_ ? score_ : SumOfChildren::score_bound(); }
  uint64_t cost() const override {
    uint64_t total = 0;
    for (const auto& c : children_) total += c->cost();
    return total;
  }
  // The current document keeps its score; pruning starts with the next move.
  void set_min_competitive(double threshold) override {
    if (!pruning_ && doc_ != kEndDoc) score_ = score();
    pruning_ = true;
    threshold_ = threshold;
    pass_threshold_to_children(threshold);
  }

 private:
  DocNum smallest_doc() const {
    DocNum d = kEndDoc;
    for (const auto& c : children_) d = std::min(d, c->doc());
    return d;
  }

  // Moves to the first document >= target that scores above the threshold.
  void advance(DocNum target) {
    const size_t n = children_.size();
    while (target < kEndDoc) {
      DocNum window_end = kEndDoc - 1;
      for (size_t i = 0; i < n; ++i) {
        DocNum end;
        bounds_[i] = children_[i]->window_max_score(target, end);
        window_end = std::min(window_end, end);
      }
      std::sort(order_.begin(), order_.end(), [&](size_t a, size_t b) { return bounds_[a] < bounds_[b]; });
      size_t first_essential = 0;
      double non_essential_bound = 0;
      while (first_essential < n &&
             non_essential_bound + bounds_[order_[first_essential]] <= threshold_) {
        non_essential_bound += bounds_[order_[first_essential++]];
      }
      if (first_essential < n) {
        for (;;) {
          DocNum candidate = kEndDoc;
          for (size_t k = first_essential; k < n; ++k) {
            DocIterator& c = *children_[order_[k]];
            if (c.doc() < target) c.seek(target);
            candidate = std::min(candidate, c.doc());
          }
          if (candidate > window_end) break;
          if (competitive(candidate, first_essential, non_essential_bound)) {
            doc_ = candidate;
            return;
          }
          target = candidate + 1;
        }
      }
      target = window_end + 1;
    }
    doc_ = kEndDoc;
  }

  // Scores `candidate` if it can beat the threshold; the children's scores are summed in
  // their own order at the end so that a score never depends on the pruning.
  bool competitive(DocNum candidate, size_t first_essential, double non_essential_bound) {
    const size_t n = children_.size();
    double partial = 0;
    for (size_t k = first_essential; k < n; ++k) {
      DocIterator& c = *children_[order_[k]];
      if (c.doc() == candidate) partial += child_scores_[order_[k]] = c.score();
    }
    if (partial + non_essential_bound <= threshold_) return false;
    double remaining = non_essential_bound;
    for (size_t k = first_essential; k-- > 0;) {
      DocIterator& c = *children_[order_[k]];
      remaining -= bounds_[order_[k]];
      if (c.doc() < candidate) c.seek(candidate);
      if (c.doc() == candidate) partial += child_scores_[order_[k]] = c.score();
      if (k > 0 && partial + remaining <= threshold_) return false;
    }
    score_ = 0;
    for (size_t i = 0; i < n; ++i)
      if (children_[i]->doc() == candidate) score_ += child_scores_[i];
    return score_ > threshold_;
  }

  bool pruning_ = false;
  double threshold_ = 0;
  double score_ = 0;
  std::vector<double> bounds_;        // scratch: each child's bound in the current window
  std::vector<double> child_scores_;  // scratch: each child's score at the candidate
  std::vector<size_t> order_;         // scratch: children by bound, smallest first
};

}  // namespace

DocIteratorPtr make_or_iterator(std::vector<DocIteratorPtr> children) {
  if (children.size() == 1) return std::move(children[0]);
  return std::make_unique<OrIterator>(std::move(children));
}

}  // namespace morgue
