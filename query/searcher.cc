#include "query/searcher.h"

#include <algorithm>
#include <fmt/format.h>
#include <map>

#include "common/analysis/field_terms.h"

namespace morgue {
namespace {

// A query's term weights: collection statistics are the snapshot's, whichever segment a
// term is read in, so each is looked up in every segment once per query, not per segment.
using WeightCache = std::map<std::string, Bm25, std::less<>>;

class Builder {
 public:
  Builder(const IndexSnapshot& snapshot, size_t segment, WeightCache& weights)
      : snapshot_(snapshot), segment_(*snapshot.segments()[segment]), weights_(weights) {}

  Result<DocIteratorPtr> build(const Plan& p) {
    switch (p.kind) {
      case Plan::Kind::kTerm: {
        MORGUE_ASSIGN_OR_RETURN(auto postings, open(p.term));
        if (!postings) return make_empty_iterator();
        if (!p.scoring) return make_term_iterator(std::move(*postings), &segment_.values(), nullptr);
        MORGUE_ASSIGN_OR_RETURN(Bm25 weight, bm25(p.term));
        return make_term_iterator(std::move(*postings), &segment_.values(), &weight);
      }
      case Plan::Kind::kPhrase: {
        std::vector<PostingsIterator> postings;
        std::vector<std::optional<PostingsIterator>> text_words;
        std::vector<Bm25> weights;
        for (const std::string& t : p.terms) {
          MORGUE_ASSIGN_OR_RETURN(auto it, open(t));
          if (!it) return make_empty_iterator();
          postings.push_back(std::move(*it));
          MORGUE_ASSIGN_OR_RETURN(Bm25 weight, bm25(t));
          weights.push_back(weight);
          text_words.emplace_back();
          if (is_headline_word(t)) {
            // Its positions are its text word's (docs/FORMAT.md#terms), which must exist.
            std::string text(headline_text_term(t));
            MORGUE_ASSIGN_OR_RETURN(text_words.back(), open(text));
            if (!text_words.back()) {
              return Status::corruption(fmt::format(
                  "segment {}: headline word {} has no text word {}", segment_.meta().number, t, text));
            }
          }
        }
        return make_phrase_iterator(std::move(postings), std::move(text_words), &segment_.values(),
                                    std::move(weights));
      }
      case Plan::Kind::kDate: {
        // Documents are in date order: the range is a contiguous run of numbers.
        const DocValuesReader& v = segment_.values();
        DocNum begin = p.from == INT64_MIN ? 0 : v.lower_bound_published(p.from);
        DocNum end = p.to == INT64_MAX ? v.doc_count() : v.lower_bound_published(p.to + 1);
        return make_range_iterator(begin, end);
      }
      case Plan::Kind::kAll: return make_range_iterator(0, segment_.meta().doc_count);
      case Plan::Kind::kAnd:
      case Plan::Kind::kOr: {
        std::vector<DocIteratorPtr> children;
        for (const auto& c : p.children) {
          MORGUE_ASSIGN_OR_RETURN(DocIteratorPtr it, build(*c));
          children.push_back(std::move(it));
        }
        if (p.kind == Plan::Kind::kOr) return make_or_iterator(std::move(children));
        return make_and_iterator(std::move(children), segment_.meta().doc_count);
      }
      case Plan::Kind::kAndNot: {
        MORGUE_ASSIGN_OR_RETURN(DocIteratorPtr positive, build(*p.children[0]));
        MORGUE_ASSIGN_OR_RETURN(DocIteratorPtr negative, build(*p.children[1]));
        return make_and_not_iterator(std::move(positive), std::move(negative));
      }
    }
    return make_empty_iterator();
  }

 private:
  Result<std::optional<PostingsIterator>> open(const std::string& term) {
    MORGUE_ASSIGN_OR_RETURN(std::optional<TermInfo> info, segment_.find(term));
    if (!info) return std::optional<PostingsIterator>();
    PostingsIterator it;
    MORGUE_RETURN_IF_ERROR(segment_.open_postings(*info, it));
    return std::optional<PostingsIterator>(std::move(it));
  }

