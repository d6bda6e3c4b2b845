#include "indexer/commands/parse_command.h"

#include <fmt/format.h>

#include "common/article/article_json.h"
#include "common/base/time.h"

namespace morgue {
namespace {

constexpr size_t kBodyPreviewBytes = 160;

// The first `limit` bytes of `text` with whitespace runs collapsed, cut at a character
// boundary.
std::string preview(std::string_view text, size_t limit) {
  std::string out;
  bool space = false;
  for (char c : text) {
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
      space = !out.empty();
      continue;
    }
    if (out.size() >= limit && (static_cast<unsigned char>(c) & 0xC0) != 0x80) {
      out += "...";
      return out;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

std::string join_entities(const Article& article, EntityType type) {
  std::string out;
  for (const Entity& e : article.entities) {
    if (e.type != type) continue;
    if (!out.empty()) out += ", ";
    out += e.name;
  }
  return out;
}

void print_line(std::FILE* out, std::string_view label, std::string_view value) {
  if (!value.empty()) fmt::print(out, "  {:<9}{}\n", label, value);
}

void print_article(std::FILE* out, const Article& a) {
  fmt::print(out, "{} | {} | {}\n", a.id, a.published ? format_iso8601(*a.published) : "no date",
             a.source.empty() ? "no source" : a.source);
  print_line(out, "headline", a.headline);
  print_line(out, "dateline", a.dateline);
  print_line(out, "byline", a.byline);
  std::string authors;
  for (const std::string& name : a.authors) authors += (authors.empty() ? "" : ", ") + name;
  print_line(out, "authors", authors);
  print_line(out, "people", join_entities(a, EntityType::kPerson));
  print_line(out, "orgs", join_entities(a, EntityType::kOrg));
  print_line(out, "places", join_entities(a, EntityType::kPlace));
  print_line(out, "other", join_entities(a, EntityType::kOther));
  std::string topics;
  for (const std::string& t : a.topics) topics += (topics.empty() ? "" : ", ") + t;
  print_line(out, "topics", topics);
  if (a.version != 0) print_line(out, "version", std::to_string(a.version));
  print_line(out, "body",
             preview(a.body, kBodyPreviewBytes) + fmt::format(" [{} bytes]", a.body.size()));
  fmt::print(out, "\n");
}

}  // namespace

std::string format_read_counts(const ReadCounts& c) {
  return fmt::format("read {}, accepted {}, rejected {} ({} files, {} skipped, {:.1f} MB)", c.read,
                     c.accepted, c.rejected, c.files, c.skipped_files,
                     static_cast<double>(c.bytes) / 1e6);
}

ArticleSink reporting_sink(std::FILE* err) {
  ArticleSink sink;
  sink.reject = [err](const SourceLocation& at, std::string_view reason) {
    fmt::print(err, "{}:{}: rejected: {}\n", at.path, at.line, reason);
  };
  sink.skip_file = [err](std::string_view path, std::string_view note) {
    fmt::print(err, "{}: skipped: {}\n", path, note);
  };
  sink.warn = [err](const SourceLocation& at, std::string_view note) {
    fmt::print(err, "{}:{}: warning: {}\n", at.path, at.line, note);
  };
  return sink;
}

int run_parse_command(const ParseCommandOptions& options, std::FILE* out, std::FILE* err) {
  ArticleSink sink = reporting_sink(err);
  sink.accept = [&](Article&& article, const SourceLocation&) {
    if (options.json) {
      fmt::print(out, "{}\n", article_to_json(article));
    } else {
      print_article(out, article);
    }
  };
  ReadCounts counts;
  Status status = read_inputs(options.paths, options.read, sink, counts);
  std::fflush(out);
  fmt::print(err, "{}\n", format_read_counts(counts));
  if (!status.is_ok()) {
    fmt::print(err, "morgue-index: error: {}\n", status.message());
    return 1;
  }
  return 0;
}

}  // namespace morgue
