// Progress of a long run on stderr: a bar redrawn in place on a terminal, a plain line every
// so many articles otherwise (logs stay readable).
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>

namespace morgue {

class Progress {
 public:
  // `total_bytes` is the input size the bar fills up to (0 if unknown).
  Progress(std::FILE* out, uint64_t total_bytes);
  // Reports `articles` done and `bytes` of input read so far; cheap to call per article.
  void update(uint64_t articles, uint64_t bytes);
  // Ends the bar's line.
  void finish();
  double elapsed_seconds() const;

 private:
  std::FILE* out_;
  bool terminal_;
  uint64_t total_bytes_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
  uint64_t next_line_at_ = 0;
  bool drawn_ = false;
};

// Peak resident memory of this process so far, in bytes.
uint64_t peak_rss_bytes();

}  // namespace morgue
