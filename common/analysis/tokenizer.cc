// The tokenizer's rules are in docs/ANALYSIS.md; each branch below names the rule it serves.
#include "common/analysis/tokenizer.h"

#include <utf8proc.h>

#include <memory>
#include <span>

#include "common/analysis/folding.h"
#include "common/analysis/utf8.h"

namespace morgue {
namespace {

// No member initialisers: decode() writes every field, into memory it does not clear.
struct CodePoint {
  char32_t cp;
  uint32_t begin;  // byte offsets in the text
  uint32_t end;
};

// Where decode() writes, kept from text to text on each thread: a fresh vector of 12 bytes
// a code point, written once and freed, was a third of tokenize()'s samples (its stores
// missing the cache). Texts longer than kKeptCodePoints get a buffer of their own, so the
// kept one stays within 192 KB a thread, which no memory budget counts.
constexpr size_t kKeptCodePoints = 16384;

thread_local std::unique_ptr<CodePoint[]> kept_code_points;
// A longer text's buffer, freed by tokenize() when it is done with it.
thread_local std::unique_ptr<CodePoint[]> oversized;

// Decodes the text once, so the rules can look ahead (past combining marks, too). The
// code points are valid until the next call on this thread.
std::span<const CodePoint> decode(std::string_view text) {
  CodePoint* out = nullptr;
  if (text.size() <= kKeptCodePoints) {
    auto& kept = kept_code_points;
    if (!kept) kept = std::make_unique_for_overwrite<CodePoint[]>(kKeptCodePoints);
    out = kept.get();
  } else {
    oversized = std::make_unique_for_overwrite<CodePoint[]>(text.size());
    out = oversized.get();
  }
  size_t count = 0;
  const auto* bytes = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
  auto size = static_cast<utf8proc_ssize_t>(text.size());
  utf8proc_ssize_t i = 0;
  while (i < size) {
    // ASCII, most of a wire story, needs no decoder.
    if (bytes[i] < 0x80) {
      out[count++] = {bytes[i], static_cast<uint32_t>(i), static_cast<uint32_t>(i + 1)};
      ++i;
      continue;
    }
    utf8proc_int32_t cp;
    utf8proc_ssize_t n = utf8proc_iterate(bytes + i, size - i, &cp);
    if (n <= 0) {  // invalid input (a precondition violation): skip the byte, never loop
      cp = 0xFFFD;
      n = 1;
    }
    out[count++] = {static_cast<char32_t>(cp), static_cast<uint32_t>(i),
                    static_cast<uint32_t>(i + n)};
    i += n;
  }
  return {out, count};
}

[[gnu::always_inline]] inline bool is_letter(char32_t cp) {
  if (cp < 0x80) return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
  utf8proc_category_t c = utf8proc_category(static_cast<utf8proc_int32_t>(cp));
  return c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO;
}
[[gnu::always_inline]] inline bool is_digit(char32_t cp) {
  if (cp < 0x80) return cp >= '0' && cp <= '9';
  utf8proc_category_t c = utf8proc_category(static_cast<utf8proc_int32_t>(cp));
  return c >= UTF8PROC_CATEGORY_ND && c <= UTF8PROC_CATEGORY_NO;
}
[[gnu::always_inline]] inline bool is_mark(char32_t cp) {
  if (cp < 0x80) return false;
  utf8proc_category_t c = utf8proc_category(static_cast<utf8proc_int32_t>(cp));
  return c >= UTF8PROC_CATEGORY_MN && c <= UTF8PROC_CATEGORY_ME;
}
bool is_apostrophe(char32_t cp) { return cp == U'\'' || cp == U'\u2019' || cp == U'\u02BC'; }

// Scripts written without spaces between words: each character is a token of its own.
// Only letters count: the kana block also holds punctuation (U+30FB) and combining marks
// (U+3099), which must not become tokens.
[[gnu::always_inline]] inline bool is_ideograph(char32_t cp) {
  if (cp < 0x3040) return false;  // below every range: ASCII and every script before the kana
  return ((cp >= 0x3040 && cp <= 0x30FF) ||   // Hiragana, Katakana
          (cp >= 0x3400 && cp <= 0x4DBF) ||   // CJK Extension A
          (cp >= 0x4E00 && cp <= 0x9FFF) ||   // CJK Unified Ideographs
          (cp >= 0xF900 && cp <= 0xFAFF) ||   // CJK Compatibility Ideographs
          (cp >= 0x20000 && cp <= 0x2FFFF)) &&  // CJK Extensions B and later
         is_letter(cp);
}

[[gnu::always_inline]] inline bool is_word_letter(char32_t cp) {
  return is_letter(cp) && !is_ideograph(cp);
}
bool is_word_start_beyond_ascii(char32_t cp) {
  return (is_letter(cp) || is_digit(cp)) && !is_ideograph(cp);
}
// Asked of nearly every character: ASCII is answered without a call. The predicates are
// inlined into each reading of the text, so that AsciiText's skip every Unicode branch.
[[gnu::always_inline]] inline bool is_word_start(char32_t cp) {
  if (cp < 0x80) {
    return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
  }
  return is_word_start_beyond_ascii(cp);
}
[[gnu::always_inline]] inline bool is_word_continue(char32_t cp) {
  return is_word_start(cp) || is_mark(cp);
}
bool is_s(char32_t cp) { return cp == U's' || cp == U'S'; }

// The text as the rules read it: code point i (0 past the end), and the bytes a run of
// code points spans. Most wire copy is ASCII, where a code point is a byte: AsciiText
// reads the bytes themselves, so the rules compile without the Unicode lookups and the
// text is not decoded first. DecodedText serves every other text.
class AsciiText {
 public:
  explicit AsciiText(std::string_view text) : text_(text) {}
  size_t size() const { return text_.size(); }
  char32_t at(size_t i) const {
    if (i >= text_.size()) return 0;
    auto c = static_cast<unsigned char>(text_[i]);
    if (c >= 0x80) __builtin_unreachable();  // checked by tokenize()
    return c;
  }
  uint32_t begin(size_t i) const { return static_cast<uint32_t>(i); }
  uint32_t end(size_t i) const { return static_cast<uint32_t>(i + 1); }
  std::string_view span(size_t first, size_t last) const {
    return text_.substr(first, last - first);
  }
  // Appends code points [first, last) to `out`, folded: an ASCII word folds to its lower
  // case, byte by byte as it is copied (a memmove call for every piece of every word, then
  // a pass to fold: BM_Tokenize 7.1 against 6.45 ms).
  void append_folded(std::string& out, size_t first, size_t last) const {
    for (size_t i = first; i < last; ++i) out.push_back(fold_ascii(text_[i]));
  }
  // Folded as it was appended.
  static void fold_word(std::string&, size_t) {}

