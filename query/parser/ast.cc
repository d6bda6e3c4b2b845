#include "query/parser/ast.h"

#include "common/base/time.h"

namespace morgue {
namespace {

std::string format_bound(int64_t seconds, bool is_end) {
  // Day-aligned bounds print as dates; anything else as a full instant.
  int64_t probe = is_end ? seconds + 1 : seconds;
  if (probe % 86400 == 0) return format_iso_date(seconds);
  return format_iso8601(seconds);
}

std::string date_text(const Node& n) {
  std::string out;
  if (n.from != INT64_MIN) out += format_bound(n.from, false);
  out += "..";
  if (n.to != INT64_MAX) out += format_bound(n.to, true);
  return out;
}

std::string quoted(std::string_view text) {
  std::string out = "\"";
  out += text;
  out += '"';
  return out;
}

}  // namespace

std::string_view filter_field_name(FilterField field) {
  switch (field) {
    case FilterField::kEntity: return "entity";
    case FilterField::kPerson: return "person";
    case FilterField::kOrg: return "org";
    case FilterField::kPlace: return "place";
    case FilterField::kTopic: return "topic";
    case FilterField::kSource: return "source";
    case FilterField::kId: return "id";
    case FilterField::kAuthor: return "author";
  }
  return "entity";
}

std::string to_string(const Node& n) {
  std::string field = n.text_field == TextField::kHeadline ? "headline:" : "";
  switch (n.kind) {
    case NodeKind::kWord: return field + n.text;
    case NodeKind::kPhrase: return field + quoted(n.text);
    case NodeKind::kFilter:
      return "(FILTER " + std::string(filter_field_name(n.filter)) + " " + n.text + ")";
    case NodeKind::kDateRange: return "(DATE " + date_text(n) + ")";
    case NodeKind::kMatchAll: return "(ALL)";
    case NodeKind::kAnd:
    case NodeKind::kOr:
    case NodeKind::kAndNot: {
      std::string out = n.kind == NodeKind::kAnd ? "(AND" : n.kind == NodeKind::kOr ? "(OR" : "(NOT";
      for (const auto& c : n.children) out += " " + to_string(*c);
      return out + ")";
    }
  }
  return "";
}

std::string to_query_syntax(const Node& n) {
  std::string field = n.text_field == TextField::kHeadline ? "headline:" : "";
  switch (n.kind) {
    case NodeKind::kWord: return field + n.text;
    case NodeKind::kPhrase: return field + quoted(n.text);
    case NodeKind::kFilter: {
      std::string name(filter_field_name(n.filter));
      return name + ":" + quoted(n.text);
    }
    case NodeKind::kDateRange: return "date:" + date_text(n);
    case NodeKind::kMatchAll: return "";
    case NodeKind::kAnd:
    case NodeKind::kOr: {
      std::string op = n.kind == NodeKind::kAnd ? " AND " : " OR ";
      std::string out = "(";
      for (size_t i = 0; i < n.children.size(); ++i)
        out += (i ? op : "") + to_query_syntax(*n.children[i]);
      return out + ")";
    }
    case NodeKind::kAndNot: {
      std::string positive = to_query_syntax(*n.children[0]);
      std::string negative = to_query_syntax(*n.children[1]);
      if (positive.empty()) return "(NOT " + negative + ")";
      return "(" + positive + " NOT " + negative + ")";
    }
  }
  return "";
}

}  // namespace morgue
