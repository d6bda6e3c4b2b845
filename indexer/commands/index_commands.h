// The index-maintaining commands of morgue-index: build, add, delete, merge. Each prints
// rejected records and a closing summary on `err`, and returns the exit code
// (0 done, 1 failed, 2 usage error).
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include "indexer/index/index_writer.h"
#include "indexer/readers/input_walker.h"

namespace morgue {

struct IndexCommandOptions {
  std::string index_dir;
  std::vector<std::string> paths;  // build / add
  std::vector<std::string> ids;    // delete
  ReadOptions read;
  size_t ram_budget_bytes = size_t{256} << 20;
  // The block codec of the segments written (each file's header names its own, so an
  // index may mix them).
  CodecId codec = default_codec().id();
};

struct IndexRunSummary {
  ReadCounts read;
  WriterCounters writer;
  uint64_t index_bytes = 0;
  uint64_t segments = 0;
  uint64_t live_documents = 0;
  double seconds = 0;
  uint64_t peak_rss_bytes = 0;
};

// Reads articles into an index: `build` creates it (refusing an existing one) and merges
// the result into one segment; `add` adds to an existing one and merges by the tiered policy.
// Parsing runs on one thread, analysis on one worker a core (PreparePipeline), inversion
// on the calling thread, and flushes on another (IndexWriter).
Status index_articles(const IndexCommandOptions& options, bool create, std::FILE* err,
                      IndexRunSummary& summary);

int run_build_command(const IndexCommandOptions& options, std::FILE* err);
int run_add_command(const IndexCommandOptions& options, std::FILE* err);
int run_delete_command(const IndexCommandOptions& options, std::FILE* out, std::FILE* err);
int run_merge_command(const IndexCommandOptions& options, std::FILE* err);

// Bytes of all files in an index directory.
uint64_t directory_bytes(const std::string& dir);

}  // namespace morgue
