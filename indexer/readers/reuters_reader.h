// Reads Reuters-21578 SGML (../shared/corpus/reuters21578/README.txt describes it).
#pragma once

#include <string_view>

#include "indexer/readers/reader.h"

namespace morgue {

// Reads every <REUTERS ...>...</REUTERS> record of `content` (a whole .sgm file, Latin-1),
// converting text to UTF-8 and decoding character references. A malformed record goes to
// sink.reject with the line it starts on; with options.strict it ends the read with a
// kParseError Status naming path:line.
Status read_reuters_sgml(std::string_view path, std::string_view content,
                         const ReadOptions& options, const ArticleSink& sink);

// True if `head` (the first bytes of a file) looks like Reuters-21578 SGML.
bool looks_like_reuters_sgml(std::string_view head);

}  // namespace morgue
