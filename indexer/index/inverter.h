// The in-memory segment being built: analysed articles inverted into per-term postings in
// arrival order, with their stored form and values, until the RAM budget calls for a flush.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/analysis/article_terms.h"
#include "common/format/doc_values.h"
#include "indexer/index/packed_bytes.h"
#include "indexer/index/pending_posting.h"
#include "indexer/index/term_table.h"

namespace morgue {

class Inverter {
 public:
  static constexpr uint32_t kTermBytesLimit = uint32_t{1} << 30;
  explicit Inverter(uint32_t term_bytes_limit = kTermBytesLimit)
      : term_bytes_limit_(term_bytes_limit) {}

  // One term's postings in arrival order, packed as varints: for each posting the gap
  // from the previous posting's slot, the wdf, and for terms with positions their count
  // and their gaps. About 3 bytes a posting instead of 12 or more in separate vectors, so
  // the budget holds about three times the articles (fewer flushes and merges), and an add
  // touches one buffer per term, most of them inside the string itself.
  struct TermPostings {
    PackedBytes bytes;
    uint32_t last_slot = 0;
  };
  // Unpacks a term's postings, each numbered by its arrival slot, with their positions
  // (only if has_positions(term)) into `positions`.
  static void decode(std::string_view term, const TermPostings& packed,
                     std::vector<PendingPosting>& postings, std::vector<uint32_t>& positions);

  // Adds an article, returning its arrival slot. `stored` is its serialised form for the
  // store. Requires article.published, and each term's hash as article_terms() and
  // ArticleTerms::add() make it (short_key_hash).
  uint32_t add(const Article& article, const ArticleTerms& terms, std::string stored);

  // Drops a buffered article (replaced or deleted before it reached a segment).
  void kill(uint32_t slot);
  bool is_live(uint32_t slot) const { return live_[slot]; }

  // The live buffered article with this id, if any.
  std::optional<uint32_t> find(std::string_view id) const;

  uint32_t size() const { return static_cast<uint32_t>(ids_.size()); }
  uint32_t live_count() const { return live_count_; }
  // Whether some term's packed postings have reached a GiB (or the `term_bytes_limit`
  // given to the constructor, for tests): the writer then flushes, since a term's buffer
  // cannot pass 2 GiB (PackedBytes) and one article adds at most about 40 MB to it (16 MiB
  // of text, kMaxArticleTextBytes). Only a budget of tens of GB gets there.
  bool term_buffer_full() const { return largest_term_bytes_ >= term_bytes_limit_; }

  // An estimate, from above, of the memory this buffer holds.
  size_t memory_bytes() const {
    return memory_bytes_ + terms_.table_bytes() + slot_by_id_.table_bytes();
  }

  const std::string& id(uint32_t slot) const { return ids_[slot]; }
  const DocValues& values(uint32_t slot) const { return values_[slot]; }
  const std::string& stored(uint32_t slot) const { return stored_[slot]; }

  // Terms in bytewise order with their postings.
  std::vector<std::pair<std::string_view, const TermPostings*>> sorted_terms() const;

  void clear();

 private:
  TermTable<TermPostings> terms_;
  std::vector<std::string> ids_;
  std::vector<DocValues> values_;
  std::vector<std::string> stored_;
  std::vector<bool> live_;
  // Each id's latest slot, live or not (live_ tells): an id's lookup is one slot and one
  // entry, where std::unordered_map took a string copy, a bucket and a node or two.
  TermTable<uint32_t> slot_by_id_;
  uint32_t live_count_ = 0;
  size_t memory_bytes_ = 0;
  uint32_t term_bytes_limit_;
  uint32_t largest_term_bytes_ = 0;
};

}  // namespace morgue
