// Writes an Article as one line of JSON in the JSON Lines input schema (docs/INPUT.md), so
// that `morgue-index parse --json` output can be indexed again unchanged.
#pragma once

#include <string>
#include <string_view>

#include "common/article/article.h"

namespace morgue {

// Appends `text` as a quoted JSON string. Requires valid UTF-8; escapes '"', '\\' and
// control characters, and nothing else (so the output stays readable).
void append_json_string(std::string& out, std::string_view text);

// One JSON object, no trailing newline. Keys in a fixed order: id, version, date, source,
// headline, dateline, byline, authors, body, people, orgs, places, entities (type other),
// topics, language, then the extra fields in input order. Empty values are omitted.
std::string article_to_json(const Article& article);

}  // namespace morgue
