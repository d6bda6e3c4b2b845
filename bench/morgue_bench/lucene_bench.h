// Runs the Lucene baseline, bench/lucene/MorgueLucene.java, as a child JVM. The java binary
// and the classpath are fixed when morgue-bench is built (bench/CMakeLists.txt); a build
// without Java or liblucene8-java says so and how to get them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/base/status.h"

namespace morgue {

// Ok if this morgue-bench was built with the Lucene baseline; otherwise why not.
Status lucene_available();

struct LuceneIndexRun {
  uint64_t articles = 0;        // live documents after the commit
  double seconds = 0;           // wall time of the child JVM, start-up included
  double jvm_seconds = 0;       // inside the JVM: from main() to the commit
  uint64_t peak_rss_bytes = 0;  // of the JVM
};

// Indexes `articles_file` (write_lucene_articles()) into `dir`, flushing at `ram_mb`.
Status lucene_build_index(const std::string& articles_file, const std::string& dir, size_t ram_mb,
                          LuceneIndexRun& run);

// Live documents of an existing index (for --reuse).
Status lucene_count(const std::string& dir, uint64_t& count);

struct LuceneQueryOptions {
  int min_passes = 5;            // warm-up passes over all queries, at least ...
  double min_warm_seconds = 20;  // ... and at least this long: the JIT needs both
  int rounds = 5;                // timed rounds over all queries
};

struct LuceneQueryTiming {
  double median_us = 0;      // over the timed rounds
  uint64_t total_hits = 0;   // as the top-10 search reports it ...
  bool total_exact = true;   // ... exact, or a lower bound (past 1,000 hits)
  uint64_t exact_count = 0;  // IndexSearcher.count(): every match
};

// Times every query of `plans_file` (write_lucene_plans()), in file order.
Status lucene_run_queries(const std::string& dir, const std::string& plans_file,
                          const LuceneQueryOptions& options, std::vector<LuceneQueryTiming>& out);

}  // namespace morgue