 private:
  std::string_view text_;
};

class DecodedText {
 public:
  explicit DecodedText(std::string_view text) : text_(text), cps_(decode(text)) {}
  size_t size() const { return cps_.size(); }
  char32_t at(size_t i) const { return i < cps_.size() ? cps_[i].cp : 0; }
  uint32_t begin(size_t i) const { return cps_[i].begin; }
  uint32_t end(size_t i) const { return cps_[i].end; }
  std::string_view span(size_t first, size_t last) const {
    return text_.substr(cps_[first].begin, cps_[last - 1].end - cps_[first].begin);
  }
  // Appends code points [first, last) to `out` as they are; fold_word() folds the word.
  void append_folded(std::string& out, size_t first, size_t last) const {
    out += span(first, last);
  }
  static void fold_word(std::string& out, size_t begin) {
    std::string folded = fold(std::string_view(out).substr(begin));
    out.resize(begin);
    out += folded;
  }

 private:
  std::string_view text_;
  std::span<const CodePoint> cps_;
};

// Each word is built and folded at the end of out.text, and taken back if not kept.
template <class Text>
uint32_t tokenize_text(const Text& text, uint32_t first_position, FoldedWords& out) {
  size_t n = text.size();
  auto at = [&](size_t i) -> char32_t { return text.at(i); };
  auto span = [&](size_t first, size_t last) { return text.span(first, last); };

  auto skip_marks = [&](size_t i) {
    while (i < n && is_mark(at(i))) ++i;
    return i;
  };
  // A letter standing alone, as in "U.S.": the index after it and its combining marks
  // (decomposed text writes "Ü" as U + U+0308), or 0 if at(i) is no such letter.
  auto lone_letter_end = [&](size_t i) -> size_t {
    if (!is_word_letter(at(i))) return 0;
    size_t j = skip_marks(i + 1);
    return is_word_continue(at(j)) ? 0 : j;
  };
  // A possessive "'s" ends at i: the index after it, or i if there is none.
  auto skip_possessive = [&](size_t i) {
    return is_apostrophe(at(i)) && is_s(at(i + 1)) && !is_word_continue(at(i + 2)) ? i + 2 : i;
  };

  uint32_t position = first_position;
  size_t i = 0;
  std::string& word = out.text;  // the word being built is its tail, from word_begin
  while (i < n) {
    char32_t c = text.at(i);
    const size_t word_begin = word.size();
    if (is_ideograph(c)) {
      // Marks such as the dakuten (U+3099) belong to the kana before them.
      size_t end = skip_marks(i + 1);
      word += fold(span(i, end));
      if (word.size() > word_begin) {
        out.words.push_back({static_cast<uint32_t>(word_begin),
                             static_cast<uint32_t>(word.size() - word_begin), position++,
                             text.begin(i), text.end(end - 1)});
      }
      i = end;
      continue;
    }
    if (!is_word_start(c)) {
      ++i;
      continue;
    }
    size_t start = i;
    size_t first_end = lone_letter_end(i);
    if (first_end != 0 && at(first_end) == U'.' && lone_letter_end(first_end + 1) != 0) {
      // Rule "abbreviations": single letters separated by periods ("U.S.", "U.N.") join
      // without the periods.
      for (;;) {
        size_t end = lone_letter_end(i);
        text.append_folded(word, i, end);
        i = end;
        if (at(i) == U'.' && lone_letter_end(i + 1) != 0) {
          ++i;  // the period between two letters
          continue;
        }
        if (at(i) == U'.') ++i;  // the final period belongs to the abbreviation
        break;
      }
      i = skip_possessive(i);  // "the U.S.'s position"
    } else {
      char32_t last_base = 0;  // the last code point of the word that is not a mark
      while (i < n) {
        const size_t run = i;  // appended at once: the code points are contiguous bytes
        while (i < n && is_word_continue(at(i))) {
          if (!is_mark(at(i))) last_base = at(i);
          ++i;
        }
        text.append_folded(word, run, i);
        char32_t sep = at(i);
        // Rule "apostrophes": an apostrophe between letters joins the word (o'brien); the
        // possessive "'s" is not joined but dropped ("Israel's" -> israel) and a final
        // bare apostrophe ("Hamas'") is left out.
        if (is_apostrophe(sep) && is_letter(last_base) && is_word_letter(at(i + 1))) {
          if (skip_possessive(i) != i) {
            i += 2;
            break;
          }
          word += '\'';
          ++i;
          continue;
        }
        // Rule "numbers": digits grouped by ',' or '.' stay one number; commas are
        // dropped, the decimal point is kept ("32,000" -> 32000, "5.93").
        if ((sep == U',' || sep == U'.') && is_digit(last_base) && is_digit(at(i + 1))) {
          if (sep == U'.') word += '.';
          ++i;
          continue;
        }
        break;
      }
    }
    Text::fold_word(word, word_begin);
    const size_t folded_size = word.size() - word_begin;
    uint32_t end_byte = text.end(i - 1);
    if (folded_size == 0) continue;  // only on invalid input, which fold() rejects
    // Rule "length limit": too long to be a word (a URL, a hash, base64): not indexed, but
    // it still takes a position so no phrase matches across it.
    if (folded_size <= kMaxTokenBytes) {
      out.words.push_back({static_cast<uint32_t>(word_begin), static_cast<uint32_t>(folded_size),
                           position, text.begin(start), end_byte});
    } else {
      word.resize(word_begin);
    }
    ++position;
  }
  return position;
}

}  // namespace

uint32_t tokenize(std::string_view text, uint32_t first_position, FoldedWords& out) {
  if (is_ascii(text)) return tokenize_text(AsciiText(text), first_position, out);
  uint32_t next = tokenize_text(DecodedText(text), first_position, out);
  oversized.reset();
  return next;
}

uint32_t tokenize(std::string_view text, uint32_t first_position, std::vector<Token>& out) {
  FoldedWords words;
  uint32_t next = tokenize(text, first_position, words);
  out.reserve(out.size() + words.words.size());
  for (const FoldedWord& w : words.words) out.push_back(words.token(w));
  return next;
}

}  // namespace morgue
