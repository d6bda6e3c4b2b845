// A snapshot of an index: the segments its manifest named when it was opened, and the
// collection statistics over their live documents. Later commits never change a snapshot;
// readers are never blocked by the writer.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "common/index/segment_reader.h"

namespace morgue {

// Live-only statistics of a term over the whole snapshot (Xapian's termfreq and
// collection frequency).
struct TermStats {
  uint64_t df = 0;
  uint64_t cf = 0;
};

class IndexSnapshot {
 public:
  // Reads dir/MANIFEST and opens its segments. If a segment file vanished because a writer
  // committed meanwhile, it re-reads the manifest and tries again.
  static Result<std::shared_ptr<const IndexSnapshot>> open(const std::string& dir,
                                                           const OpenOptions& options = {});

  const std::string& dir() const { return dir_; }
  const Manifest& manifest() const { return manifest_; }
  const std::vector<std::shared_ptr<const SegmentReader>>& segments() const { return segments_; }
  // Global number of a segment's document 0 (segments are concatenated in manifest order).
  uint64_t base(size_t segment) const { return bases_[segment]; }

  uint64_t live_count() const { return manifest_.live_count(); }
  uint64_t live_doclen() const { return manifest_.live_doclen(); }
  double average_doclen() const;

  // df and cf over live documents of every segment. kCorruption if a dictionary is damaged.
  Result<TermStats> term_stats(std::string_view term) const;

 private:
  std::string dir_;
  Manifest manifest_;
  std::vector<std::shared_ptr<const SegmentReader>> segments_;
  std::vector<uint64_t> bases_;
};

}  // namespace morgue
