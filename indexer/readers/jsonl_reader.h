// Reads JSON Lines articles (schema: docs/INPUT.md) with simdjson.
#pragma once

#include <string_view>

#include "indexer/readers/reader.h"

namespace morgue {

// Reads every line of `content` (the whole file, named `path` in messages). Blank lines are
// ignored. A line that is not a valid article goes to sink.reject with its line number;
// with options.strict the first such line ends the read with a kParseError Status naming
// path:line. Returns OK otherwise.
Status read_jsonl(std::string_view path, std::string_view content, const ReadOptions& options,
                  const ArticleSink& sink);

// Parses one JSON object (one line) into an Article; the error message says why not.
// Requires nothing of the article's completeness: check_article() does that.
Status parse_jsonl_article(std::string_view line, const ReadOptions& options, Article& out);

}  // namespace morgue
