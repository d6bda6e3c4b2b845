// Turns the paths a user names into articles: walks directories, detects each file's
// format, reads it with the matching reader, checks every article, and counts.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "indexer/readers/reader.h"

namespace morgue {

struct ReadCounts {
  uint64_t files = 0;          // files read as articles
  uint64_t skipped_files = 0;  // files that are not articles (each reported to skip_file)
  uint64_t read = 0;           // records read: accepted + rejected
  uint64_t accepted = 0;
  uint64_t rejected = 0;
  uint64_t warnings = 0;
  uint64_t bytes = 0;          // bytes of the files read as articles
};

// The format of a file from its name and first bytes; kAuto if it is not an article file.
// `why_not` receives the reason when kAuto is returned.
InputFormat detect_format(std::string_view path, std::string_view content, std::string& why_not);

// Reads every path: a file, or a directory walked recursively in sorted name order (hidden
// entries skipped). Each file's format is options.format, or detected. Articles failing
// check_article() are rejected with the reason. With options.strict the first rejected
// record stops the run with a kParseError Status naming path:line. A path that does not
// exist or cannot be read is a kIOError (before anything is read if it does not exist).
Status read_inputs(const std::vector<std::string>& paths, const ReadOptions& options,
                   const ArticleSink& sink, ReadCounts& counts);

}  // namespace morgue
