// A bounded queue handing analysed articles from the thread that reads and analyses them
// to the thread that writes them (both cores busy, memory bounded).
#pragma once

#include <condition_variable>
#include <deque>
#include <mutex>

#include "indexer/index/index_writer.h"

namespace morgue {

// Articles analysed ahead of the writer. Bounded so that a writer busy flushing a segment
// holds back the reader instead of letting the queue eat the RAM budget.
inline constexpr size_t kQueueCapacity = 256;

// A bounded queue handing prepared articles from the reading thread to the writing one.
class ArticleQueue {
 public:
  // Blocks while full. Returns false if the consumer has stopped.
  bool push(PreparedArticle&& article) {
    std::unique_lock lock(mutex_);
    not_full_.wait(lock, [&] { return items_.size() < kQueueCapacity || stopped_; });
    if (stopped_) return false;
    items_.push_back(std::move(article));
    not_empty_.notify_one();
    return true;
  }
  // Blocks while empty. Returns false once closed and drained.
  bool pop(PreparedArticle& out) {
    std::unique_lock lock(mutex_);
    not_empty_.wait(lock, [&] { return !items_.empty() || closed_; });
    if (items_.empty()) return false;
    out = std::move(items_.front());
    items_.pop_front();
    not_full_.notify_one();
    return true;
  }
  void close() {
    std::lock_guard lock(mutex_);
    closed_ = true;
    not_empty_.notify_all();
  }
  void stop() {
    std::lock_guard lock(mutex_);
    stopped_ = true;
    not_full_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable not_full_, not_empty_;
  std::deque<PreparedArticle> items_;
  bool closed_ = false;
  bool stopped_ = false;
};

}  // namespace morgue
