#include "common/analysis/article_terms.h"

#include <algorithm>

#include "common/analysis/field_terms.h"
#include "common/analysis/folding.h"
#include "common/base/coding.h"

namespace morgue {
namespace {

constexpr uint32_t kNoPosition = UINT32_MAX;

// An article's term occurrences, grouped by term as they arrive: a small open-addressing
// table maps each term to its group (terms end to end in one string, a group pointing into
// it), and each position is recorded with its group's number. group() hands each group its
// positions in arrival order. Nothing here allocates per word. Each group carries its
// term's first 8 bytes as a number, so that most comparisons need no memcmp.
//
// The groups come out in the order their terms first occur, unsorted: nothing downstream
// needs bytewise order (the writer finds each term by the hash it comes with; flushes sort
// the whole segment's terms once), and sorting each article's distinct terms was a fifth
// of article_terms() (BM_ArticleTerms 73 ms against 59.5 ms without). Sorting every
// occurrence by (term, position) before that had been a sixth of the analysis workers' CPU.
class Occurrences {
 public:
  // Adds an occurrence of term_prefix + value; returns its group, and says in `added`
  // whether the term is new to the article.
  uint32_t add(std::string_view term_prefix, std::string_view value, uint32_t wdf,
               uint32_t position, bool& added) {
    // Looked up from the caller's bytes, and copied into text_ only when new: a term
    // appended first and then loaded back as one 8-byte word spanned the copies' stores,
    // and the stalled load was a fifth of add()'s samples.
    Term term{term_prefix, value};
    added = false;
    uint32_t group = find_or_add(term, leading_bytes(term), added);
    Group& g = groups_[group];
    g.wdf += wdf;
    if (position != kNoPosition) {
      positions_.push_back({group, position});
      ++g.position_count;
    }
    return group;
  }
  void add(std::string_view term_prefix, std::string_view value, uint32_t wdf,
           uint32_t position) {
    bool added = false;
    add(term_prefix, value, wdf, position, added);
  }

  // Another occurrence, without a position, of the term `group` holds.
  void add_to(uint32_t group, uint32_t wdf) { groups_[group].wdf += wdf; }

  // A word's group remembers the group of its stem (set_stem_group), so that a repeat of
  // the word finds its stem's group without stemming and hashing it again.
  uint32_t stem_group(uint32_t word_group) const { return groups_[word_group].stem_group; }
  void set_stem_group(uint32_t word_group, uint32_t stem_group) {
    groups_[word_group].stem_group = stem_group;
  }

  // Empties it for the next article. The buffers stay unless a very long article grew
  // them past kKeptGroups: the memory budget does not count them.
  void clear() {
    if (groups_.capacity() > kKeptGroups) {
      text_ = std::string();
      groups_ = std::vector<Group>();
      positions_ = std::vector<Position>();
      slots_ = std::vector<uint32_t>();
    }
    text_.clear();
    groups_.clear();
    positions_.clear();
    std::fill(slots_.begin(), slots_.end(), 0);
  }

  // Appends the groups to `out` in the order their terms first occurred.
  void group(ArticleTerms& out) {
    out.terms.reserve(out.terms.size() + groups_.size());
    size_t position_slots = out.positions.size();
    // The terms' bytes are already end to end, in the groups' order.
    auto text_begin = static_cast<uint32_t>(out.text.size());
    out.text += text_;
    for (Group& group : groups_) {
      group.out_index = static_cast<uint32_t>(out.terms.size());
      TermOccurrences& t = out.terms.emplace_back();
      t.term_begin = text_begin + group.offset;
      t.term_size = group.length;
      t.wdf = group.wdf;
      t.positions_begin = static_cast<uint32_t>(position_slots);
      t.hash = short_key_hash(out.term(t), group.leading);
      position_slots += group.position_count;
      out.doclen += group.wdf;
    }
    out.positions.resize(position_slots);
    // Each term's positions arrive in increasing order: analyze() numbers a text's words
    // in order, and the body's come after the headline's. The check keeps them strictly
    // increasing whatever the caller does (a word cannot occur twice at one position); a
    // term's slots it leaves unused stay past its position_count, never read.
    for (const Position& p : positions_) {
      TermOccurrences& t = out.terms[groups_[p.group].out_index];
      uint32_t* positions = out.positions.data() + t.positions_begin;
      if (t.position_count == 0 || positions[t.position_count - 1] < p.position)
        positions[t.position_count++] = p.position;
    }
  }

