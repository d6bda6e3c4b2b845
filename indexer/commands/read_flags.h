// The command-line flags shared by every command that reads articles (parse, build, add).
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "indexer/readers/reader.h"

namespace morgue {

struct ReadFlags {
  std::vector<std::string> paths;
  std::string format = "auto";
  bool strict = false;
  std::string date;    // ISO 8601, for articles that lack one
  std::string source;  // for articles that lack one
  std::string id;      // for a single plain-text story that lacks one
};

// Adds PATH... and --format/--strict/--date/--source/--id to `command`.
void add_read_flags(CLI::App& command, ReadFlags& flags);

// Validates the flags and turns them into ReadOptions (kInvalidArgument says which flag).
Status to_read_options(const ReadFlags& flags, ReadOptions& options);

}  // namespace morgue
