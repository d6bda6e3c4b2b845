#include "indexer/index/segment_merger.h"

#include <algorithm>
#include <fmt/format.h>
#include <functional>
#include <future>
#include <span>

#include "common/analysis/field_terms.h"
#include "common/store/store_writer.h"
#include "indexer/index/radix_sort.h"
#include "indexer/index/segment_writer.h"

namespace morgue {
namespace {

constexpr uint32_t kDead = UINT32_MAX;
// A merge decompresses each sample back from its inputs and holds a copy (a flush has the
// articles in memory), so it trains on fewer bytes than store_training_bytes() allows: 16
// per dictionary byte (1.8 MB for Reuters-21578, 16 MiB at a million articles). 100, as a
// flush uses, gains 0.4 points of ratio on Reuters but doubled the time and added 22 MB to
// the peak of an 8 MB-budget build.
constexpr size_t kMergeSampleBytesPerDictByte = 16;
// However short the articles, a dictionary is trained on at least this many of them when
// the merge has them.
constexpr size_t kMinDictionarySamples = 2000;
// The merge streams through its inputs' memory maps once; every this many bytes read it
// drops the pages behind it, so that resident memory stays near the RAM budget however
// large the inputs (MmapFile::drop_resident_pages).
constexpr size_t kDropPagesEveryBytes = size_t{32} << 20;

// Threads compressing a merge's store. Its zstd takes about 1.7 times the CPU of the
// merge's terms at a million articles, so on one thread the store would be the merge's
// critical path; on two (sharing the cores with the terms) it finishes a little after
// them. More would add a zstd context each and could not finish before the terms.
constexpr unsigned kMergeStoreCompressionThreads = 2;

// What one scattered read of a stored article may leave resident: its chunk, the
// kernel's fault-around and its read-ahead.
constexpr size_t kPagesTouchedPerSample = size_t{256} << 10;

// Counts bytes read from the inputs and drops their resident pages every
// kDropPagesEveryBytes.
class InputPageDropper {
 public:
  explicit InputPageDropper(const std::vector<MergeInput>& inputs) : inputs_(inputs) {}
  void read(size_t bytes) {
    read_ += bytes;
    if (read_ >= kDropPagesEveryBytes) drop();
  }
  void drop() {
    for (const MergeInput& in : inputs_) in.segment->drop_resident_pages();
    read_ = 0;
  }

 private:
  const std::vector<MergeInput>& inputs_;
  size_t read_ = 0;
};

struct LiveDoc {
  int64_t published;
  std::string_view id;
  uint32_t input;
  DocNum doc;
};

// Each input's postings and positions are read through windows of this many bytes
// (WindowedFileReader): a pread per window instead of one per (term, input), two system
// calls for most of a segment's terms. The postings take two windows (a word's postings
// shared with its stem lie among the stems'), the positions one: 64 inputs hold 12 MiB.
constexpr size_t kInputWindowBytes = size_t{64} << 10;

// One term's postings from every input that holds it, merged in new document order with
// dead documents left out. Each input's bytes for the term are read with pread through a
// window of the merger's (SegmentReader::read_postings), not through the maps. merge()
// fills docs() and wdfs(); positions_of() then decodes each document's positions in a
// second pass over those bytes, one document at a time, so that a frequent word's
// positions (tens of MB at a million articles) are never all decoded at once.
class TermPostingsMerger {
 public:
  // `files`: each input's open_postings_files(); `new_doc`: each input document's new
  // number, below `doc_count` (kDead if deleted).
  TermPostingsMerger(const std::vector<MergeInput>& inputs,
                     std::vector<SegmentReader::PostingsFiles> files,
                     const std::vector<std::vector<uint32_t>>& new_doc, uint32_t doc_count)
      : inputs_(inputs),
        files_(std::move(files)),
        new_doc_(new_doc),
        doc_count_(doc_count),
        bytes_(inputs.size()) {}

  void start(std::string_view term) {
    term_ = term;
    with_freqs_ = !is_filter_term(term);
    with_positions_ = has_positions(term);
    open_cursors_ = 0;
    reserve_docs_ = 0;
    status_ = Status::ok();
  }

