// `morgue-index parse`: prints articles as the readers see them, so a user can check what
// will be indexed.
#pragma once

#include <cstdio>

#include "indexer/readers/input_walker.h"

namespace morgue {

struct ParseCommandOptions {
  std::vector<std::string> paths;
  ReadOptions read;
  bool json = false;  // one JSON object a line (the JSON Lines input schema)
};

// Prints the articles to `out`; rejected records, skipped files and the closing counts to
// `err`. Returns the process exit code: 0 done, 1 failed (I/O error, or --strict stopped).
int run_parse_command(const ParseCommandOptions& options, std::FILE* out, std::FILE* err);

// "read 21578, accepted 21578, rejected 0 (22 files, 3 skipped)".
std::string format_read_counts(const ReadCounts& counts);

// Reports rejected records, skipped files and warnings on `err` as "path:line: ...".
ArticleSink reporting_sink(std::FILE* err);

}  // namespace morgue
