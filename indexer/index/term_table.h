// The inverter's term table: term -> its buffered postings, an open-addressing hash table
// over one array of entries. A lookup touches one 8-byte slot (tag and entry index) and,
// when the tag matches, the entry itself, which holds the term and its postings' header
// side by side. std::unordered_map took three or four dependent cache misses a lookup (the
// bucket, the node before the chain, the node, the next in the chain), and at a million
// articles those misses were most of the inverter's time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>
#include <xxhash.h>

namespace morgue {

template <class Value>
class TermTable {
 public:
  struct Entry {
    std::string term;
    Value value;
  };

  // The entry for `term`, inserted (with a default value) if absent; `inserted` says which.
  // References stay valid until the next insertion.
  Entry& find_or_insert(std::string_view term, bool& inserted);

  size_t size() const { return entries_.size(); }
  // Entries in insertion order.
  const std::vector<Entry>& entries() const { return entries_; }
  // Heap bytes of the table's arrays (not of the strings' own buffers).
  size_t table_bytes() const {
    return entries_.capacity() * sizeof(Entry) + slots_.capacity() * sizeof(uint64_t);
  }
  void clear();

 private:
  static uint64_t hash(std::string_view term);
  void grow();

  // Each slot: 0 if empty, else the hash's high 32 bits above (entry index + 1). Its size is
  // a power of two, at most half full.
  std::vector<uint64_t> slots_;
  std::vector<Entry> entries_;
};

template <class Value>
uint64_t TermTable<Value>::hash(std::string_view term) {
  return XXH3_64bits(term.data(), term.size());
}

template <class Value>
typename TermTable<Value>::Entry& TermTable<Value>::find_or_insert(std::string_view term,
                                                                   bool& inserted) {
  if (2 * (entries_.size() + 1) > slots_.size()) grow();
  uint64_t h = hash(term);
  uint64_t tag = h >> 32;
  size_t mask = slots_.size() - 1;
  for (size_t i = h & mask;; i = (i + 1) & mask) {
    uint64_t slot = slots_[i];
    if (slot == 0) {
      slots_[i] = (tag << 32) | (entries_.size() + 1);
      entries_.push_back(Entry{std::string(term), Value{}});
      inserted = true;
      return entries_.back();
    }
    if ((slot >> 32) == tag) {
      Entry& e = entries_[(slot & 0xffffffffu) - 1];
      if (e.term == term) {
        inserted = false;
        return e;
      }
    }
  }
}

template <class Value>
void TermTable<Value>::grow() {
  size_t capacity = slots_.empty() ? 1024 : 2 * slots_.size();
  std::vector<uint64_t> slots(capacity, 0);
  size_t mask = capacity - 1;
  for (size_t index = 0; index < entries_.size(); ++index) {
    uint64_t h = hash(entries_[index].term);
    size_t i = h & mask;
    while (slots[i] != 0) i = (i + 1) & mask;
    slots[i] = ((h >> 32) << 32) | (index + 1);
  }
  slots_ = std::move(slots);
  entries_.reserve(capacity / 2);
}

template <class Value>
void TermTable<Value>::clear() {
  std::vector<uint64_t>().swap(slots_);
  std::vector<Entry>().swap(entries_);
}

}  // namespace morgue