  Status add_input(uint32_t input, const TermInfo& info) {
    // Cursors are kept from term to term and opened in place: a new one built and moved in
    // for each (term, input) copied 3 KB twice, 2.4% of the final merge's profile.
    if (open_cursors_ == cursors_.size()) cursors_.emplace_back();
    Cursor& c = cursors_[open_cursors_];
    c.input = input;
    c.info = info;
    const SegmentReader& segment = *inputs_[input].segment;
    MORGUE_RETURN_IF_ERROR(segment.read_postings(info, files_[input], bytes_[input]));
    MORGUE_RETURN_IF_ERROR(segment.open_postings(info, bytes_[input], c.postings));
    c.mapped_block = kNoBlock;
    ++open_cursors_;
    reserve_docs_ += info.df;
    return Status::ok();
  }

  // Fills docs() and wdfs(), and readies positions_of(). kCorruption if an input's
  // postings are not in (published, id) order or are damaged.
  Status merge(uint64_t output_segment) {
    // Every live posting of every input, with its cursor, sorted by new number. A build's
    // inputs each span the whole date range, so a frequent word's postings alternate among
    // all of them at random: a heap of the cursors mispredicted a branch or two per level
    // for every posting (most of merge_terms' 9.8 CPU-s in a million-article build), where
    // a radix sort's passes branch on nothing. The new numbers are sorted a slice of their
    // range at a time, each slice holding about kSlicePostings of the term's postings, so
    // that the records stay in the cache and take no memory in proportion to the term.
    docs_.clear();
    wdfs_.clear();
    cursor_of_.clear();
    docs_.reserve(reserve_docs_);
    if (with_freqs_) wdfs_.reserve(reserve_docs_);
    if (with_positions_) cursor_of_.reserve(reserve_docs_);
    for (size_t k = 0; k < open_cursors_; ++k) {
      MORGUE_RETURN_IF_ERROR(settle(cursors_[k]));
      cursors_[k].last_taken = -1;
    }
    const uint64_t slices = std::max<uint64_t>(1, reserve_docs_ / kSlicePostings);
    const uint64_t slice_docs = (uint64_t{doc_count_} + slices - 1) / slices;
    for (uint64_t begin = 0; begin < doc_count_; begin += slice_docs) {
      const uint64_t end = begin + slice_docs;
      records_.clear();
      for (size_t k = 0; k < open_cursors_; ++k) {
        Cursor& c = cursors_[k];
        while (c.postings.doc() != kEndDoc && c.new_doc < end) {
          if (c.new_doc <= c.last_taken) {
            return Status::corruption(fmt::format(
                "merging into segment {}: term '{}' of segment {} is not in date order",
                output_segment, term_, inputs_[c.input].segment->meta().number));
          }
          c.last_taken = c.new_doc;
          records_.push_back({c.new_doc - static_cast<uint32_t>(begin),
                              with_freqs_ ? c.postings.tf() : 0, static_cast<uint32_t>(k)});
          c.postings.next();
          MORGUE_RETURN_IF_ERROR(settle(c));
        }
      }
      radix_sort(records_, sort_scratch_, [](const Record& r) { return r.doc; });
      for (const Record& r : records_) {
        docs_.push_back(r.doc + static_cast<uint32_t>(begin));
        if (with_freqs_) wdfs_.push_back(r.wdf);
        if (with_positions_) cursor_of_.push_back(r.cursor);
      }
    }
    for (size_t k = 0; k < open_cursors_; ++k) {
      // Only a new number past the last could be left: a bug in the tables, not damage.
      if (cursors_[k].postings.doc() != kEndDoc) {
        return Status::internal(fmt::format("merging into segment {}: term '{}' has a new "
                                            "document number past the last",
                                            output_segment, term_));
      }
    }
    // The second pass: each input's postings again, from the start of the same bytes.
    if (with_positions_) {
      for (size_t k = 0; k < open_cursors_; ++k) {
        Cursor& c = cursors_[k];
        MORGUE_RETURN_IF_ERROR(
            inputs_[c.input].segment->open_postings(c.info, bytes_[c.input], c.postings));
        c.mapped_block = kNoBlock;
        MORGUE_RETURN_IF_ERROR(settle(c));
      }
    }
    return Status::ok();
  }

  std::span<const uint32_t> docs() const { return docs_; }
  std::span<const uint32_t> wdfs() const { return wdfs_; }
  bool with_positions() const { return with_positions_; }

