#include "common/index/index_reader.h"

#include <fmt/format.h>

namespace morgue {
namespace {

// A writer removes a segment's files only after committing a manifest that no longer names
// it, so a reader that finds one missing retries with the newer manifest. Each retry
// follows a real commit; the bound only stops a reader chasing a writer forever.
constexpr int kMaxOpenAttempts = 20;

}  // namespace

Result<std::shared_ptr<const IndexSnapshot>> IndexSnapshot::open(const std::string& dir,
                                                                 const OpenOptions& options) {
  Status last;
  for (int attempt = 0; attempt < kMaxOpenAttempts; ++attempt) {
    MORGUE_ASSIGN_OR_RETURN(Manifest manifest, read_manifest(dir));
    auto snapshot = std::make_shared<IndexSnapshot>();
    snapshot->dir_ = dir;
    snapshot->manifest_ = std::move(manifest);
    uint64_t base = 0;
    bool vanished = false;
    for (const SegmentMeta& meta : snapshot->manifest_.segments) {
      auto segment = SegmentReader::open(dir, meta, options);
      if (!segment.is_ok()) {
        if (segment.status().code() != StatusCode::kNotFound) return segment.status();
        last = segment.status();
        vanished = true;
        break;
      }
      snapshot->segments_.push_back(std::move(segment).value());
      snapshot->bases_.push_back(base);
      base += meta.doc_count;
    }
    if (!vanished) return std::shared_ptr<const IndexSnapshot>(std::move(snapshot));
    // Was the file removed by a newer commit, or is it simply missing?
    auto again = read_manifest(dir);
    if (again.is_ok() && again->generation == snapshot->manifest_.generation) {
      return Status::corruption(
          fmt::format("{}: a file the manifest names is missing: {}", dir, last.message()));
    }
  }
  return Status::io_error(fmt::format(
      "{}: could not open a consistent snapshot after {} attempts (the index is being "
      "rewritten continuously): {}",
      dir, kMaxOpenAttempts, last.message()));
}

double IndexSnapshot::average_doclen() const {
  uint64_t n = live_count();
  return n == 0 ? 0.0 : static_cast<double>(live_doclen()) / static_cast<double>(n);
}

Result<TermStats> IndexSnapshot::term_stats(std::string_view term) const {
  TermStats stats;
  for (const auto& segment : segments_) {
    MORGUE_ASSIGN_OR_RETURN(std::optional<TermInfo> info, segment->find(term));
    if (!info) continue;
    TermDelta deleted = segment->deletions().delta(term);
    stats.df += info->df - deleted.df;
    stats.cf += info->cf - deleted.cf;
  }
  return stats;
}

}  // namespace morgue
