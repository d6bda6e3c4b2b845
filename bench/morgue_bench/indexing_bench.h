// The indexing side of morgue-bench: the same articles indexed by morgue, by Xapian (from
// the same analysed terms) and by Lucene (its own analysis, bench/lucene/), each in a child
// process so that its peak memory is its own.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "common/base/status.h"

namespace morgue {

struct IndexingResult {
  std::string engine;  // "morgue", "xapian", "lucene"
  uint64_t articles = 0;
  double seconds = 0;
  uint64_t bytes = 0;           // the index on disk
  uint64_t peak_rss_bytes = 0;  // of the process that built it
  // File kinds (morgue), tables (xapian) or file extensions (lucene).
  std::map<std::string, uint64_t> bytes_by_kind;
  uint64_t compacted_bytes = 0;  // xapian only: after Database::compact
  // lucene only: `seconds` is the JVM child's wall time; this is the part inside the JVM
  // (start-up excluded), and writing its input file beforehand is not timed at all.
  double jvm_seconds = 0;
  double untimed_conversion_seconds = 0;
};

struct IndexingOptions {
  std::vector<std::string> corpus;  // paths, as morgue-index build takes them
  std::string work_dir;             // indexes go to work_dir/{morgue,xapian,lucene}
  size_t ram_budget_bytes = size_t{256} << 20;
  bool reuse = false;               // keep existing indexes (report sizes only)
  bool xapian = true;               // the engines morgue is compared with
  bool lucene = false;
};

// Builds the indexes. Returns their results in the order morgue, xapian, lucene (those
// asked for).
Status run_indexing_bench(const IndexingOptions& options, std::vector<IndexingResult>& results);

}  // namespace morgue