  // The positions of the posting docs()[i], for i = 0, 1, ... in turn after merge(). On
  // damage, an empty span, and status() says why.
  std::span<const uint32_t> positions_of(size_t i) {
    if (!status_.is_ok()) return {};
    Cursor& c = cursors_[cursor_of_[i]];
    if (c.postings.doc() == kEndDoc || c.new_doc != docs_[i]) {
      status_ = Status::corruption(fmt::format("term '{}' of segment {}: positions pass "
                                               "disagrees with the document pass",
                                               term_, inputs_[c.input].segment->meta().number));
      return {};
    }
    auto pos = c.postings.positions();
    positions_.assign(pos.begin(), pos.end());
    c.postings.next();
    status_ = settle(c);
    return positions_;
  }
  // Damage met by positions_of().
  const Status& status() const { return status_; }

 private:
  static constexpr size_t kNoBlock = SIZE_MAX;
  // Postings a slice of merge()'s sort holds, about: 48 KB of records, in the L1 and L2
  // caches. Reuters-21578's frequent words, in 20,000 articles, take several slices.
  static constexpr uint64_t kSlicePostings = 4096;
  struct Record {
    uint32_t doc;  // new number, less the slice's first
    uint32_t wdf;
    uint32_t cursor;
  };
  struct Cursor {
    PostingsIterator postings;
    uint32_t input = 0;
    TermInfo info;         // the term's in this input, to open it again for positions
    uint32_t new_doc = 0;  // of postings.doc(), when not at the end
    int64_t last_taken = -1;  // new number of the last posting merge() took; -1: none yet
    // The new numbers of block mapped_block's documents (kDead for deleted ones); kNoBlock
    // when none is mapped since the postings were opened.
    size_t mapped_block = kNoBlock;
    uint32_t mapped[kBlockSize];
  };

  // Moves past dead documents and records the current one's new number.
  Status settle(Cursor& c) const {
    for (; c.postings.doc() != kEndDoc; c.postings.next()) {
      if (c.postings.block() != c.mapped_block) MORGUE_RETURN_IF_ERROR(map_block(c));
      uint32_t number = c.mapped[c.postings.block_index()];
      if (number != kDead) {
        c.new_doc = number;
        return Status::ok();
      }
    }
    return c.postings.status();
  }

  // Looks up the new numbers of all the documents of the cursor's current block at once.
  // The loads are independent, so their cache misses overlap: the numbers of 36 inputs
  // take 4 MB at a million articles, and looking each up as the merge reached it waited
  // for one miss at a time (92% of settle(), which was a sixth of the final merge's CPU).
  Status map_block(Cursor& c) const {
    const std::vector<uint32_t>& numbers = new_doc_[c.input];
    std::span<const uint32_t> docs = c.postings.block_docs();
    bool out_of_range = false;
    for (size_t i = 0; i < docs.size(); ++i) {
      out_of_range |= docs[i] >= numbers.size();
      c.mapped[i] = docs[i] < numbers.size() ? numbers[docs[i]] : kDead;
    }
    if (out_of_range) {
      return Status::corruption(fmt::format("segment {}: term '{}' points past the last document",
                                            inputs_[c.input].segment->meta().number, term_));
    }
    c.mapped_block = c.postings.block();
    return Status::ok();
  }

