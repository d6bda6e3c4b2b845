#include "query/snippet.h"

#include <algorithm>
#include <set>

#include "common/analysis/field_terms.h"

namespace morgue {

namespace {

void collect(const Plan& p, MatchTerms& out) {
  auto add_term = [&](std::string_view term) {
    if (term.starts_with(prefix::kHeadlineStem)) {
      out.stems.emplace_back(term.substr(prefix::kHeadlineStem.size()));
    } else if (term.starts_with(prefix::kTextStem)) {
      out.stems.emplace_back(term.substr(prefix::kTextStem.size()));
    } else if (term.starts_with(prefix::kHeadline)) {
      out.surfaces.emplace_back(term.substr(prefix::kHeadline.size()));
    } else if (!is_filter_term(term)) {
      out.surfaces.emplace_back(term);
    }
  };
  switch (p.kind) {
    case Plan::Kind::kTerm:
      if (p.scoring) add_term(p.term);
      break;
    case Plan::Kind::kPhrase:
      for (const auto& t : p.terms) add_term(t);
      break;
    case Plan::Kind::kAndNot:
      collect(*p.children[0], out);  // the excluded side never matches a hit
      break;
    default:
      for (const auto& c : p.children) collect(*c, out);
  }
}

void append_collapsed(std::string& out, std::string_view text) {
  for (char c : text) {
    bool space = c == ' ' || c == '\n' || c == '\t' || c == '\r';
    if (space) {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += c;
    }
  }
}

}  // namespace

MatchTerms match_terms(const Plan& plan) {
  MatchTerms out;
  collect(plan, out);
  return out;
}

std::string make_snippet(std::string_view text, const MatchTerms& terms, Analyzer& analyzer,
                         const SnippetStyle& style, size_t words) {
  std::vector<AnalyzedToken> tokens;
  analyzer.analyze(text, 0, tokens);
  if (tokens.empty()) return {};
  std::set<std::string_view> surfaces(terms.surfaces.begin(), terms.surfaces.end());
  std::set<std::string_view> stems(terms.stems.begin(), terms.stems.end());
  // Which query word (index into a shared id space) each token matches, or -1.
  std::vector<int> match(tokens.size(), -1);
  std::vector<std::string_view> ids;
  for (size_t i = 0; i < tokens.size(); ++i) {
    std::string_view key;
    if (surfaces.count(tokens[i].surface.text)) key = tokens[i].surface.text;
    else if (stems.count(tokens[i].stem)) key = tokens[i].stem;
    else continue;
    auto it = std::find(ids.begin(), ids.end(), key);
    if (it == ids.end()) {
      ids.push_back(key);
      it = ids.end() - 1;
    }
    match[i] = static_cast<int>(it - ids.begin());
  }
  size_t n = std::min(words, tokens.size());
  size_t best = 0, best_distinct = 0, best_hits = 0;
  for (size_t start = 0; start + n <= tokens.size(); ++start) {
    std::set<int> distinct;
    size_t hits = 0;
    for (size_t i = start; i < start + n; ++i) {
      if (match[i] >= 0) {
        distinct.insert(match[i]);
        ++hits;
      }
    }
    if (distinct.size() > best_distinct || (distinct.size() == best_distinct && hits > best_hits)) {
      best = start;
      best_distinct = distinct.size();
      best_hits = hits;
    }
  }
  // Start a few words before the first match, so the passage reads as a sentence.
  if (best_distinct > 0) {
    size_t first = best;
    while (first < best + n && match[first] < 0) ++first;
    best = first >= 3 ? std::max(best, first - 3) : best;
    if (best + n > tokens.size()) best = tokens.size() - n;
  }
  std::string out = best > 0 ? "… " : "";
  size_t cursor = tokens[best].surface.byte_begin;
  for (size_t i = best; i < best + n; ++i) {
    const Token& t = tokens[i].surface;
    append_collapsed(out, text.substr(cursor, t.byte_begin - cursor));
    if (match[i] >= 0) out += style.open;
    append_collapsed(out, text.substr(t.byte_begin, t.byte_end - t.byte_begin));
    if (match[i] >= 0) out += style.close;
    cursor = t.byte_end;
  }
  if (best + n < tokens.size()) out += " …";
  return out;
}

}  // namespace morgue
