// The fields of an article as prefixed terms in one term dictionary, like Xapian's prefixes
// (docs/FORMAT.md#terms). Values are folded text, so they never begin with an upper-case
// ASCII letter and a prefix is never ambiguous.
#pragma once

#include <string>
#include <string_view>

namespace morgue {

// Persisted: these prefixes are part of the index format. Never change or reuse one.
namespace prefix {
inline constexpr std::string_view kText = "";            // word of headline or body, positions
inline constexpr std::string_view kTextStem = "Z";       // stem of a word of headline or body
inline constexpr std::string_view kHeadline = "S";       // word of the headline, positions
inline constexpr std::string_view kHeadlineStem = "ZS";  // stem of a word of the headline
inline constexpr std::string_view kEntity = "E";         // any entity (normalized name)
inline constexpr std::string_view kPerson = "P";
inline constexpr std::string_view kOrg = "O";
inline constexpr std::string_view kPlace = "L";
inline constexpr std::string_view kTopic = "T";
inline constexpr std::string_view kSource = "U";
inline constexpr std::string_view kAuthor = "A";
inline constexpr std::string_view kId = "Q";  // the article id, exactly as given
}  // namespace prefix

// How much a word of the headline counts in the text field: its within-document
// frequency (Xapian's wdf) grows by this much per occurrence, against 1 in the body.
inline constexpr uint32_t kHeadlineWdf = 2;

// Words of the body start this many positions after the last word of the headline, so that
// no phrase matches across the two.
inline constexpr uint32_t kFieldPositionGap = 10;

// Names (entities, topics, sources, authors) are cut to this many bytes so that every term
// stays within Xapian's 245-byte limit (the oracle must hold the same terms).
inline constexpr size_t kMaxNameBytes = 200;

// Filter terms (entity, topic, source, author, id) carry no frequencies, do not count in the
// document length and do not score: Xapian's boolean terms.
bool is_filter_term(std::string_view term);

// True for terms whose positions the index stores: words of the text. A headline word's
// positions are not stored (since format 9): the headline comes first, so they are the
// first wdf positions, in the same document, of its text word (headline_text_term).
// Inline: the inverter and the flush ask it for every term of every article.
inline bool has_positions(std::string_view term) {
  if (term.empty()) return false;
  auto c = static_cast<unsigned char>(term[0]);
  return !(c >= 'A' && c <= 'Z');
}

// True for headline words (`S` terms), whose positions are their text word's.
bool is_headline_word(std::string_view term);
// The text word whose positions hold a headline word's: the term without its `S`.
std::string_view headline_text_term(std::string_view headline_term);

std::string make_term(std::string_view term_prefix, std::string_view value);

}  // namespace morgue
