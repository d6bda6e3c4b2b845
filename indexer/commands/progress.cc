#include "indexer/commands/progress.h"

#include <sys/resource.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <string>

namespace morgue {
namespace {

constexpr uint64_t kLineEvery = 10000;  // articles between plain progress lines
constexpr auto kRedrawInterval = std::chrono::milliseconds(200);

}  // namespace

Progress::Progress(std::FILE* out, uint64_t total_bytes)
    : out_(out),
      terminal_(::isatty(::fileno(out)) != 0),
      total_bytes_(total_bytes),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_),
      next_line_at_(kLineEvery) {}

double Progress::elapsed_seconds() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

void Progress::update(uint64_t articles, uint64_t bytes) {
  auto now = std::chrono::steady_clock::now();
  if (terminal_) {
    if (now - last_draw_ < kRedrawInterval) return;
  } else if (articles < next_line_at_) {
    return;
  }
  last_draw_ = now;
  double seconds = std::max(1e-9, elapsed_seconds());
  std::string line = fmt::format("{:>10} articles  {:>8.0f} articles/s  {:>7.1f} MB/s  {:>6.1f} s",
                                 articles, articles / seconds, bytes / 1e6 / seconds, seconds);
  if (terminal_) {
    constexpr int kWidth = 30;
    double done = total_bytes_ ? std::min(1.0, static_cast<double>(bytes) / total_bytes_) : 0;
    int filled = static_cast<int>(done * kWidth);
    std::string bar(static_cast<size_t>(filled), '=');
    if (filled < kWidth) bar += '>';
    bar.resize(kWidth, ' ');
    fmt::print(out_, "\r[{}] {:3.0f}% {}", bar, done * 100, line);
    drawn_ = true;
  } else {
    fmt::print(out_, "{}\n", line);
    next_line_at_ = (articles / kLineEvery + 1) * kLineEvery;
  }
  std::fflush(out_);
}

void Progress::finish() {
  if (drawn_) fmt::print(out_, "\n");
  drawn_ = false;
}

uint64_t peak_rss_bytes() {
  struct rusage usage {};
  ::getrusage(RUSAGE_SELF, &usage);
  return static_cast<uint64_t>(usage.ru_maxrss) * 1024;  // Linux reports KiB
}

}  // namespace morgue
