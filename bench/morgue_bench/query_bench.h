// The query side of morgue-bench: every query of a file run against morgue and Xapian in
// one process (their top 10s compared, untimed), then each engine's timed rounds on their
// own after a warm-up pass; top-10 latencies per query kind and the number of queries whose
// top 10 differ. Lucene, when asked for, runs the same plans afterwards in its own JVM
// (bench/morgue_bench/lucene_bench.h); its match counts are compared with morgue's.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "bench/morgue_bench/lucene_bench.h"
#include "common/base/status.h"

namespace morgue {

struct EngineLatency {
  double median_us = 0, p99_us = 0;  // over the per-query medians of a kind
};

struct KindLatency {
  size_t queries = 0;
  EngineLatency morgue, xapian, lucene;
  size_t lucene_count_differences = 0;  // queries whose match count differs from morgue's
};

// One query's median over the rounds, by engine (0 for an engine not run).
struct QueryLatency {
  std::string kind, text;
  double morgue_us = 0, xapian_us = 0, lucene_us = 0;
};

struct QueryBenchResult {
  bool with_xapian = false, with_lucene = false;
  std::map<std::string, KindLatency> kinds;  // in file order of first appearance
  std::vector<std::string> kind_order;
  size_t top10_differences = 0;
  std::vector<std::string> differing_queries;
  size_t lucene_count_differences = 0;
  std::vector<std::string> lucene_differing_counts;  // "KIND<TAB>QUERY: morgue N, lucene M"
  // Every query, in file order: which queries make a kind's median or p99.
  std::vector<QueryLatency> per_query;
};

struct QueryBenchOptions {
  std::string queries_file;  // KIND<TAB>QUERY a line
  std::string morgue_dir;
  std::string xapian_dir;  // empty: no Xapian
  std::string lucene_dir;  // empty: no Lucene
  std::string lucene_plans_file;  // where the plans for Lucene are written
  LuceneQueryOptions lucene;
  int rounds = 5;
};

Status run_query_bench(const QueryBenchOptions& options, QueryBenchResult& result);

}  // namespace morgue
