#include "common/analysis/article_terms.h"

#include <algorithm>

#include "common/analysis/field_terms.h"
#include "common/analysis/folding.h"

namespace morgue {
namespace {

constexpr uint32_t kNoPosition = UINT32_MAX;
// article_terms() keeps its buffers from article to article, but not past this many tokens
// (80 KB): the RAM budget does not count them.
constexpr size_t kKeptTokens = 1000;

// An article's term occurrences before grouping: the terms end to end in one string, each
// occurrence a small record pointing into it. Sorting the records by (term, position)
// moves 24 bytes each instead of a std::string, and building them allocates nothing per
// word (sorting strings was a fifth of the analysis thread). Each record carries its term's
// first 8 bytes as a number, so that most comparisons need no memcmp: a word's repeats,
// and terms that differ early, are told apart by the number and the length.
class Occurrences {
 public:
  void add(std::string_view term_prefix, std::string_view value, uint32_t wdf,
           uint32_t position) {
    auto offset = static_cast<uint32_t>(text_.size());
    text_ += term_prefix;
    text_ += value;
    auto length = static_cast<uint32_t>(term_prefix.size() + value.size());
    records_.push_back({leading_bytes({text_.data() + offset, length}), offset, length, wdf,
                        position});
  }

  // Empties it for the next article. The buffers stay unless a very long article grew
  // them past kKeptRecords: the memory budget does not count them.
  void clear() {
    if (records_.capacity() > kKeptRecords) {
      text_ = std::string();
      records_ = std::vector<Record>();
    }
    text_.clear();
    records_.clear();
  }

  // Sorts by (term, position) and folds into `out`.
  void group(ArticleTerms& out) {
    std::sort(records_.begin(), records_.end(), [&](const Record& a, const Record& b) {
      int c = compare_terms(a, b);
      return c != 0 ? c < 0 : a.position < b.position;
    });
    // Each term's entry and its positions are allocated once, at their final size.
    size_t distinct = 0;
    for (size_t i = 0; i < records_.size(); ++i)
      if (i == 0 || compare_terms(records_[i - 1], records_[i]) != 0) ++distinct;
    out.terms.reserve(out.terms.size() + distinct);
    for (size_t begin = 0, end; begin < records_.size(); begin = end) {
      size_t with_positions = 0;
      for (end = begin; end < records_.size() && compare_terms(records_[begin], records_[end]) == 0;
           ++end) {
        if (records_[end].position != kNoPosition) ++with_positions;
      }
      TermOccurrences& grouped = out.terms.emplace_back();
      grouped.term = term(records_[begin]);
      grouped.positions.reserve(with_positions);
      for (size_t i = begin; i < end; ++i) {
        const Record& r = records_[i];
        grouped.wdf += r.wdf;
        out.doclen += r.wdf;
        // Positions are unique per term: a word cannot occur twice at one position.
        if (r.position != kNoPosition &&
            (grouped.positions.empty() || grouped.positions.back() != r.position))
          grouped.positions.push_back(r.position);
      }
    }
  }

 private:
  struct Record {
    uint64_t leading;  // the term's first 8 bytes, big-endian, zero-padded
    uint32_t offset;
    uint32_t length;
    uint32_t wdf;
    uint32_t position;  // kNoPosition for stems and filters
  };

  static uint64_t leading_bytes(std::string_view term) {
    uint64_t key = 0;
    for (size_t i = 0; i < 8; ++i)
      key = key << 8 | (i < term.size() ? static_cast<unsigned char>(term[i]) : 0);
    return key;
  }
  std::string_view term(const Record& r) const { return {text_.data() + r.offset, r.length}; }
  // Bytewise order of the records' terms. With equal leading bytes and both terms at most 8
  // bytes long, the shorter is a prefix of the longer (its padding equals the longer's
  // zero bytes), so the lengths decide.
  int compare_terms(const Record& a, const Record& b) const {
    if (a.leading != b.leading) return a.leading < b.leading ? -1 : 1;
    if (a.length <= 8 && b.length <= 8) {
      return a.length == b.length ? 0 : (a.length < b.length ? -1 : 1);
    }
    return term(a).compare(term(b));
  }

  // About 60 KB of records, for an article of some 10,000 words.
  static constexpr size_t kKeptRecords = 2500;
  std::string text_;
  std::vector<Record> records_;
};

std::string cut_name(std::string name) {
  if (name.size() <= kMaxNameBytes) return name;
  size_t cut = kMaxNameBytes;
  while (cut > 0 && (static_cast<unsigned char>(name[cut]) & 0xC0) == 0x80) --cut;
  name.resize(cut);
  while (!name.empty() && name.back() == '-') name.pop_back();
  return name;
}

void add_filter(Occurrences& out, std::string_view term_prefix, std::string_view raw_name) {
  std::string name = cut_name(normalize_name(raw_name));
  if (!name.empty()) out.add(term_prefix, name, 0, kNoPosition);
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
  return !(c >= 'A' && c <= 'Z');
}

bool is_headline_word(std::string_view term) {
  return term.starts_with(prefix::kHeadline);
}

std::string_view headline_text_term(std::string_view headline_term) {
  return headline_term.substr(prefix::kHeadline.size());
}

std::string make_term(std::string_view term_prefix, std::string_view value) {
  std::string term(term_prefix);
  term += value;
  return term;
}

void article_terms(const Article& article, Analyzer& analyzer, ArticleTerms& out) {
  out.terms.clear();
  out.doclen = 0;
  // Kept from article to article on each thread: grown from nothing for every article,
  // the buffers' reallocations and copies made the analysis micro bench 5-9% slower.
  thread_local Occurrences occ;
  thread_local std::vector<AnalyzedToken> tokens;
  occ.clear();
  if (tokens.capacity() > kKeptTokens) tokens = std::vector<AnalyzedToken>();
  tokens.clear();

  uint32_t next = analyzer.analyze(article.headline, 0, tokens);
  for (const AnalyzedToken& t : tokens) {
    occ.add(prefix::kText, t.surface.text, kHeadlineWdf, t.surface.position);
    occ.add(prefix::kTextStem, t.stem, kHeadlineWdf, kNoPosition);
    occ.add(prefix::kHeadline, t.surface.text, 1, t.surface.position);
    occ.add(prefix::kHeadlineStem, t.stem, 1, kNoPosition);
  }
  tokens.clear();
  analyzer.analyze(article.body, next + kFieldPositionGap, tokens);
  for (const AnalyzedToken& t : tokens) {
    occ.add(prefix::kText, t.surface.text, 1, t.surface.position);
    occ.add(prefix::kTextStem, t.stem, 1, kNoPosition);
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
  if (!article.id.empty()) occ.add(prefix::kId, article.id, 0, kNoPosition);
  occ.group(out);
}

}  // namespace morgue
