// The one writer of an index: buffers analysed articles within a RAM budget, flushes them
// as segments, replaces and deletes articles by id, merges segments, and commits atomically
// (docs/FORMAT.md#commit-protocol). Holding it holds the index's LOCK.
#pragma once

#include <cstdint>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/analysis/analyzer.h"
#include "common/analysis/article_terms.h"
#include "common/codec/block_codec.h"
#include "common/format/manifest.h"
#include "common/index/segment_reader.h"
#include "indexer/index/id_filter.h"
#include "indexer/index/inverter.h"

namespace morgue {

// An article made ready for the writer off its thread: analysed and serialised.
struct PreparedArticle {
  Article article;
  ArticleTerms terms;
  std::string stored;
};
PreparedArticle prepare_article(Article article, Analyzer& analyzer);

struct IndexWriterOptions {
  // The RAM budget of the process. A third of it fills with buffered articles while
  // another third is flushed as a segment on another thread, so the two cores overlap
  // inversion and flushing; the last third is for everything else. A merge's memory
  // depends on the articles merged, not on the budget (docs/INDEXING.md).
  size_t ram_budget_bytes = size_t{256} << 20;
  // Create the index if the directory holds none (build); otherwise one must exist (add).
  bool create_if_missing = false;
  // Refuse to open an existing index (build into a fresh directory only).
  bool error_if_exists = false;
  CodecId codec = default_codec().id();
  // For a build, which ends with merge_all(): flushed segments wait for that one merge
  // instead of being merged by tiers on the way (which rewrites most articles twice more
  // at a million), up to kMaxDeferredSegments of them; and since that merge rewrites
  // them, their stores are compressed fast (flush_segment's `temporary`) and their
  // postings are bitpack128, whatever `codec` says (pfor128 encodes 10x slower).
  bool defer_merges = false;
};

// How many segments a writer deferring merges lets pile up before the tiered policy runs
// anyway (it bounds the inputs, and so the open files, of the final merge).
inline constexpr size_t kMaxDeferredSegments = 64;

enum class AddOutcome {
  kAdded,      // a new id
  kReplaced,   // an article with this id was replaced (same or lower version)
  kKeptNewer,  // ignored: the index holds this id with a higher version
};

struct WriterCounters {
  uint64_t flushes = 0;
  // Of the flushes, those written fast for merge_all() to rewrite (IndexWriterOptions::
  // defer_merges).
  uint64_t fast_flushes = 0;
  uint64_t merges = 0;
  uint64_t added = 0;
  uint64_t replaced = 0;
  uint64_t kept_newer = 0;
  uint64_t deleted = 0;
  // Adds and removes whose id was in the buffer being flushed, so they waited for the flush.
  uint64_t flush_waits = 0;
};

class IndexWriter {
 public:
  static Result<std::unique_ptr<IndexWriter>> open(const std::string& dir,
                                                   const IndexWriterOptions& options);
  ~IndexWriter();
  IndexWriter(const IndexWriter&) = delete;
  IndexWriter& operator=(const IndexWriter&) = delete;

  // Adds an article, replacing a live article with the same id unless that one has a
  // higher version. Flushes a segment when the buffer passes the RAM budget.
  Result<AddOutcome> add(PreparedArticle&& prepared);

  // Deletes the article with this id; false if there is none.
  Result<bool> remove(std::string_view id);

  // Makes everything added and deleted so far durable and visible to new readers.
  Status commit();

  // Merges all segments (purging deleted documents) into one, then commits.
  Status merge_all();
  // Merges segments as the tiered policy asks (kMergeFactor adjacent segments of one size
  // tier become one). Runs after every flush; the merged segment is committed with the
  // next commit().
  Status maybe_merge();

  const Manifest& committed_manifest() const { return manifest_; }
  const WriterCounters& counters() const { return counters_; }
  // Live articles in the buffer, not yet handed to a flush.
  uint32_t buffered_articles() const { return inverter_->live_count(); }
  size_t buffered_bytes() const {
    return inverter_->memory_bytes() + (flushing_ ? flushing_->memory_bytes() : 0);
  }

 private:
  struct Segment;
  IndexWriter() = default;

  // Flushes the buffer and waits for the segment to be written.
  Status flush();
  // Hands the buffer to a background flush (after waiting for the one in flight, if any)
  // and starts a fresh buffer.
  // `temporary`: the segment's store is written fast, for merge_all() to rewrite.
  Status start_flush(bool temporary);
  // Waits for the flush in flight, if any, and adds its segment; then merges as the tiered
  // policy asks.
  Status finish_flush();
  // The buffered article with this id, if any, in the buffer being filled (a flush in
  // flight that holds it is finished first, so that its article is found in its segment).
  Result<std::optional<uint32_t>> find_buffered(std::string_view id);
  Result<std::optional<std::pair<size_t, DocNum>>> find_live(std::string_view id) const;
  Status delete_in_segment(size_t segment, DocNum doc);
  Status merge_segments(size_t first, size_t count);
  // Adds a flushed segment's sorted id hashes to id_filter_, rebuilding it larger first
  // when they would overload it.
  void add_to_id_filter(const std::vector<uint64_t>& id_hashes);
  Status remove_unreferenced_files() const;

  std::string dir_;
  IndexWriterOptions options_;
  FileLock lock_;
  Manifest manifest_;  // the last commit
  uint64_t next_segment_number_ = 1;
  std::vector<std::unique_ptr<Segment>> segments_;  // committed and flushed, in order
  // Holds the id hashes of every segment with has_id_hashes (and maybe stale ones): an id
  // it does not hold is in none of those segments.
  IdFilter id_filter_;
  std::unique_ptr<Inverter> inverter_ = std::make_unique<Inverter>();
  struct FlushResult {
    Result<SegmentMeta> meta;
    bool temporary_store;  // written fast, for a build's final merge to rewrite
  };
  // The buffer a background flush is writing as segment flushing_number_, and its outcome.
  // Only the flush reads it until finish_flush() collects the result.
  std::unique_ptr<Inverter> flushing_;
  uint64_t flushing_number_ = 0;
  std::future<FlushResult> flush_result_;
  Analyzer analyzer_;  // re-analyses deleted articles for the statistics
  WriterCounters counters_;
};

}  // namespace morgue
