#include "bench/morgue_bench/lucene_files.h"

#include <cstdio>
#include <memory>
#include <unordered_map>

#include <fmt/format.h>

#include "common/analysis/article_terms.h"
#include "common/analysis/field_terms.h"
#include "indexer/readers/input_walker.h"

namespace morgue {
namespace {

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};

void append_text(std::string& out, std::string_view text) {
  for (char c : text) out += (c == '\t' || c == '\n' || c == '\r' || c == '\x1f') ? ' ' : c;
}

// Whether every term of the plan can stand in to_string()'s space-separated text.
bool plain_terms(const Plan& p, std::string& bad) {
  auto plain = [&](const std::string& t) {
    if (t.find_first_of(" ()\t\r\n") == std::string::npos) return true;
    bad = t;
    return false;
  };
  if (p.kind == Plan::Kind::kTerm && !plain(p.term)) return false;
  for (const auto& t : p.terms)
    if (!plain(t)) return false;
  for (const auto& c : p.children)
    if (!plain_terms(*c, bad)) return false;
  return true;
}

}  // namespace

Status write_lucene_articles(const std::vector<std::string>& corpus, const std::string& path,
                             uint64_t& written) {
  std::unique_ptr<std::FILE, FileCloser> out(std::fopen(path.c_str(), "w"));
  if (!out) return Status::io_error(path + ": cannot create");
  std::unordered_map<std::string, int64_t> versions;
  Analyzer analyzer;
  ArticleTerms terms;
  std::string line;
  bool write_failed = false;
  written = 0;
  ArticleSink sink;
  sink.accept = [&](Article&& a, const SourceLocation&) {
    auto [it, inserted] = versions.try_emplace(a.id, a.version);
    if (!inserted) {
      if (it->second > a.version) return;
      it->second = a.version;
    }
    // The filter terms only: analysing an article without its text costs next to nothing.
    Article names;
    names.id = a.id;
    names.source = a.source;
    names.entities = std::move(a.entities);
    names.topics = std::move(a.topics);
    names.authors = std::move(a.authors);
    article_terms(names, analyzer, terms);
    line.clear();
    append_text(line, a.id);
    line += fmt::format("\t{}\t", *a.published);
    bool first = true;
    for (const TermOccurrences& t : terms.terms) {
      std::string_view term = terms.term(t);
      if (!is_filter_term(term) || term.starts_with(prefix::kId)) continue;
      if (!first) line += '\x1f';
      append_text(line, term);
      first = false;
    }
    line += '\t';
    append_text(line, a.headline);
    line += '\t';
    append_text(line, a.body);
    line += '\n';
    if (std::fwrite(line.data(), 1, line.size(), out.get()) != line.size()) write_failed = true;
    ++written;
  };
  ReadCounts counts;
  MORGUE_RETURN_IF_ERROR(read_inputs(corpus, {}, sink, counts));
  if (write_failed || std::fflush(out.get()) != 0) return Status::io_error(path + ": write failed");
  return Status::ok();
}

Status write_lucene_plans(const std::vector<std::pair<std::string, const Plan*>>& queries,
                          const std::string& path) {
  std::string text;
  for (const auto& [kind, plan] : queries) {
    std::string bad;
    if (!plain_terms(*plan, bad))
      return Status::invalid_argument(fmt::format(
          "query of kind {}: the term '{}' cannot be passed to Lucene (space or parenthesis)",
          kind, bad));
    text += kind + "\t" + to_string(*plan) + "\n";
  }
  std::unique_ptr<std::FILE, FileCloser> out(std::fopen(path.c_str(), "w"));
  if (!out) return Status::io_error(path + ": cannot create");
  if (std::fwrite(text.data(), 1, text.size(), out.get()) != text.size() ||
      std::fflush(out.get()) != 0)
    return Status::io_error(path + ": write failed");
  return Status::ok();
}

}  // namespace morgue
