#include "indexer/index/inverter.h"

#include <algorithm>

#include "common/analysis/field_terms.h"
#include "common/base/coding.h"

namespace morgue {
namespace {

// Rough per-document cost used by the memory estimate: its slot in the per-document arrays
// (ids_, values_ and stored_ take 120 bytes). The term and id tables' arrays are counted
// exactly (TermTable::table_bytes), the terms', ids', packed postings' and stored articles'
// heap buffers by their capacity.
constexpr size_t kPerDocBytes = 128;

// The heap bytes a string holds beyond its own object: none while it fits inline, else its
// buffer and malloc's chunk header and rounding (16 bytes on average with glibc).
constexpr size_t kMallocOverhead = 16;
size_t heap_bytes(const std::string& s) {
  return s.capacity() > std::string().capacity() ? s.capacity() + 1 + kMallocOverhead : 0;
}
size_t heap_bytes(const PackedBytes& b) {
  return b.heap_capacity() > 0 ? b.heap_capacity() + kMallocOverhead : 0;
}

// Terms between the stages of Inverter::add's lookups.
constexpr std::ptrdiff_t kLookahead = 8;

// Asks for every cache line of *object.
template <class T>
void prefetch_object(const T* object) {
  const char* bytes = reinterpret_cast<const char*>(object);
  for (size_t offset = 0; offset < sizeof(T); offset += 64) __builtin_prefetch(bytes + offset);
}

}  // namespace

static_assert(sizeof(TermTable<Inverter::TermPostings>::Entry) == 64,
              "a term's entry is one cache line");

uint32_t Inverter::add(const Article& article, const ArticleTerms& terms, std::string stored) {
  auto slot = static_cast<uint32_t>(ids_.size());
  const std::vector<TermOccurrences>& occurrences = terms.terms;
  const auto n = static_cast<std::ptrdiff_t>(occurrences.size());
  // A term's lookup and append miss the cache up to three times in a row: its slot, its
  // entry, then its term's and postings' buffers. They are asked for in stages kLookahead
  // terms apart, so that each term's misses overlap the work on the terms before it (the
  // table lookup alone was 14% of a million-article ingest's CPU, 43% of this thread's).
  for (std::ptrdiff_t i = -3 * kLookahead; i < n; ++i) {
    if (std::ptrdiff_t j = i + 3 * kLookahead; j >= 0 && j < n)
      terms_.prefetch_slot(occurrences[j].hash);
    if (std::ptrdiff_t j = i + 2 * kLookahead; j >= 0 && j < n) {
      if (const auto* e = terms_.probable_entry(occurrences[j].hash)) prefetch_object(e);
    }
    if (std::ptrdiff_t j = i + kLookahead; j >= 0 && j < n) {
      if (const auto* e = terms_.probable_entry(occurrences[j].hash)) {
        __builtin_prefetch(e->term.data());
        __builtin_prefetch(e->value.bytes.data() + e->value.bytes.size());
      }
    }
    if (i < 0) continue;
    const TermOccurrences& occ = occurrences[i];
    const std::string_view term = terms.term(occ);
    bool inserted = false;
    auto& entry = terms_.find_or_insert(term, occ.hash, inserted);
    if (inserted) memory_bytes_ += heap_bytes(entry.term);
    TermPostings& p = entry.value;
    size_t heap_before = heap_bytes(p.bytes);
    const bool with_positions = has_positions(term);
    const std::span<const uint32_t> positions = terms.positions_of(occ);
    const size_t values = 2 + (with_positions ? 1 + positions.size() : 0);
    char* const start = p.bytes.reserve_tail(static_cast<uint32_t>(kMaxVarint32Bytes * values));
    char* out = put_varint32(start, slot - p.last_slot);
    p.last_slot = slot;
    out = put_varint32(out, occ.wdf);
    if (with_positions) {
      out = put_varint32(out, static_cast<uint32_t>(positions.size()));
      uint32_t previous = 0;
      for (uint32_t position : positions) {
        out = put_varint32(out, position - previous);
        previous = position;
      }
    }
    p.bytes.commit(static_cast<uint32_t>(out - start));
    largest_term_bytes_ = std::max(largest_term_bytes_, p.bytes.size());
    memory_bytes_ += heap_bytes(p.bytes) - heap_before;
  }
  DocValues v;
  v.published = *article.published;
  v.version = article.version;
  v.doclen = terms.doclen;
  v.source = article.source;
  memory_bytes_ += kPerDocBytes + heap_bytes(stored) + heap_bytes(v.source);
  ids_.push_back(article.id);
  memory_bytes_ += heap_bytes(ids_.back());
  values_.push_back(std::move(v));
  stored_.push_back(std::move(stored));
  live_.push_back(true);
  bool new_id = false;
  auto& id_entry = slot_by_id_.find_or_insert(article.id, new_id);
  id_entry.value = slot;
  if (new_id) memory_bytes_ += heap_bytes(id_entry.term);
  ++live_count_;
  return slot;
}

void Inverter::decode(std::string_view term, const TermPostings& packed,
                      std::vector<PendingPosting>& postings, std::vector<uint32_t>& positions) {
  postings.clear();
  positions.clear();
  bool with_positions = has_positions(term);
  ByteReader in(packed.bytes.view());  // written by add(): well formed
  uint32_t slot = 0;
  while (!in.at_end()) {
    slot += in.varint32();
    PendingPosting p{slot, in.varint32(), static_cast<uint32_t>(positions.size()), 0};
    if (with_positions) {
      p.pos_count = in.varint32();
      uint32_t position = 0;
      for (uint32_t i = 0; i < p.pos_count; ++i) positions.push_back(position += in.varint32());
    }
    postings.push_back(p);
  }
}

void Inverter::kill(uint32_t slot) {
  if (!live_[slot]) return;
  live_[slot] = false;
  --live_count_;
  // Its postings stay until the flush, which skips dead slots; the stored bytes go now.
  memory_bytes_ -= std::min(memory_bytes_, heap_bytes(stored_[slot]));
  std::string().swap(stored_[slot]);
}

std::optional<uint32_t> Inverter::find(std::string_view id) const {
  const auto* entry = slot_by_id_.find(id);
  if (entry == nullptr || !live_[entry->value]) return std::nullopt;
  return entry->value;
}

std::vector<std::pair<std::string_view, const Inverter::TermPostings*>> Inverter::sorted_terms()
    const {
  // Sorted as keys of each term's first 16 bytes (two big-endian numbers, zero-padded) and
  // its entry, so that most comparisons read neither the terms nor memcmp: comparing the
  // strings themselves, scattered over the heap, was most of a flush's sort (memcmp alone
  // about 1% of a build's samples). Equal keys fall back to the whole terms. The second
  // number is for the ids ("Q" and the article's id), which often share their first 8
  // bytes ("Qsyn-000"): with one number they were most of the fallbacks.
  struct SortKey {
    uint64_t leading;
    uint64_t second;
    uint32_t index;
  };
  std::vector<SortKey> keys(terms_.size());
  for (size_t i = 0; i < terms_.size(); ++i) {
    std::string_view term = terms_.entry(i).term;
    uint64_t second = term.size() > 8 ? leading_bytes(term.substr(8, 8)) : 0;
    keys[i] = {leading_bytes(term), second, static_cast<uint32_t>(i)};
  }
  std::sort(keys.begin(), keys.end(), [&](const SortKey& a, const SortKey& b) {
    if (a.leading != b.leading) return a.leading < b.leading;
    if (a.second != b.second) return a.second < b.second;
    return terms_.entry(a.index).term < terms_.entry(b.index).term;
  });
  std::vector<std::pair<std::string_view, const TermPostings*>> out;
  out.reserve(keys.size());
  for (const SortKey& key : keys) {
    const auto& entry = terms_.entry(key.index);
    out.emplace_back(entry.term, &entry.value);
  }
  return out;
}

void Inverter::clear() {
  terms_.clear();
  ids_.clear();
  values_.clear();
  stored_.clear();
  live_.clear();
  slot_by_id_.clear();
  live_count_ = 0;
  memory_bytes_ = 0;
  largest_term_bytes_ = 0;
}

}  // namespace morgue
