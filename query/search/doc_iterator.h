// Document iterators over one segment: the engine's query tree.
// Contract: after construction an iterator stands on its first document; doc() is the
// current document or kEndDoc; next() moves past it; seek(target) moves to the first
// document >= target (target >= doc(); legal when exhausted); score() is the score of the
// current document (0 for filters); cost() estimates how many documents it yields.
// Damaged postings surface through status(), checked once by the searcher.
//
// Dynamic pruning (docs/ARCHITECTURE.md#pruning): max_score() bounds score() over every
// document; window_max_score(target, end) bounds it over [target, end] for an `end` the
// iterator picks (a posting block's last document for a term), target never decreasing
// from call to call. After set_min_competitive(t) an iterator may skip any document whose
// score cannot exceed t; t only grows. It stays on its current document: the skipping
// starts with its next move. Documents it still yields are scored exactly.
// score_bound() bounds score() at the current document without reading what makes score()
// dear (a term's document length, far away in the document values), so the searcher can
// pass over a document that cannot enter its top k without scoring it.
#pragma once

#include <algorithm>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "common/base/status.h"
#include "common/format/doc_id.h"
#include "common/format/postings_reader.h"
#include "common/format/doc_values.h"

namespace morgue {

class DocIterator {
 public:
  virtual ~DocIterator() = default;
  DocNum doc() const { return doc_; }
  virtual void next() = 0;
  virtual void seek(DocNum target) = 0;
  virtual double score() = 0;
  // Never below score() at the current document.
  virtual double score_bound() { return max_score(); }
  virtual uint64_t cost() const = 0;
  virtual Status status() const { return Status::ok(); }

  virtual double max_score() const = 0;
  virtual double window_max_score(DocNum target, DocNum& window_end) = 0;
  virtual void set_min_competitive(double threshold) = 0;

  // Two-phase matching (as Lucene's TwoPhaseIterator): an iterator whose match needs a dear
  // check after a cheap one (a phrase: its words' positions after their postings) may be
  // told to stand, from its next move on, on every document that passes the cheap check,
  // leaving the dear one to matches(). An AND does so, and asks matches() only where all
  // its other children agree. Returns false (and changes nothing) without such a check.
  virtual bool defer_matching() { return false; }
  // Whether the current document matches: always, unless matching was deferred.
  virtual bool matches() { return true; }

 protected:
  DocNum doc_ = kEndDoc;
};

using DocIteratorPtr = std::unique_ptr<DocIterator>;

// BM25 as Xapian's BM25Weight computes it (weight/bm25weight.cc, Xapian 1.4), with its
// defaults k1 = 1, k2 = 0, k3 = 1, b = 0.5, min_normlen = 0.5 and no relevance set:
//   idf  = log(tw), tw = (N - df + 0.5) / (df + 0.5), raised to tw/2 + 1 when below 2
//   w    = idf * (k1 + 1) * wdf / (k1 * (max(len / avglen, min_normlen) * b + 1 - b) + wdf)
// A query term's factor (k3 + 1) * wqf / (k3 + wqf) is 1: each occurrence of a word in a
// query is its own leaf with wqf 1, as in a Xapian::Query built leaf by leaf.
struct Bm25 {
  static constexpr double kK1 = 1.0, kB = 0.5, kMinNormLen = 0.5;
  double termweight = 0;  // idf * (k1 + 1)
  double len_factor = 0;  // 1 / average document length

  Bm25(uint64_t live_docs, uint64_t df, double average_doclen);
  double score(uint32_t wdf, uint32_t doclen) const {
    double normlen = std::max(doclen * len_factor, kMinNormLen);
    double wdf_double(wdf);
    double denom = kK1 * (normlen * kB + (1 - kB)) + wdf_double;
    return termweight * (wdf_double / denom);
  }
  // score(wdf, doclen) for the shortest normalised length: at least score(wdf, any doclen),
  // also as rounded, since every step of score() is monotone in normlen.
  double score_bound(uint32_t wdf) const { return score(wdf, 0); }
  // The largest score of the postings whose frontier this is (common/format/impacts.h).
  double max_score(std::span<const Impact> impacts) const {
    double best = 0;
    for (const Impact& i : impacts) best = std::max(best, score(i.wdf, i.doclen));
    return best;
  }
};

// One term's postings; scores them by BM25 unless it is a filter.
DocIteratorPtr make_term_iterator(PostingsIterator postings, const DocValuesReader* values,
                                  const Bm25* bm25);
// Documents holding every term at consecutive positions; scores as the sum of its terms.
// `text_words[i]` is empty for a word of the text, and for a headline word (whose positions
// the index does not store) the postings of its text word, whose first tf() positions in a
// document are the headline word's (docs/FORMAT.md#terms).
DocIteratorPtr make_phrase_iterator(std::vector<PostingsIterator> postings,
                                    std::vector<std::optional<PostingsIterator>> text_words,
                                    const DocValuesReader* values, std::vector<Bm25> weights);
// Documents [begin, end): date ranges and MatchAll.
DocIteratorPtr make_range_iterator(DocNum begin, DocNum end);
DocIteratorPtr make_empty_iterator();
// `doc_count`, the segment's documents, tells it how dense its children are.
DocIteratorPtr make_and_iterator(std::vector<DocIteratorPtr> children, uint64_t doc_count);
// Documents matching any child; scores as the sum of the children that match. Once given
// a threshold it prunes with MaxScore over block-max windows (query/search/disjunction.cc).
DocIteratorPtr make_or_iterator(std::vector<DocIteratorPtr> children);
DocIteratorPtr make_and_not_iterator(DocIteratorPtr positive, DocIteratorPtr negative);

// AND and OR: iterators whose score is the sum of their matching children's.
class SumOfChildren : public DocIterator {
 public:
  Status status() const override;
  double max_score() const override { return max_score_; }
  // The children's score bounds, summed in the order score() sums their scores.
  double score_bound() override;
  // The sum of the children's bounds over the window all of them cover.
  double window_max_score(DocNum target, DocNum& window_end) override;

 protected:
  explicit SumOfChildren(std::vector<DocIteratorPtr> children);
  // A document beats t only if each child scores above t minus the others' bounds, so each
  // child may skip what cannot.
  void pass_threshold_to_children(double threshold);

  std::vector<DocIteratorPtr> children_;
  double max_score_ = 0;
};

}  // namespace morgue
