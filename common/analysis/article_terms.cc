#include "common/analysis/article_terms.h"

#include <algorithm>

#include "common/analysis/field_terms.h"
#include "common/analysis/folding.h"

namespace morgue {
namespace {

// One occurrence before grouping: sorted by (term, position) then folded into
// TermOccurrences.
struct Occurrence {
  std::string term;
  uint32_t wdf;
  uint32_t position;  // kNoPosition for stems and filters
};
constexpr uint32_t kNoPosition = UINT32_MAX;

std::string cut_name(std::string name) {
  if (name.size() <= kMaxNameBytes) return name;
  size_t cut = kMaxNameBytes;
  while (cut > 0 && (static_cast<unsigned char>(name[cut]) & 0xC0) == 0x80) --cut;
  name.resize(cut);
  while (!name.empty() && name.back() == '-') name.pop_back();
  return name;
}

void add_filter(std::vector<Occurrence>& out, std::string_view term_prefix,
                std::string_view raw_name) {
  std::string name = cut_name(normalize_name(raw_name));
  if (!name.empty()) out.push_back({make_term(term_prefix, name), 0, kNoPosition});
}

}  // namespace

bool is_filter_term(std::string_view term) {
  if (term.empty()) return false;
  char c = term[0];
  return c == 'E' || c == 'P' || c == 'O' || c == 'L' || c == 'T' || c == 'U' || c == 'A' ||
         c == 'Q';
}

bool has_positions(std::string_view term) {
  if (term.empty()) return false;
  auto c = static_cast<unsigned char>(term[0]);
  return c == 'S' || !(c >= 'A' && c <= 'Z');
}

std::string make_term(std::string_view term_prefix, std::string_view value) {
  std::string term(term_prefix);
  term += value;
  return term;
}

void article_terms(const Article& article, Analyzer& analyzer, ArticleTerms& out) {
  out.terms.clear();
  out.doclen = 0;
  std::vector<Occurrence> occ;
  std::vector<AnalyzedToken> tokens;

  uint32_t next = analyzer.analyze(article.headline, 0, tokens);
  for (const AnalyzedToken& t : tokens) {
    occ.push_back({make_term(prefix::kText, t.surface.text), kHeadlineWdf, t.surface.position});
    occ.push_back({make_term(prefix::kTextStem, t.stem), kHeadlineWdf, kNoPosition});
    occ.push_back({make_term(prefix::kHeadline, t.surface.text), 1, t.surface.position});
    occ.push_back({make_term(prefix::kHeadlineStem, t.stem), 1, kNoPosition});
  }
  tokens.clear();
  analyzer.analyze(article.body, next + kFieldPositionGap, tokens);
  for (const AnalyzedToken& t : tokens) {
    occ.push_back({make_term(prefix::kText, t.surface.text), 1, t.surface.position});
    occ.push_back({make_term(prefix::kTextStem, t.stem), 1, kNoPosition});
  }

  for (const Entity& e : article.entities) {
    add_filter(occ, prefix::kEntity, e.name);
    switch (e.type) {
      case EntityType::kPerson: add_filter(occ, prefix::kPerson, e.name); break;
      case EntityType::kOrg: add_filter(occ, prefix::kOrg, e.name); break;
      case EntityType::kPlace: add_filter(occ, prefix::kPlace, e.name); break;
      case EntityType::kOther: break;
    }
  }
  for (const std::string& topic : article.topics) add_filter(occ, prefix::kTopic, topic);
  for (const std::string& author : article.authors) add_filter(occ, prefix::kAuthor, author);
  add_filter(occ, prefix::kSource, article.source);
  // The id is matched exactly, not normalized: it is the key for replacement and deletion.
  if (!article.id.empty()) occ.push_back({make_term(prefix::kId, article.id), 0, kNoPosition});

  std::sort(occ.begin(), occ.end(), [](const Occurrence& a, const Occurrence& b) {
    return a.term != b.term ? a.term < b.term : a.position < b.position;
  });
  for (const Occurrence& o : occ) {
    if (out.terms.empty() || out.terms.back().term != o.term) {
      out.terms.push_back({o.term, 0, {}});
    }
    TermOccurrences& t = out.terms.back();
    t.wdf += o.wdf;
    out.doclen += o.wdf;
    // Positions are unique per term: a word cannot occur twice at one position.
    if (o.position != kNoPosition && (t.positions.empty() || t.positions.back() != o.position))
      t.positions.push_back(o.position);
  }
}

}  // namespace morgue
