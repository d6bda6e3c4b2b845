// The indexing side of morgue-bench: the same articles indexed by morgue and by Xapian (from
// the same analysed terms), each in a child process so that its peak memory is its own.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "common/base/status.h"

namespace morgue {

struct IndexingResult {
  std::string engine;  // "morgue", "xapian"
  uint64_t articles = 0;
  double seconds = 0;
  uint64_t bytes = 0;           // the index on disk
  uint64_t peak_rss_bytes = 0;  // of the process that built it
  std::map<std::string, uint64_t> bytes_by_kind;  // file kinds (morgue) or tables (xapian)
  uint64_t compacted_bytes = 0;                   // xapian only: after Database::compact
};

struct IndexingOptions {
  std::vector<std::string> corpus;  // paths, as morgue-index build takes them
  std::string work_dir;             // indexes go to work_dir/morgue and work_dir/xapian
  size_t ram_budget_bytes = size_t{256} << 20;
  bool reuse = false;               // keep existing indexes (report sizes only)
};

// Builds both indexes. Returns their results in the order morgue, xapian.
Status run_indexing_bench(const IndexingOptions& options, std::vector<IndexingResult>& results);

}  // namespace morgue
