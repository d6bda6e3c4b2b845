// Reads one plain-text wire story per file: an optional header block (Date:, Source:, Id:,
// ...), headline, optional caption, byline ("By A and B"), dateline ("WASHINGTON
// (Reuters) -"), body.
#pragma once

#include <string_view>

#include "indexer/readers/reader.h"

namespace morgue {

// Reads `content` as one article. The id defaults to options.default_id, else the file
// name without extension; the date and source to the options' defaults when neither the
// header nor the dateline gives them. Invalid UTF-8 is replaced by U+FFFD with a warning.
Status read_wire_text(std::string_view path, std::string_view content, const ReadOptions& options,
                      const ArticleSink& sink);

// True if `content` looks like a wire story: a header block with a known key, or a dateline
// of the form "PLACE (Agency) -" near the top. README files and word lists are not.
bool looks_like_wire_text(std::string_view content);

}  // namespace morgue
