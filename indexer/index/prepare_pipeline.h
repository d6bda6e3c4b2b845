// Hands articles from the thread that reads them to the thread that writes them, analysing
// and serialising them on the way on a pool of worker threads (analysis is about half of a
// build's work), in reading order (replacement by id depends on it), with a bounded number
// in flight.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "indexer/index/index_writer.h"

namespace morgue {

// Articles travel in batches of this many, so that the locks are taken per batch.
inline constexpr size_t kPrepareBatchArticles = 32;
// Batches read ahead of the writer. Bounded so that a writer busy flushing holds back the
// reader instead of letting prepared articles eat the RAM budget (about 18 KB each, so 9 MB
// in all). With 8, a worker held up on the oldest batch soon left the other without work,
// and both cores stood idle about 8% of a million-article ingest; with 16, about 6%.
inline constexpr size_t kPrepareBatchesInFlight = 16;
// Nice levels the analysis workers (and the reading thread) run below the writer. The
// writer's thread is the one part of an ingest that cannot be shared out, about 60% of a
// core, and at equal priority the workers took turns with it: it fell behind, the batches
// in flight filled up, and the workers and the reader stood waiting while it caught up
// alone, leaving a core idle. Below it, they fill the time it leaves (a million-article
// ingest about 5-10% faster, docs/INDEXING.md). The flushes keep the writer's priority:
// slowed down, a flush still held its buffer when the next one filled (peaks over the
// budget).
inline constexpr int kPreparePriorityDrop = 4;

// The number of analysis workers to use by default: one a core.
size_t default_prepare_workers();

class PreparePipeline {
 public:
  explicit PreparePipeline(size_t workers = default_prepare_workers());
  ~PreparePipeline();  // closes, and joins the workers
  PreparePipeline(const PreparePipeline&) = delete;
  PreparePipeline& operator=(const PreparePipeline&) = delete;

  // Reading thread: adds the next article; blocks while kPrepareBatchesInFlight batches are
  // waiting. Returns false if the writer has stopped.
  bool push(Article&& article);
  // Reading thread: no more articles.
  void close();

  // Writer thread: the next prepared article in reading order; blocks until it is ready.
  // Returns false once closed and drained, or stopped.
  bool pop(PreparedArticle& out);
  // Writer thread: stops taking articles after an error: push() and pop() then return
  // false, and articles not yet prepared are dropped.
  void stop();

 private:
  struct Batch {
    std::vector<Article> articles;
    std::vector<PreparedArticle> prepared;
    bool ready = false;
  };

  void submit_locked();  // queues filling_ for the workers
  void work();           // a worker's loop

  std::mutex mutex_;
  std::condition_variable not_full_, work_ready_, batch_ready_;
  std::unique_ptr<Batch> filling_;              // reading thread's batch being filled
  std::deque<std::shared_ptr<Batch>> ordered_;  // in reading order, for the writer
  std::deque<std::shared_ptr<Batch>> work_;     // not yet taken by a worker
  std::shared_ptr<Batch> taking_;               // writer's batch being taken
  size_t taken_ = 0;
  bool closed_ = false;
  // Written under mutex_; push() also reads it without, for the articles of a batch.
  std::atomic<bool> stopped_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace morgue
