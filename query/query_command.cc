#include "query/query_command.h"

#include <unistd.h>

#include <fmt/format.h>

#include "common/article/article_json.h"
#include "common/base/time.h"
#include "query/parser/parser.h"
#include "query/snippet.h"

namespace morgue {
namespace {

constexpr std::string_view kBold = "\x1b[1m", kMatch = "\x1b[1;31m", kDim = "\x1b[2m",
                           kReset = "\x1b[0m";

std::string collapse(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '\n' || c == '\t' || c == '\r') c = ' ';
    if (c == ' ' && (out.empty() || out.back() == ' ')) continue;
    out += c;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::string json_line(size_t rank, const Hit& hit, const Article& a, const std::string& snippet) {
  std::string out = "{";
  out += fmt::format("\"rank\":{},\"id\":", rank);
  append_json_string(out, a.id);
  out += ",\"date\":";
  append_json_string(out, a.published ? format_iso8601(*a.published) : "");
  out += ",\"source\":";
  append_json_string(out, a.source);
  out += ",\"headline\":";
  append_json_string(out, a.headline);
  out += fmt::format(",\"score\":{:.17g},\"snippet\":", hit.score);
  append_json_string(out, snippet);
  out += ",\"entities\":[";
  for (size_t i = 0; i < a.entities.size(); ++i) {
    out += i ? ",{\"type\":" : "{\"type\":";
    append_json_string(out, entity_type_name(a.entities[i].type));
    out += ",\"name\":";
    append_json_string(out, a.entities[i].name);
    out += "}";
  }
  out += "]";
  // Fields the input had beyond the schema come back as they were given.
  if (!a.extra.empty()) {
    out += ",\"extra\":{";
    for (size_t i = 0; i < a.extra.size(); ++i) {
      if (i) out += ",";
      append_json_string(out, a.extra[i].name);
      out += ":" + a.extra[i].json;
    }
    out += "}";
  }
  return out + "}";
}

}  // namespace

int run_query_command(const QueryCommandOptions& options, std::FILE* out, std::FILE* err) {
  ParseOptions parse_options;
  parse_options.default_or = options.default_or;
  ParseResult parsed = parse_query(options.query, parse_options);
  if (!parsed.ok()) {
    fmt::print(err, "morgue-query: syntax error at column {}:\n{}\n", parsed.error.column,
               format_parse_error(options.query, parsed.error));
    return 2;
  }
  Analyzer analyzer;
  auto plan = plan_query(*parsed.query, analyzer);
  if (!plan) {
    fmt::print(err, "morgue-query: the query has no words to search for\n");
    return 2;
  }
  auto snapshot = IndexSnapshot::open(options.index_dir);
  if (!snapshot.is_ok()) {
    fmt::print(err, "morgue-query: error: {}\n", snapshot.status().message());
    return 1;
  }
  if (options.explain) {
    fmt::print(out, "query: {}\nplan:  {}\nindex: {} segment{}, {} live articles, average length "
                    "{:.1f}\n",
               to_string(*parsed.query), to_string(*plan), (*snapshot)->segments().size(),
               (*snapshot)->segments().size() == 1 ? "" : "s", (*snapshot)->live_count(),
               (*snapshot)->average_doclen());
  }
  SearchOptions search_options = options.search;
  if (options.count_only) search_options.limit = 0;
  auto result = search(**snapshot, *plan, search_options);
  if (!result.is_ok()) {
    fmt::print(err, "morgue-query: error: {}\n", result.status().message());
    return 1;
  }
  if (options.count_only) {
    fmt::print(out, "{}\n", result->total);
    return 0;
  }
  bool color = options.color == ColorMode::kAlways ||
               (options.color == ColorMode::kAuto && !options.json && ::isatty(::fileno(out)));
  SnippetStyle style{color ? kMatch : std::string_view(), color ? kReset : std::string_view()};
  MatchTerms terms = match_terms(*plan);
  if (!options.json) {
    size_t first = options.search.offset + 1, last = options.search.offset + result->hits.size();
    fmt::print(out, "{}{} match{}{}\n", result->total_exact ? "" : "at least ", result->total,
               result->total == 1 ? "" : "es",
               result->hits.empty() ? "" : fmt::format(", showing {}-{}", first, last));
  }
  size_t rank = options.search.offset;
  for (const Hit& hit : result->hits) {
    ++rank;
    const SegmentReader& segment = *(*snapshot)->segments()[hit.segment];
    auto article = segment.store().get_article(hit.doc);
    if (!article.is_ok()) {
      fmt::print(err, "morgue-query: error: {}\n", article.status().message());
      return 1;
    }
    const Article& a = *article;
    std::string body_snippet = make_snippet(a.body, terms, analyzer, style);
    if (options.json) {
      std::string plain = make_snippet(a.body, terms, analyzer, {});
      fmt::print(out, "{}\n", json_line(rank, hit, a, plain));
      continue;
    }
    std::string headline = a.headline.empty() ? "(no headline)" : collapse(a.headline);
    std::string date = a.published ? format_iso_date(*a.published) : "";
    std::string score = options.search.sort == SortOrder::kRelevance
                            ? fmt::format(", score {:.3f}", hit.score)
                            : std::string();
    fmt::print(out, "{:>3}. {} {}  {}{}{}  {}[id {}{}]{}\n", rank, date, a.source,
               color ? kBold : "", headline, color ? kReset : "", color ? kDim : "", a.id, score,
               color ? kReset : "");
    if (!body_snippet.empty()) fmt::print(out, "     {}\n", body_snippet);
  }
  return 0;
}

}  // namespace morgue
