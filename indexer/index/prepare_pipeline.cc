#include "indexer/index/prepare_pipeline.h"

#include <algorithm>

#include "common/base/thread.h"

namespace morgue {

size_t default_prepare_workers() {
  return std::clamp<size_t>(std::thread::hardware_concurrency(), 1, 8);
}

PreparePipeline::PreparePipeline(size_t workers) {
  for (size_t i = 0; i < std::max<size_t>(workers, 1); ++i) workers_.emplace_back([this] { work(); });
}

PreparePipeline::~PreparePipeline() {
  close();
  stop();
  for (std::thread& t : workers_) t.join();
}

bool PreparePipeline::push(Article&& article) {
  // filling_ is the reading thread's alone until it is submitted, so the lock is taken once
  // a batch: taken for every article, it was contended thousands of times a second.
  if (stopped_.load(std::memory_order_relaxed)) return false;
  if (!filling_) filling_ = std::make_unique<Batch>();
  filling_->articles.push_back(std::move(article));
  if (filling_->articles.size() < kPrepareBatchArticles) return true;
  std::unique_lock lock(mutex_);
  not_full_.wait(lock, [&] { return ordered_.size() < kPrepareBatchesInFlight || stopped_; });
  if (stopped_) return false;
  submit_locked();
  return true;
}

void PreparePipeline::close() {
  std::lock_guard lock(mutex_);
  if (closed_) return;
  if (filling_ && !stopped_) submit_locked();
  closed_ = true;
  work_ready_.notify_all();
  batch_ready_.notify_all();
}

void PreparePipeline::stop() {
  std::lock_guard lock(mutex_);
  stopped_ = true;
  work_.clear();
  ordered_.clear();  // a worker busy with one keeps it alive until it is done
  taking_.reset();   // stop() is the writer's, like pop()
  not_full_.notify_all();
  work_ready_.notify_all();
  batch_ready_.notify_all();
}

void PreparePipeline::submit_locked() {
  std::shared_ptr<Batch> batch(std::move(filling_));
  ordered_.push_back(batch);
  work_.push_back(std::move(batch));
  work_ready_.notify_one();
}

void PreparePipeline::work() {
  lower_thread_priority(kPreparePriorityDrop);
  name_thread("morgue-analyse");
  Analyzer analyzer;  // not thread-safe: one a worker
  while (true) {
    std::shared_ptr<Batch> batch;
    {
      std::unique_lock lock(mutex_);
      work_ready_.wait(lock, [&] { return !work_.empty() || closed_ || stopped_; });
      if (work_.empty()) return;
      batch = std::move(work_.front());
      work_.pop_front();
    }
    batch->prepared.reserve(batch->articles.size());
    for (Article& a : batch->articles) batch->prepared.push_back(prepare_article(std::move(a), analyzer));
    batch->articles.clear();
    std::lock_guard lock(mutex_);
    batch->ready = true;
    batch_ready_.notify_all();
  }
}

bool PreparePipeline::pop(PreparedArticle& out) {
  if (!taking_ || taken_ == taking_->prepared.size()) {
    std::unique_lock lock(mutex_);
    if (taking_) {
      taking_.reset();
      ordered_.pop_front();
      not_full_.notify_one();
    }
    batch_ready_.wait(lock, [&] {
      return stopped_ || (!ordered_.empty() && ordered_.front()->ready) ||
             (ordered_.empty() && closed_);
    });
    if (stopped_ || ordered_.empty()) return false;
    taking_ = ordered_.front();
    taken_ = 0;
  }
  out = std::move(taking_->prepared[taken_++]);
  return true;
}

}  // namespace morgue