  const std::vector<MergeInput>& inputs_;
  std::vector<SegmentReader::PostingsFiles> files_;  // by input
  const std::vector<std::vector<uint32_t>>& new_doc_;
  uint32_t doc_count_;  // of the merged segment
  std::string term_;
  bool with_freqs_ = false, with_positions_ = false;
  std::vector<Cursor> cursors_;  // the first open_cursors_ hold the term's inputs
  size_t open_cursors_ = 0;
  std::vector<SegmentReader::TermBytes> bytes_;  // the term's, by input: views into files_
  uint64_t reserve_docs_ = 0;
  std::vector<Record> records_, sort_scratch_;  // merge()'s postings of one slice
  std::vector<uint32_t> docs_, wdfs_;
  std::vector<uint32_t> cursor_of_;  // of each posting, for positions_of()
  std::vector<uint32_t> positions_;  // one document's, returned by positions_of()
  Status status_;
};

// One stored article of the merged segment: where it comes from.
struct StoredSource {
  uint32_t input;
  DocNum doc;
};

// The merged segment's store dictionary, trained on live articles sampled evenly across
// the inputs (in input order, which for a build's segments is publication order). It runs
// beside the merge's ordering of the articles but before the terms and the store are
// merged, so that the samples and ZDICT's working memory (about 30 MB at a million
// articles) do not add to the merge's peak.
Result<std::string> train_merged_store_dictionary(const std::vector<MergeInput>& inputs) {
  InputPageDropper dropper(inputs);
  // The merged store's serialised bytes, estimated from each input's share of live articles.
  uint64_t live_count = 0, merged_bytes = 0;
  for (const MergeInput& in : inputs) {
    uint32_t docs = in.segment->meta().doc_count;
    uint32_t live = docs - std::min(docs, in.deletions->deleted_count());
    live_count += live;
    if (docs != 0) merged_bytes += in.segment->store().raw_bytes() * live / docs;
  }
  size_t dict_bytes = store_dictionary_bytes(merged_bytes);
  // Every step-th live article, so that the samples come to about training_bytes.
  size_t training_bytes =
      std::min(store_training_bytes(dict_bytes), kMergeSampleBytesPerDictByte * dict_bytes);
  uint64_t step = std::max<uint64_t>(1, merged_bytes / training_bytes);
  step = std::min(step, std::max<uint64_t>(1, live_count / kMinDictionarySamples));
  // The samples end to end, held once and reserved for their expected size (up to
  // kStoreMaxTrainingBytes) rather than doubled as they come.
  std::string samples;
  uint64_t sample_count = (live_count + step - 1) / step;
  samples.reserve(std::min<uint64_t>(merged_bytes / step + merged_bytes / step / 8,
                                     sample_count * kStoreMaxSampleBytes));
  std::vector<size_t> sizes;
  uint64_t n = 0;  // live articles passed, over all inputs
  for (const MergeInput& in : inputs) {
    const StoreReader& store = in.segment->store();
    for (DocNum d = 0; d < in.segment->meta().doc_count; ++d) {
      if (in.deletions->is_deleted(d) || n++ % step != 0) continue;
      MORGUE_ASSIGN_OR_RETURN(std::string bytes, store.get(d));
      std::string_view sample = std::string_view(bytes).substr(0, kStoreMaxSampleBytes);
      samples.append(sample);
      sizes.push_back(sample.size());
      // A scattered read faults in the pages around it and the kernel reads ahead; the
      // sampling would otherwise leave most of every input store resident.
      dropper.read(kPagesTouchedPerSample);
    }
  }
  dropper.drop();
  // On as many threads as the merge compresses its store with: only the merge's ordering
  // of the articles runs beside it, and not for long (a fraction of a second at a million).
  return train_store_dictionary(samples, sizes, dict_bytes, kMergeStoreCompressionThreads);
}

// Writes the merged segment's store: every article in the new order, compressed with
// `dictionary`. Runs beside merge_terms().
Status copy_store(const std::vector<MergeInput>& inputs,
                  const std::vector<StoredSource>& order, std::string dictionary,
                  SegmentWriter& writer) {
  MORGUE_RETURN_IF_ERROR(
      writer.open_store(std::move(dictionary), kStoreZstdLevel, kMergeStoreCompressionThreads));
  // Each input's live documents come in its own order: its chunks are read once each,
  // with pread (StoreReader::Cursor), so nothing is left to drop.
  std::vector<StoreReader::Cursor> stores;
  for (const MergeInput& in : inputs) stores.emplace_back(in.segment->store());
  for (const StoredSource& d : order) {
    MORGUE_ASSIGN_OR_RETURN(std::string_view stored, stores[d.input].get(d.doc));
    MORGUE_RETURN_IF_ERROR(writer.add_stored(stored));
  }
  return Status::ok();
}

// Terms: a k-way merge of the dictionaries, and for each term its inputs' postings sorted
// by new document number. Within an input both orders are (published, id), so each
// input's postings arrive already in new-number order: nothing is buffered but the one
// term's documents and frequencies (and their sort's records) and its encoded output;
// positions are read a document at a time.
Status merge_terms(const std::vector<MergeInput>& inputs,
                   const std::vector<std::vector<uint32_t>>& new_doc, uint32_t doc_count,
                   uint64_t number, SegmentWriter& writer) {
  InputPageDropper dropper(inputs);
  std::vector<TermDictReader::Iterator> terms;
  for (const MergeInput& in : inputs) terms.push_back(in.segment->terms().begin());
  std::vector<SegmentReader::PostingsFiles> files;
  for (const MergeInput& in : inputs) {
    MORGUE_ASSIGN_OR_RETURN(SegmentReader::PostingsFiles f,
                            in.segment->open_postings_files(kInputWindowBytes));
    files.push_back(std::move(f));
  }
  TermPostingsMerger postings_merger(inputs, std::move(files), new_doc, doc_count);
  while (true) {
    bool any = false;
    std::string current;
    for (const auto& it : terms) {
      if (it.valid() && (!any || it.term() < current)) {
        current.assign(it.term());
        any = true;
      }
    }
    for (const auto& it : terms) MORGUE_RETURN_IF_ERROR(it.status());
    if (!any) break;
    postings_merger.start(current);
    for (uint32_t i = 0; i < inputs.size(); ++i) {
      auto& it = terms[i];
      if (!it.valid() || it.term() != current) continue;
      MORGUE_RETURN_IF_ERROR(postings_merger.add_input(i, it.info()));
      // The bytes read through this input's map: the dictionary entry (the term and about
      // 16 bytes of TermInfo varints). Postings and positions are read with pread.
      dropper.read(current.size() + 16);
      it.next();
    }
    MORGUE_RETURN_IF_ERROR(postings_merger.merge(number));
    TermPostingsMerger& m = postings_merger;
    if (m.docs().empty()) continue;
    PostingsWriter::PositionsOf positions_of;
    if (m.with_positions()) positions_of = [&m](size_t i) { return m.positions_of(i); };
    MORGUE_RETURN_IF_ERROR(writer.add_term(current, m.docs(), m.wdfs(), positions_of));
    MORGUE_RETURN_IF_ERROR(m.status());
  }
  return Status::ok();
}

}  // namespace

Result<SegmentMeta> merge_into_segment(const std::string& dir, uint64_t number,
                                       const std::vector<MergeInput>& inputs,
                                       const BlockCodec& codec) {
  // 0. The store's dictionary, on a thread of its own while this one does step 1: the
  // sampling and the ordering each keep one core busy, and ZDICT's tail leaves one idle.
  // With launch::deferred as well, a thread the system refuses means training at get().
  // The future joins on every path.
  std::future<Result<std::string>> trained = std::async(
      std::launch::async | std::launch::deferred,
      [&inputs] { return train_merged_store_dictionary(inputs); });

  // 1. The merged order and each input document's new number.
  InputPageDropper dropper(inputs);
  std::vector<std::vector<std::string>> ids(inputs.size());
  std::vector<LiveDoc> live;
  for (uint32_t i = 0; i < inputs.size(); ++i) {
    const SegmentReader& s = *inputs[i].segment;
    MORGUE_RETURN_IF_ERROR(s.article_ids(ids[i]));
    for (DocNum d = 0; d < s.meta().doc_count; ++d) {
      if (!inputs[i].deletions->is_deleted(d))
        live.push_back({s.values().published(d), ids[i][d], i, d});
    }
  }
  dropper.drop();
  if (live.empty()) return SegmentMeta{};
  std::sort(live.begin(), live.end(), [](const LiveDoc& a, const LiveDoc& b) {
    return a.published != b.published ? a.published < b.published : a.id < b.id;
  });
  std::vector<std::vector<uint32_t>> new_doc(inputs.size());
  for (uint32_t i = 0; i < inputs.size(); ++i)
    new_doc[i].assign(inputs[i].segment->meta().doc_count, kDead);
  for (uint32_t n = 0; n < live.size(); ++n) new_doc[live[n].input][live[n].doc] = n;
  MORGUE_ASSIGN_OR_RETURN(std::string store_dictionary, trained.get());

  // 2. Documents: values in the new order here; the stored articles (zstd: about a third
  // of a merge) on a second thread while this one merges the terms. The future joins on
  // every path, and before `writer` is destroyed.
  MORGUE_ASSIGN_OR_RETURN(auto writer, SegmentWriter::create(dir, number, codec));
  std::vector<StoredSource> store_order;
  store_order.reserve(live.size());
  for (const LiveDoc& d : live) {
    const SegmentReader& s = *inputs[d.input].segment;
    DocValues v;
    v.published = d.published;
    v.version = s.values().version(d.doc);
    v.doclen = s.values().doclen(d.doc);
    v.source = std::string(s.values().source(d.doc));
    MORGUE_RETURN_IF_ERROR(writer->add_document(v));
    store_order.push_back({d.input, d.doc});
  }
  live = {};
  ids = {};
  MORGUE_RETURN_IF_ERROR(write_store_beside_terms(
      [&] { return copy_store(inputs, store_order, std::move(store_dictionary), *writer); },
      [&] {
        return merge_terms(inputs, new_doc, static_cast<uint32_t>(store_order.size()), number,
                           *writer);
      }));
  return writer->finish();
}
}  // namespace morgue
