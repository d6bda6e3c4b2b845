// What every input reader shares: the formats, options, and the sink that receives
// articles, rejected records and skipped files. Readers never stop silently: every record
// they drop is reported to the sink with path:line and a reason.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "common/article/article.h"
#include "common/base/status.h"

namespace morgue {

enum class InputFormat {
  kAuto,         // detect from the file
  kJsonl,        // JSON Lines (docs/INPUT.md)
  kReutersSgml,  // Reuters-21578 SGML
  kWireText,     // a plain-text wire story
};

std::string_view input_format_name(InputFormat format);  // "auto", "jsonl", "reuters", "text"
std::optional<InputFormat> input_format_from_name(std::string_view name);

struct ReadOptions {
  InputFormat format = InputFormat::kAuto;
  // Stop at the first rejected record (the reader returns its error) instead of skipping it.
  bool strict = false;
  // Fill-ins for what an input lacks (a wire story's text has no date or id). They never
  // override a value the input gives.
  std::optional<int64_t> default_published;
  std::string default_source;
  std::string default_id;  // plain text only: one file is one article
};

// Where a record starts: 1-based line of its file.
struct SourceLocation {
  std::string_view path;
  uint64_t line = 0;
};

struct ArticleSink {
  // A well-formed article. The sink may still reject it (see check_article()).
  std::function<void(Article&&, const SourceLocation&)> accept;
  // A record that could not be read; `reason` says why ("invalid JSON: ...").
  std::function<void(const SourceLocation&, std::string_view reason)> reject;
  // A file that holds no articles, skipped with a note ("not an article file: ...").
  std::function<void(std::string_view path, std::string_view note)> skip_file;
  // A non-fatal repair ("invalid UTF-8 replaced by U+FFFD").
  std::function<void(const SourceLocation&, std::string_view note)> warn;
};

// Largest text (headline, dateline, byline and body) an article may hold. Wire stories are
// rarely over 100 KB; a larger "article" is a misrouted document whose postings would
// crowd a whole flush of the RAM budget.
inline constexpr size_t kMaxArticleTextBytes = size_t{16} << 20;

// The invariants every accepted article must hold: a non-empty id of at most 200 bytes, at
// most kMaxArticleTextBytes of text, a publication date, and valid UTF-8 in every string.
// Returns the reason it fails, or nullopt.
std::optional<std::string> check_article(const Article& article);

}  // namespace morgue
