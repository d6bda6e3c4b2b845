// The in-memory segment being built: analysed articles inverted into per-term postings in
// arrival order, with their stored form and values, until the RAM budget calls for a flush.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/analysis/article_terms.h"
#include "common/format/doc_values.h"

namespace morgue {

class Inverter {
 public:
  // One term's postings in arrival order. `positions` holds, for each entry that has them,
  // pos_counts[i] positions in a row.
  struct TermPostings {
    std::vector<uint32_t> slots;  // arrival slots, increasing
    std::vector<uint32_t> wdfs;
    std::vector<uint32_t> pos_counts;  // empty for terms without positions
    std::vector<uint32_t> positions;
  };

  // Adds an article, returning its arrival slot. `stored` is its serialised form for the
  // store. Requires article.published.
  uint32_t add(const Article& article, const ArticleTerms& terms, std::string stored);

  // Drops a buffered article (replaced or deleted before it reached a segment).
  void kill(uint32_t slot);
  bool is_live(uint32_t slot) const { return live_[slot]; }

  // The live buffered article with this id, if any.
  std::optional<uint32_t> find(std::string_view id) const;

  uint32_t size() const { return static_cast<uint32_t>(ids_.size()); }
  uint32_t live_count() const { return live_count_; }
  // An estimate, from above, of the memory this buffer holds.
  size_t memory_bytes() const { return memory_bytes_; }

  const std::string& id(uint32_t slot) const { return ids_[slot]; }
  const DocValues& values(uint32_t slot) const { return values_[slot]; }
  const std::string& stored(uint32_t slot) const { return stored_[slot]; }

  // Terms in bytewise order with their postings.
  std::vector<std::pair<std::string_view, const TermPostings*>> sorted_terms() const;

  void clear();

 private:
  std::unordered_map<std::string, TermPostings> terms_;
  std::vector<std::string> ids_;
  std::vector<DocValues> values_;
  std::vector<std::string> stored_;
  std::vector<bool> live_;
  std::unordered_map<std::string, uint32_t> slot_by_id_;  // live slots only
  uint32_t live_count_ = 0;
  size_t memory_bytes_ = 0;
};

}  // namespace morgue
