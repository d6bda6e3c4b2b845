// Hand-written rather than a JSON library: escaping a string and joining keys is all that is
// needed, and simdjson (our parser) does not serialise.
#include "common/article/article_json.h"

#include <fmt/format.h>

#include "common/base/time.h"

namespace morgue {
namespace {

// Requires: `out` holds "{" followed by zero or more complete members.
void append_key(std::string& out, std::string_view key) {
  if (out.size() > 1) out += ',';
  append_json_string(out, key);
  out += ':';
}

void append_string_field(std::string& out, std::string_view key, std::string_view value) {
  if (value.empty()) return;
  append_key(out, key);
  append_json_string(out, value);
}

void append_string_array(std::string& out, std::string_view key,
                         const std::vector<std::string_view>& values) {
  if (values.empty()) return;
  append_key(out, key);
  out += '[';
  for (size_t i = 0; i < values.size(); ++i) {
    if (i) out += ',';
    append_json_string(out, values[i]);
  }
  out += ']';
}

std::vector<std::string_view> names_of(const Article& article, EntityType type) {
  std::vector<std::string_view> names;
  for (const Entity& e : article.entities)
    if (e.type == type) names.push_back(e.name);
  return names;
}

}  // namespace

void append_json_string(std::string& out, std::string_view text) {
  out += '"';
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        if (c < 0x20) {
          out += fmt::format("\\u{:04x}", c);
        } else {
          out += ch;
        }
    }
  }
  out += '"';
}

std::string article_to_json(const Article& a) {
  std::string out = "{";
  append_string_field(out, "id", a.id);
  if (a.version != 0) {
    append_key(out, "version");
    out += std::to_string(a.version);
  }
  if (a.published) append_string_field(out, "date", format_iso8601(*a.published));
  append_string_field(out, "source", a.source);
  append_string_field(out, "headline", a.headline);
  append_string_field(out, "dateline", a.dateline);
  append_string_field(out, "byline", a.byline);
  append_string_array(out, "authors", {a.authors.begin(), a.authors.end()});
  append_string_field(out, "body", a.body);
  append_string_array(out, "people", names_of(a, EntityType::kPerson));
  append_string_array(out, "orgs", names_of(a, EntityType::kOrg));
  append_string_array(out, "places", names_of(a, EntityType::kPlace));
  std::vector<std::string_view> others = names_of(a, EntityType::kOther);
  if (!others.empty()) {
    append_key(out, "entities");
    out += '[';
    for (size_t i = 0; i < others.size(); ++i) {
      if (i) out += ',';
      out += "{\"type\":\"other\",\"name\":";
      append_json_string(out, others[i]);
      out += '}';
    }
    out += ']';
  }
  append_string_array(out, "topics", {a.topics.begin(), a.topics.end()});
  if (a.language != "en") append_string_field(out, "language", a.language);
  for (const ExtraField& f : a.extra) {
    append_key(out, f.name);
    out += f.json;
  }
  out += '}';
  return out;
}

}  // namespace morgue
