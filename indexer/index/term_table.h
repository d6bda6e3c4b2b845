// The inverter's term table: term -> its buffered postings, an open-addressing hash table
// over blocks of entries. A lookup touches one 8-byte slot (tag and entry index) and,
// when the tag matches, the entry itself, which holds the term and its postings' header
// side by side. std::unordered_map took three or four dependent cache misses a lookup (the
// bucket, the node before the chain, the node, the next in the chain), and at a million
// articles those misses were most of the inverter's time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/base/hash.h"

namespace morgue {

template <class Value>
class TermTable {
 public:
  // Aligned so that an entry of up to 64 bytes is one cache line.
  struct alignas(64) Entry {
    std::string term;
    Value value;
  };

  // The analysis's hash of its terms (TermOccurrences::hash), which Inverter::add passes in.
  static uint64_t hash(std::string_view term) { return short_key_hash(term); }

  // The entry for `term`, whose hash() is `h`, inserted (with a default value) if absent;
  // `inserted` says which. Entries never move: references stay valid until clear().
  Entry& find_or_insert(std::string_view term, uint64_t h, bool& inserted);
  Entry& find_or_insert(std::string_view term, bool& inserted) {
    return find_or_insert(term, hash(term), inserted);
  }

  // The entry for `term`, or null if it has none.
  const Entry* find(std::string_view term) const;

  // Lookups a few terms ahead of the one being inserted, so that their cache misses
  // overlap rather than follow one another (Inverter::add pipelines them): the first asks
  // for the slot where the search for hash `h` starts; the second, once that slot has
  // arrived, returns the entry it points to when its tag matches (the term itself is not
  // compared), or null.
  void prefetch_slot(uint64_t h) const {
    // Unconditional (an empty table asks for null + 0, which is harmless): GCC 12 deleted
    // this prefetch when it sat under `if (!slots_.empty())`, and for months the lookups'
    // first stage asked for nothing.
    __builtin_prefetch(slots_.data() + (h & slot_mask_));
  }
  const Entry* probable_entry(uint64_t h) const {
    if (slots_.empty()) return nullptr;
    uint64_t slot = slots_[h & slot_mask_];
    if (slot == 0 || !tag_matches(slot, h)) return nullptr;
    return &entry(entry_index(slot));
  }

  size_t size() const { return size_; }
  // The entries in insertion order: entry(0) .. entry(size() - 1).
  const Entry& entry(size_t index) const {
    return blocks_[index / kBlockEntries][index % kBlockEntries];
  }
  // Heap bytes of the table's arrays (not of the strings' own buffers).
  size_t table_bytes() const {
    return blocks_.size() * kBlockEntries * sizeof(Entry) + slots_.capacity() * sizeof(uint64_t);
  }
  void clear();

 private:
  // Entries live in fixed blocks, so that growing never moves them: a vector's doubling
  // would hold the old and the new array at once, tens of MB above the estimate.
  static constexpr size_t kBlockEntries = 4096;

  Entry& mutable_entry(size_t index) {
    return blocks_[index / kBlockEntries][index % kBlockEntries];
  }
  void grow();

  // The slot holding `term`, whose hash() is `h`, or the empty slot where it would go.
  // Requires slots (the table at most half full, so the search ends).
  size_t probe(std::string_view term, uint64_t h) const {
    for (size_t i = h & slot_mask_;; i = (i + 1) & slot_mask_) {
      const uint64_t slot = slots_[i];
      if (slot == 0 || (tag_matches(slot, h) && entry(entry_index(slot)).term == term)) return i;
    }
  }

  // Each slot: 0 if empty, else the hash's high 32 bits above (entry index + 1). Its size is
  // a power of two, at most half full.
  static uint64_t make_slot(uint64_t h, size_t index) { return (h >> 32) << 32 | (index + 1); }
  static bool tag_matches(uint64_t slot, uint64_t h) { return (slot >> 32) == (h >> 32); }
  static size_t entry_index(uint64_t slot) { return (slot & 0xffffffffu) - 1; }
  std::vector<uint64_t> slots_;
  // slots_.size() - 1, or 0 while there are none: every search masks with it, and the
  // prefetch needs an address that is valid for an empty table too.
  size_t slot_mask_ = 0;
  std::vector<std::unique_ptr<Entry[]>> blocks_;
  size_t size_ = 0;
};

template <class Value>
typename TermTable<Value>::Entry& TermTable<Value>::find_or_insert(std::string_view term,
                                                                   uint64_t h, bool& inserted) {
  if (2 * (size_ + 1) > slots_.size()) grow();
  const size_t i = probe(term, h);
  if (slots_[i] != 0) {
    inserted = false;
    return mutable_entry(entry_index(slots_[i]));
  }
  if (size_ == blocks_.size() * kBlockEntries)
    blocks_.push_back(std::make_unique<Entry[]>(kBlockEntries));
  slots_[i] = make_slot(h, size_);
  Entry& e = mutable_entry(size_++);
  e.term.assign(term);
  inserted = true;
  return e;
}

template <class Value>
const typename TermTable<Value>::Entry* TermTable<Value>::find(std::string_view term) const {
  if (slots_.empty()) return nullptr;
  const uint64_t slot = slots_[probe(term, hash(term))];
  return slot == 0 ? nullptr : &entry(entry_index(slot));
}

template <class Value>
void TermTable<Value>::grow() {
  size_t capacity = slots_.empty() ? 1024 : 2 * slots_.size();
  std::vector<uint64_t> slots(capacity, 0);
  size_t mask = capacity - 1;
  for (size_t index = 0; index < size_; ++index) {
    uint64_t h = hash(entry(index).term);
    size_t i = h & mask;
    while (slots[i] != 0) i = (i + 1) & mask;
    slots[i] = make_slot(h, index);
  }
  slots_ = std::move(slots);
  slot_mask_ = mask;
}

template <class Value>
void TermTable<Value>::clear() {
  std::vector<uint64_t>().swap(slots_);
  slot_mask_ = 0;
  blocks_.clear();
  size_ = 0;
}

}  // namespace morgue
