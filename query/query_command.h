// morgue-query: parses a query, searches a snapshot of the index and prints the hits as
// text or JSON lines.
#pragma once

#include <cstdio>
#include <string>

#include "query/searcher.h"

namespace morgue {

enum class ColorMode { kAuto, kAlways, kNever };

struct QueryCommandOptions {
  std::string index_dir;
  std::string query;
  SearchOptions search;
  bool default_or = false;
  bool json = false;
  bool count_only = false;
  bool explain = false;
  ColorMode color = ColorMode::kAuto;
};

// Exit codes: 0 hits printed (even none), 1 index missing or damaged, 2 query syntax error.
int run_query_command(const QueryCommandOptions& options, std::FILE* out, std::FILE* err);

}  // namespace morgue
