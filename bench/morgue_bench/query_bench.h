// The query side of morgue-bench: every query of a file run against morgue and Xapian in
// one process, interleaved, after a warm-up, over several rounds; top-10 latencies per query
// kind and the number of queries whose top 10 differ.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "common/base/status.h"

namespace morgue {

struct KindLatency {
  size_t queries = 0;
  double morgue_median_us = 0, morgue_p99_us = 0;
  double xapian_median_us = 0, xapian_p99_us = 0;
};

struct QueryBenchResult {
  std::map<std::string, KindLatency> kinds;  // in file order of first appearance
  std::vector<std::string> kind_order;
  size_t top10_differences = 0;
  std::vector<std::string> differing_queries;
};

struct QueryBenchOptions {
  std::string queries_file;  // KIND<TAB>QUERY a line
  std::string morgue_dir;
  std::string xapian_dir;
  int rounds = 5;
};

Status run_query_bench(const QueryBenchOptions& options, QueryBenchResult& result);

}  // namespace morgue
