// JSON Lines through simdjson's DOM API (error codes, no exceptions). The schema is in
// docs/INPUT.md.
#include "indexer/readers/jsonl_reader.h"

#include <fmt/format.h>
#include <simdjson.h>

#include "common/analysis/utf8.h"
#include "common/base/time.h"

namespace morgue {
namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

Status field_error(std::string_view key, std::string_view what) {
  return Status::parse_error(fmt::format("\"{}\": {}", key, what));
}

Status get_string(std::string_view key, element value, std::string& out) {
  std::string_view s;
  if (value.get_string().get(s)) return field_error(key, "expected a string");
  out.assign(s);
  return Status::ok();
}

Status get_string_array(std::string_view key, element value, std::vector<std::string>& out) {
  simdjson::dom::array array;
  if (value.get_array().get(array)) return field_error(key, "expected an array of strings");
  out.clear();
  for (element item : array) {
    std::string_view s;
    if (item.get_string().get(s)) return field_error(key, "expected an array of strings");
    out.emplace_back(s);
  }
  return Status::ok();
}

Status get_entities_of(std::string_view key, element value, EntityType type, Article& a) {
  std::vector<std::string> names;
  MORGUE_RETURN_IF_ERROR(get_string_array(key, value, names));
  std::erase_if(a.entities, [type](const Entity& e) { return e.type == type; });
  for (std::string& name : names) a.entities.push_back({type, std::move(name)});
  return Status::ok();
}

Status get_typed_entities(element value, Article& a) {
  simdjson::dom::array array;
  if (value.get_array().get(array)) {
    return field_error("entities", "expected an array of {\"type\", \"name\"} objects");
  }
  for (element item : array) {
    std::string_view type_name, name;
    if (item["type"].get_string().get(type_name) || item["name"].get_string().get(name)) {
      return field_error("entities", "each entity needs string \"type\" and \"name\"");
    }
    auto type = entity_type_from_name(type_name);
    if (!type) {
      return field_error("entities", fmt::format("unknown entity type \"{}\" (expected person, "
                                                 "org, place or other)",
                                                 type_name));
    }
    a.entities.push_back({*type, std::string(name)});
  }
  return Status::ok();
}

Status get_date(element value, Article& a) {
  int64_t seconds;
  if (!value.get_int64().get(seconds)) {
    a.published = seconds;
    return Status::ok();
  }
  std::string_view text;
  if (value.get_string().get(text)) {
    return field_error("date", "expected an ISO 8601 string or Unix seconds");
  }
  auto parsed = parse_iso8601(text);
  if (!parsed) {
    return field_error("date", fmt::format("\"{}\" is not an ISO 8601 date such as 2024-04-01 or "
                                           "2024-04-01T09:30:00Z",
                                           text));
  }
  a.published = *parsed;
  return Status::ok();
}

Status apply_field(std::string_view key, element value, Article& a) {
  if (key == "id") {
    int64_t n;
    if (!value.get_int64().get(n)) {
      a.id = std::to_string(n);
      return Status::ok();
    }
    return get_string(key, value, a.id);
  }
  if (key == "headline" || key == "title") return get_string(key, value, a.headline);
  if (key == "dateline") return get_string(key, value, a.dateline);
  if (key == "byline") return get_string(key, value, a.byline);
  if (key == "body") return get_string(key, value, a.body);
  if (key == "source") return get_string(key, value, a.source);
  if (key == "language") return get_string(key, value, a.language);
  if (key == "authors") return get_string_array(key, value, a.authors);
  if (key == "topics") return get_string_array(key, value, a.topics);
  if (key == "people") return get_entities_of(key, value, EntityType::kPerson, a);
  if (key == "orgs") return get_entities_of(key, value, EntityType::kOrg, a);
  if (key == "places") return get_entities_of(key, value, EntityType::kPlace, a);
  if (key == "entities") return get_typed_entities(value, a);
  if (key == "date") return get_date(value, a);
  if (key == "version") {
    if (value.get_int64().get(a.version)) return field_error(key, "expected an integer");
    return Status::ok();
  }
  // Anything else is kept, as compact JSON, and not indexed.
  std::erase_if(a.extra, [key](const ExtraField& f) { return f.name == key; });
  a.extra.push_back({std::string(key), simdjson::minify(value)});
  return Status::ok();
}

}  // namespace

Status parse_jsonl_article(std::string_view line, const ReadOptions& options, Article& out) {
  out = Article();
  if (auto bad = find_invalid_utf8(line)) {
    return Status::parse_error(fmt::format("invalid UTF-8 at byte {}", *bad + 1));
  }
  // One parser a thread: it keeps its buffers between lines.
  thread_local simdjson::dom::parser parser;
  element doc;
  if (auto error = parser.parse(line.data(), line.size()).get(doc)) {
    return Status::parse_error(fmt::format("invalid JSON: {}", simdjson::error_message(error)));
  }
  simdjson::dom::object object;
  if (doc.get_object().get(object)) {
    return Status::parse_error("a line must hold one JSON object");
  }
  // Keys are applied in order, so of two equal keys the last wins (as in JavaScript).
  for (auto field : object) {
    if (field.value.is_null()) continue;  // null means absent
    MORGUE_RETURN_IF_ERROR(apply_field(field.key, field.value, out));
  }
  if (!out.published && options.default_published) out.published = options.default_published;
  if (out.source.empty()) out.source = options.default_source;
  return Status::ok();
}

Status read_jsonl(std::string_view path, std::string_view content, const ReadOptions& options,
                  const ArticleSink& sink) {
  if (content.starts_with("\xEF\xBB\xBF")) content.remove_prefix(3);
  uint64_t line_number = 0;
  Article article;
  while (!content.empty()) {
    size_t end = content.find('\n');
    std::string_view line = content.substr(0, end);
    content.remove_prefix(end == std::string_view::npos ? content.size() : end + 1);
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
    SourceLocation where{path, line_number};
    Status status = parse_jsonl_article(line, options, article);
    if (!status.is_ok()) {
      if (sink.reject) sink.reject(where, status.message());
      if (options.strict) {
        return Status::parse_error(fmt::format("{}:{}: {}", path, line_number, status.message()));
      }
      continue;
    }
    if (sink.accept) sink.accept(std::move(article), where);
  }
  return Status::ok();
}

}  // namespace morgue
