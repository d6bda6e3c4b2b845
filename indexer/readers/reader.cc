#include "indexer/readers/reader.h"

#include <fmt/format.h>

#include "common/analysis/field_terms.h"
#include "common/analysis/utf8.h"

namespace morgue {

std::string_view input_format_name(InputFormat format) {
  switch (format) {
    case InputFormat::kAuto: return "auto";
    case InputFormat::kJsonl: return "jsonl";
    case InputFormat::kReutersSgml: return "reuters";
    case InputFormat::kWireText: return "text";
  }
  return "auto";
}

std::optional<InputFormat> input_format_from_name(std::string_view name) {
  if (name == "auto") return InputFormat::kAuto;
  if (name == "jsonl" || name == "json" || name == "ndjson") return InputFormat::kJsonl;
  if (name == "reuters" || name == "sgml" || name == "sgm") return InputFormat::kReutersSgml;
  if (name == "text" || name == "txt" || name == "wire") return InputFormat::kWireText;
  return std::nullopt;
}

std::optional<std::string> check_article(const Article& a) {
  if (a.id.empty()) return std::string("missing id");
  if (a.id.size() > kMaxNameBytes) {
    return "id longer than " + std::to_string(kMaxNameBytes) + " bytes";
  }
  size_t text_bytes = a.headline.size() + a.dateline.size() + a.byline.size() + a.body.size();
  if (text_bytes > kMaxArticleTextBytes) {
    return fmt::format("article too large: {:.1f} MB of text, over the limit of {} MB (a news "
                       "story is rarely over 100 KB; split the document)",
                       static_cast<double>(text_bytes) / (1 << 20), kMaxArticleTextBytes >> 20);
  }
  if (!a.published) {
    return std::string("missing date (add a \"date\" field or a Date: header, or give --date)");
  }
  // An article without text is still accepted: Reuters-21578 holds one (NEWID 12793), and
  // its date, places and topics are still searchable.
  auto invalid = [](std::string_view s) { return find_invalid_utf8(s).has_value(); };
  for (std::string_view s : {std::string_view(a.id), std::string_view(a.headline),
                             std::string_view(a.dateline), std::string_view(a.byline),
                             std::string_view(a.body), std::string_view(a.source),
                             std::string_view(a.language)}) {
    if (invalid(s)) return std::string("invalid UTF-8 in a text field");
  }
  for (const Entity& e : a.entities)
    if (invalid(e.name)) return std::string("invalid UTF-8 in an entity name");
  for (const std::string& s : a.topics)
    if (invalid(s)) return std::string("invalid UTF-8 in a topic");
  for (const std::string& s : a.authors)
    if (invalid(s)) return std::string("invalid UTF-8 in an author");
  for (const ExtraField& f : a.extra)
    if (invalid(f.name) || invalid(f.json)) return std::string("invalid UTF-8 in field " + f.name);
  return std::nullopt;
}

}  // namespace morgue