 private:
  struct Group {
    uint64_t leading;  // the term's first 8 bytes, big-endian, zero-padded
    uint32_t offset;
    uint32_t length;
    uint32_t wdf;
    uint32_t position_count;
    uint32_t out_index;   // group(): its entry in the output
    uint32_t stem_group;  // a word's: its stem's group
  };
  struct Position {
    uint32_t group;
    uint32_t position;
  };
  // A term as its prefix and value, not yet copied.
  struct Term {
    std::string_view prefix;
    std::string_view value;
    size_t size() const { return prefix.size() + value.size(); }
    unsigned char operator[](size_t i) const {
      return static_cast<unsigned char>(i < prefix.size() ? prefix[i]
                                                          : value[i - prefix.size()]);
    }
    bool operator==(std::string_view copy) const {
      return copy.size() == size() && copy.starts_with(prefix) &&
             copy.substr(prefix.size()) == value;
    }
  };
  // The term's first 8 bytes, big-endian and zero-padded (morgue::leading_bytes), read
  // from its two parts.
  static uint64_t leading_bytes(const Term& term) {
    if (term.prefix.empty()) return morgue::leading_bytes(term.value);
    // Prefixes are constants of a byte or two: byte by byte, this folds away.
    uint64_t prefix = 0;
    for (size_t i = 0; i < 8; ++i)
      prefix = (prefix << 8) | (i < term.prefix.size() ? term[i] : 0);
    if (term.prefix.size() >= 8) return prefix;
    return prefix | (morgue::leading_bytes(term.value) >> (8 * term.prefix.size()));
  }
  std::string_view term(const Group& g) const { return {text_.data() + g.offset, g.length}; }

  // The group of `term` (whose leading_bytes() is `leading`), added and its bytes copied if
  // it is new (`added` says which). Slots hold a group's number + 1 (0: empty); the table
  // is a power of two, at most half full.
  uint32_t find_or_add(const Term& term, uint64_t leading, bool& added) {
    if (2 * (groups_.size() + 1) > slots_.size()) grow();
    uint64_t h = hash(term, leading);
    size_t mask = slots_.size() - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
      uint32_t slot = slots_[i];
      if (slot == 0) {
        slots_[i] = static_cast<uint32_t>(groups_.size() + 1);
        groups_.push_back({leading, static_cast<uint32_t>(text_.size()),
                           static_cast<uint32_t>(term.size()), 0, 0, 0, 0});
        text_ += term.prefix;
        text_ += term.value;
        added = true;
        return static_cast<uint32_t>(groups_.size() - 1);
      }
      const Group& g = groups_[slot - 1];
      if (g.leading == leading && g.length == term.size() &&
          (g.length <= 8 || term == this->term(g))) {
        return slot - 1;
      }
    }
  }
  // Terms are short (most under 16 bytes): their leading bytes and length, mixed with the
  // rest only when there is a rest.
  template <class Bytes>
  static uint64_t hash(const Bytes& term, uint64_t leading) {
    uint64_t h = leading ^ (term.size() * 0x9E3779B97F4A7C15ull);
    for (size_t i = 8; i < term.size(); ++i)
      h = (h ^ static_cast<unsigned char>(term[i])) * 0x100000001B3ull;
    h *= 0xBF58476D1CE4E5B9ull;
    return h ^ (h >> 31);
  }
  void grow() {
    std::vector<uint32_t> slots(slots_.empty() ? 1024 : 2 * slots_.size(), 0);
    size_t mask = slots.size() - 1;
    for (uint32_t g = 0; g < groups_.size(); ++g) {
      size_t i = hash(term(groups_[g]), groups_[g].leading) & mask;
      while (slots[i] != 0) i = (i + 1) & mask;
      slots[i] = g + 1;
    }
    slots_ = std::move(slots);
  }

  // 40 KB of groups and their slots: an article of 1,250 distinct terms.
  static constexpr size_t kKeptGroups = 1250;
  std::string text_;
  std::vector<Group> groups_;
  std::vector<Position> positions_;
  std::vector<uint32_t> slots_;
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
  out.text.clear();
  out.positions.clear();
  out.doclen = 0;
  // Kept from article to article on each thread: grown from nothing for every article,
  // its buffers' reallocations and copies made the analysis micro bench 5-9% slower.
  thread_local Occurrences occ;
  occ.clear();

  // A word's stem depends on the word alone, so only a word's first occurrence in the
  // article is stemmed and its stem grouped; a repeat adds to the stem's group through the
  // word's. About half of an article's words are repeats.
  auto add_word = [&](std::string_view word_prefix, std::string_view stem_prefix,
                      std::string_view word, uint32_t position, uint32_t wdf) {
    bool added = false;
    uint32_t word_group = occ.add(word_prefix, word, wdf, position, added);
    if (added) {
      occ.set_stem_group(word_group, occ.add(stem_prefix, analyzer.stem_view(word), wdf,
                                             kNoPosition, added));
    } else {
      occ.add_to(occ.stem_group(word_group), wdf);
    }
  };
  uint32_t next = 0;
  {
    const FoldedWords& headline = analyzer.words(article.headline, 0, next);
    for (const FoldedWord& w : headline.words) {
      add_word(prefix::kText, prefix::kTextStem, headline.text_of(w), w.position, kHeadlineWdf);
      add_word(prefix::kHeadline, prefix::kHeadlineStem, headline.text_of(w), w.position, 1);
    }
  }
  uint32_t unused = 0;
  const FoldedWords& body = analyzer.words(article.body, next + kFieldPositionGap, unused);
  const std::vector<FoldedWord>& words = body.words;
  for (size_t i = 0; i < words.size(); ++i) {
    if (i + Analyzer::kStemLookahead < words.size())
      analyzer.prefetch_stem(body.text_of(words[i + Analyzer::kStemLookahead]));
    add_word(prefix::kText, prefix::kTextStem, body.text_of(words[i]), words[i].position, 1);
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