  Result<Bm25> bm25(const std::string& term) {
    if (auto it = weights_.find(term); it != weights_.end()) return it->second;
    MORGUE_ASSIGN_OR_RETURN(TermStats stats, snapshot_.term_stats(term));
    Bm25 weight(snapshot_.live_count(), stats.df, snapshot_.average_doclen());
    weights_.emplace(term, weight);
    return weight;
  }

  const IndexSnapshot& snapshot_;
  const SegmentReader& segment_;
  WeightCache& weights_;
};

// Orders hits best first.
struct HitOrder {
  SortOrder sort;
  bool operator()(const Hit& a, const Hit& b) const {
    switch (sort) {
      case SortOrder::kRelevance:
        return a.score != b.score ? a.score > b.score : a.global < b.global;
      case SortOrder::kNewest:
        return a.published != b.published ? a.published > b.published : a.global > b.global;
      case SortOrder::kOldest:
        return a.published != b.published ? a.published < b.published : a.global < b.global;
    }
    return false;
  }
};

}  // namespace

Result<DocIteratorPtr> build_iterator(const IndexSnapshot& snapshot, size_t segment,
                                      const Plan& plan) {
  WeightCache weights;
  return Builder(snapshot, segment, weights).build(plan);
}

Result<SearchResult> search(const IndexSnapshot& snapshot, const Plan& plan,
                            const SearchOptions& options) {
  SearchResult result;
  size_t keep = options.offset + options.limit;
  HitOrder better{options.sort};
  WeightCache weights;
  // A heap whose top is the worst hit kept.
  std::vector<Hit> heap;
  // Pruning: once the heap is full, a document must score above its worst hit to enter
  // (a tie loses: it comes later in document order). The threshold handed to the iterators
  // is a hair lower than that score, so that rounding in their bounds never drops a
  // document that belongs in the top.
  constexpr double kThresholdSlack = 1e-9;
  bool pruning = false;
  double threshold = 0;
  auto raise_threshold = [&](DocIterator& it) {
    if (options.sort != SortOrder::kRelevance || keep == 0 || heap.size() < keep ||
        result.total < options.exact_count_limit) {
      return;
    }
    double t = heap.front().score * (1 - kThresholdSlack);
    if (pruning && t <= threshold) return;
    pruning = true;
    threshold = t;
    it.set_min_competitive(t);
  };
  for (size_t s = 0; s < snapshot.segments().size(); ++s) {
    const SegmentReader& segment = *snapshot.segments()[s];
    MORGUE_ASSIGN_OR_RETURN(DocIteratorPtr it, Builder(snapshot, s, weights).build(plan));
    if (pruning) it->set_min_competitive(threshold);
    for (; it->doc() != kEndDoc; it->next()) {
      DocNum d = it->doc();
      if (segment.is_deleted(d)) continue;
      ++result.total;
      if (keep == 0) continue;
      Hit hit{s, d, snapshot.base(s) + d, 0, 0};
      if (options.sort == SortOrder::kRelevance) {
        if (heap.size() == keep && !(it->score_bound() > heap.front().score)) {
          // It cannot enter the top (a tie loses: it comes later); scoring it would read its
          // length from the document values, a cache miss per document on a rare term.
          raise_threshold(*it);
          continue;
        }
        hit.score = it->score();  // the date is read for the kept hits only, below
      } else {
        hit.published = segment.values().published(d);
      }
      if (heap.size() < keep) {
        heap.push_back(hit);
        std::push_heap(heap.begin(), heap.end(), better);
      } else if (better(hit, heap.front())) {
        std::pop_heap(heap.begin(), heap.end(), better);
        heap.back() = hit;
        std::push_heap(heap.begin(), heap.end(), better);
      }
      raise_threshold(*it);
    }
    MORGUE_RETURN_IF_ERROR(it->status().with_context("segment " + std::to_string(segment.meta().number)));
  }
  result.total_exact = !pruning;
  if (options.sort == SortOrder::kRelevance)
    for (Hit& hit : heap) hit.published = snapshot.segments()[hit.segment]->values().published(hit.doc);
  std::sort(heap.begin(), heap.end(), better);
  if (heap.size() > options.offset)
    result.hits.assign(heap.begin() + static_cast<std::ptrdiff_t>(options.offset), heap.end());
  return result;
}

}  // namespace morgue
