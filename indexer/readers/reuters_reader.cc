// Reads Reuters-21578 SGML without an SGML parser: the corpus uses a fixed, flat tag set
// (lewis.dtd), so a linear scan for <REUTERS>...</REUTERS> and its few child elements suffices.
#include "indexer/readers/reuters_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <optional>
#include <string>

#include "common/analysis/utf8.h"
#include "common/article/article_json.h"
#include "common/base/time.h"

namespace morgue {
namespace {

constexpr std::string_view kOpenTag = "<REUTERS";
constexpr std::string_view kCloseTag = "</REUTERS>";

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }
char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return ascii_lower(x) == ascii_lower(y);
         });
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

void trim_trailing(std::string& s) {
  while (!s.empty() && is_space(s.back())) s.pop_back();
}

// First "<REUTERS" at or after `from` that is a whole tag name (not "<REUTERSX").
size_t find_open_tag(std::string_view text, size_t from) {
  for (size_t at = text.find(kOpenTag, from); at != std::string_view::npos;
       at = text.find(kOpenTag, at + 1)) {
    size_t next = at + kOpenTag.size();
    if (next == text.size() || text[next] == '>' || is_space(text[next])) return at;
  }
  return std::string_view::npos;
}

// One child element: the attribute text of its start tag and its raw content.
struct Element {
  size_t start = 0;  // offset of its '<'
  std::string_view attributes;
  std::string_view content;
};

// Finds the first <name ...>content</name> in `text`. Tags are uppercase in the corpus and
// a literal '<' in text is always escaped as &lt;, so a plain search is exact.
std::optional<Element> find_element(std::string_view text, std::string_view name) {
  std::string open = "<" + std::string(name);
  std::string close = "</" + std::string(name) + ">";
  for (size_t at = text.find(open); at != std::string_view::npos; at = text.find(open, at + 1)) {
    size_t after = at + open.size();
    if (after < text.size() && text[after] != '>' && !is_space(text[after])) continue;
    size_t tag_end = text.find('>', after);
    if (tag_end == std::string_view::npos) return std::nullopt;
    size_t end = text.find(close, tag_end + 1);
    if (end == std::string_view::npos) return std::nullopt;
    return Element{at, text.substr(after, tag_end - after),
                   text.substr(tag_end + 1, end - tag_end - 1)};
  }
  return std::nullopt;
}

// Value of attribute `name` in `NAME="v" NAME2='w' NAME3=x`, or nullopt.
std::optional<std::string_view> find_attribute(std::string_view attrs, std::string_view name) {
  for (size_t i = 0, eq; (eq = attrs.find('=', i)) != std::string_view::npos;) {
    std::string_view key = trim(attrs.substr(i, eq - i));
    size_t v = eq + 1;
    while (v < attrs.size() && is_space(attrs[v])) ++v;
    bool quoted = v < attrs.size() && (attrs[v] == '"' || attrs[v] == '\'');
    size_t end = quoted ? attrs.find(attrs[v], v + 1) : v;
    if (end == std::string_view::npos) end = attrs.size();
    while (!quoted && end < attrs.size() && !is_space(attrs[end])) ++end;
    std::string_view value = attrs.substr(v + quoted, end - v - quoted);
    if (iequals(key, name)) return value;
    i = end + quoted;
  }
  return std::nullopt;
}

// Control characters are wire-transmission noise (&#2; starts a story, &#3; ends it, &#127;
// is line noise), never text; only the newline and tab carry layout.
bool is_dropped_control(uint32_t cp) {
  return (cp < 0x20 && cp != '\n' && cp != '\t') || (cp >= 0x7F && cp <= 0x9F);
}

// Decodes one character reference at `s` (which starts with '&') into `out`; returns the
// bytes consumed. A reference that is unknown or not a valid character is kept literally.
size_t append_reference(std::string& out, std::string_view s) {
  // References are short; looking further would make a text of bare '&'s quadratic.
  size_t semi = s.substr(0, 12).find(';', 1);
  if (semi == std::string_view::npos) {
    out += '&';
    return 1;
  }
  std::string_view name = s.substr(1, semi - 1);
  static constexpr std::array<std::pair<std::string_view, char>, 5> kNamed = {
      {{"lt", '<'}, {"gt", '>'}, {"amp", '&'}, {"quot", '"'}, {"apos", '\''}}};
  for (const auto& [named, c] : kNamed) {
    if (name == named) {
      out += c;
      return semi + 1;
    }
  }
  if (name.size() >= 2 && name[0] == '#') {
    bool hex = name[1] == 'x' || name[1] == 'X';
    std::string_view digits = name.substr(hex ? 2 : 1);
    uint32_t cp = 0;
    auto [end, ec] =
        std::from_chars(digits.data(), digits.data() + digits.size(), cp, hex ? 16 : 10);
    bool valid = !digits.empty() && ec == std::errc() && end == digits.data() + digits.size() &&
                 cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF);
    if (valid) {
      if (!is_dropped_control(cp)) append_utf8(out, static_cast<char32_t>(cp));
      return semi + 1;
    }
  }
  out += '&';
  return 1;
}

// Latin-1 `raw` as UTF-8, with character references decoded and control characters
// dropped. Plain runs are copied whole, so the cost stays linear in the input.
std::string decode(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  size_t run = 0;
  for (size_t i = 0; i < raw.size(); ++i) {
    auto c = static_cast<unsigned char>(raw[i]);
    if (c != '&' && !is_dropped_control(c)) continue;
    out += latin1_to_utf8(raw.substr(run, i - run));
    if (c == '&') i += append_reference(out, raw.substr(i)) - 1;
    run = i + 1;
  }
  out += latin1_to_utf8(raw.substr(run));
  return out;
}

// Replaces every run of whitespace (titles wrap over lines) by one space and trims.
std::string collapse_space(std::string_view text) {
  std::string out;
  for (char c : trim(text)) {
    if (!is_space(c)) {
      out += c;
    } else if (out.back() != ' ') {
      out += ' ';
    }
  }
  return out;
}

// "    SALVADOR, Feb 26 - " -> "SALVADOR, Feb 26"; some datelines end in "--" or "-\n    ".
std::string clean_dateline(std::string_view text) {
  std::string_view s = trim(text);
  while (!s.empty() && (s.back() == '-' || is_space(s.back()))) s.remove_suffix(1);
  return collapse_space(s);
}

// Strips the "Reuter" sign-off that ends most stories. Variants seen in the corpus: "Reuter",
// " REUTER", "reuter", "Reuters", "REUTER...", "REUTER^M" on a line of their own, and
// "... said. REUTER" after the last sentence. "Reuters." or "told Reuters" is text, not a
// sign-off, so a same-line match must be the bare upper-case word. Returns true if it cut.
bool strip_signature(std::string& body) {
  trim_trailing(body);
  size_t line_start = body.rfind('\n');
  line_start = line_start == std::string::npos ? 0 : line_start + 1;
  size_t token_start = body.size();
  while (token_start > line_start && !is_space(body[token_start - 1])) --token_start;
  std::string_view token = std::string_view(body).substr(token_start);
  while (token.ends_with("...") || token.ends_with("^M")) {
    token.remove_suffix(token.ends_with("^M") ? 2 : 3);
  }
  bool alone = trim(std::string_view(body).substr(line_start, token_start - line_start)).empty();
  bool signature =
      alone ? iequals(token, "reuter") || iequals(token, "reuters") : token == "REUTER";
  if (!signature) return false;
  body.resize(token_start);
  trim_trailing(body);
  return true;
}

// Drops whole blank lines before the text (UNPROC text starts "&#2;\n"), keeping the
// indentation of the first real line.
void strip_leading_blank_lines(std::string& text) {
  size_t keep = 0;
  for (size_t i = 0; i < text.size() && is_space(text[i]); ++i) {
    if (text[i] == '\n') keep = i + 1;
  }
  text.erase(0, keep);
}

// Reads n1..n2 digits at s[pos], advancing pos.
std::optional<int> read_number(std::string_view s, size_t& pos, size_t min_digits,
                               size_t max_digits) {
  int value = 0;
  size_t n = 0;
  while (n < max_digits && pos < s.size() && is_digit(s[pos])) {
    value = value * 10 + (s[pos++] - '0');
    ++n;
  }
  if (n < min_digits) return std::nullopt;
  return value;
}

struct ParsedDate {
  int64_t seconds = 0;
  bool time_unreadable = false;  // the day was read, the time was not: midnight stands in
};

// "26-FEB-1987 15:01:01.79", tolerating leading blanks, double spaces, one-digit fractions
// and trailing noise ("...13&#5;&#5;&#5;RM", "...00.00    # date added by S Finch").
std::optional<ParsedDate> parse_reuters_date(std::string_view text) {
  static constexpr std::array<std::string_view, 12> kMonths = {
      "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
  size_t pos = 0;
  while (pos < text.size() && is_space(text[pos])) ++pos;
  auto day = read_number(text, pos, 1, 2);
  if (!day || pos + 5 > text.size() || text[pos] != '-' || text[pos + 4] != '-') {
    return std::nullopt;
  }
  auto month_it = std::find_if(kMonths.begin(), kMonths.end(), [&](std::string_view m) {
    return iequals(m, text.substr(pos + 1, 3));
  });
  if (month_it == kMonths.end()) return std::nullopt;
  int month = static_cast<int>(month_it - kMonths.begin()) + 1;
  pos += 5;
  auto year = read_number(text, pos, 4, 4);
  if (!year || (pos < text.size() && is_digit(text[pos])) || !is_valid_date(*year, month, *day)) {
    return std::nullopt;
  }
  ParsedDate parsed{utc_seconds(*year, month, *day), true};
  size_t gap = pos;
  while (pos < text.size() && is_space(text[pos])) ++pos;
  if (pos == gap) return parsed;
  auto hour = read_number(text, pos, 1, 2);
  if (!hour || pos >= text.size() || text[pos++] != ':') return parsed;
  auto minute = read_number(text, pos, 2, 2);
  if (!minute) return parsed;
  std::optional<int> second = 0;
  if (pos < text.size() && text[pos] == ':') second = read_number(text, ++pos, 2, 2);
  // A third digit ("605:12:19") means the field is garbled, not a time of day.
  if (!second || (pos < text.size() && is_digit(text[pos])) || *hour > 23 || *minute > 59 ||
      *second > 59) {
    return parsed;
  }
  parsed.seconds = utc_seconds(*year, month, *day, *hour, *minute, *second);
  parsed.time_unreadable = false;
  return parsed;
}

// Input text quoted in a message: decoded (messages are UTF-8) and cut short.
std::string quote(std::string_view raw) {
  return "\"" + decode(trim(raw.substr(0, 60))) + (raw.size() > 60 ? "...\"" : "\"");
}

// The <D>slug</D> names of a category list such as <PLACES>, decoded.
std::vector<std::string> read_list(std::string_view header, std::string_view list) {
  std::vector<std::string> names;
  auto element = find_element(header, list);
  if (!element) return names;
  std::string_view rest = element->content;
  while (auto d = find_element(rest, "D")) {
    std::string name = decode(trim(d->content));
    if (!name.empty()) names.push_back(std::move(name));
    rest = rest.substr(static_cast<size_t>(d->content.data() + d->content.size() - rest.data()));
  }
  return names;
}

// Fills `article` from one record: `attrs` is the REUTERS start tag's attribute text and
// `inner` everything up to </REUTERS>. Returns why the record is rejected, or nullopt.
std::optional<std::string> parse_record(std::string_view attrs, std::string_view inner,
                                        const ReadOptions& options, Article& article,
                                        std::string& warning) {
  auto newid = find_attribute(attrs, "NEWID");
  if (!newid) return "<REUTERS> tag has no NEWID attribute";
  uint64_t id = 0;
  auto [id_end, id_ec] = std::from_chars(newid->data(), newid->data() + newid->size(), id);
  if (newid->empty() || id_ec != std::errc() || id_end != newid->data() + newid->size()) {
    return "NEWID " + quote(*newid) + " is not a number";
  }
  article.id = std::to_string(id);

  auto text = find_element(inner, "TEXT");
  // Header elements come before <TEXT>; searching only there keeps story text out of them.
  std::string_view header = text ? inner.substr(0, text->start) : inner;
  if (auto date = find_element(header, "DATE")) {
    auto parsed = parse_reuters_date(decode(date->content));
    if (!parsed) return "unreadable DATE " + quote(date->content);
    if (parsed->time_unreadable) {
      warning = "DATE " + quote(date->content) + " has no readable time of day; using midnight";
    }
    article.published = parsed->seconds;
  } else if (options.default_published) {
    article.published = options.default_published;
  } else {
    return "record has no <DATE>";
  }
  if (!text) return "record has no <TEXT>...</TEXT>";

  article.topics = read_list(header, "TOPICS");
  static constexpr std::array<std::pair<std::string_view, EntityType>, 5> kLists = {
      {{"PLACES", EntityType::kPlace},
       {"PEOPLE", EntityType::kPerson},
       {"ORGS", EntityType::kOrg},
       {"EXCHANGES", EntityType::kOther},
       {"COMPANIES", EntityType::kOther}}};
  for (const auto& [list, type] : kLists) {
    for (std::string& name : read_list(header, list)) article.entities.push_back({type, name});
  }

  std::string_view story = text->content;
  auto title = find_element(story, "TITLE");
  auto body = find_element(story, "BODY");
  if (title) article.headline = collapse_space(decode(title->content));
  if (auto dateline = find_element(story, "DATELINE")) {
    article.dateline = clean_dateline(decode(dateline->content));
  }
  if (auto author = find_element(story, "AUTHOR")) {
    article.byline = collapse_space(decode(author->content));
  }
  // NORM stories wrap the text in <BODY>. BRIEF ones are a <TITLE> followed by filler
  // ("Blah blah blah."), so they get no body. UNPROC ones put the text straight in <TEXT>.
  if (body) {
    article.body = decode(body->content);
  } else if (!title) {
    article.body = decode(story);
  }
  strip_leading_blank_lines(article.body);
  // A few stories are signed twice ("REUTER\n Reuter").
  while (strip_signature(article.body)) {
  }
  article.source = "Reuters";

  if (auto oldid = find_attribute(attrs, "OLDID");
      oldid && !oldid->empty() && std::all_of(oldid->begin(), oldid->end(), is_digit)) {
    std::string_view digits = *oldid;
    while (digits.size() > 1 && digits.front() == '0') digits.remove_prefix(1);  // JSON number
    article.extra.push_back(ExtraField{"oldid", std::string(digits)});
  }
  if (auto split = find_attribute(attrs, "LEWISSPLIT"); split && !split->empty()) {
    std::string json;
    append_json_string(json, decode(*split));
    article.extra.push_back(ExtraField{"lewissplit", std::move(json)});
  }
  // The collection counts 21,578 stories, and one of them (NEWID 12793) has no text at all:
  // it is kept, searchable by its date and lists, and the user is told.
  if (article.headline.empty() && article.body.empty() && warning.empty()) {
    warning = "story has no headline or body text (kept for its date, places and topics)";
  }
  return std::nullopt;
}

}  // namespace

Status read_reuters_sgml(std::string_view path, std::string_view content,
                         const ReadOptions& options, const ArticleSink& sink) {
  constexpr size_t npos = std::string_view::npos;
  // 1-based line of an offset. Offsets come in increasing order, so each byte is counted once.
  size_t counted = 0;
  uint64_t line_of_counted = 1;
  auto line_at = [&](size_t offset) {
    auto from = content.begin() + static_cast<ptrdiff_t>(counted);
    auto to = content.begin() + static_cast<ptrdiff_t>(std::max(counted, offset));
    line_of_counted += static_cast<uint64_t>(std::count(from, to, '\n'));
    counted = std::max(counted, offset);
    return line_of_counted;
  };
  auto reject = [&](uint64_t line, const std::string& reason) -> Status {
    SourceLocation where{path, line};
    if (sink.reject) sink.reject(where, reason);
    if (options.strict) return Status::parse_error(fmt::format("{}:{}: {}", path, line, reason));
    return Status::ok();
  };
  // Each search starts where the last one stopped, and a found close tag is remembered until
  // passed, so garbage full of "<REUTERS" without close tags still costs linear time.
  size_t open = find_open_tag(content, 0);
  size_t close = 0;
  bool close_known = false;
  bool any_record = open != npos;
  while (open != npos) {
    uint64_t line = line_at(open);
    size_t next_open = find_open_tag(content, open + kOpenTag.size());
    if (!close_known || (close != npos && close < open)) {
      close = content.find(kCloseTag, open);
      close_known = true;
    }
    if (close == npos || close > next_open) {
      std::string reason =
          next_open == npos
              ? std::string("record has no </REUTERS> before the end of the file")
              : fmt::format("record has no </REUTERS> before the next <REUTERS> at line {}",
                            line_at(next_open));
      MORGUE_RETURN_IF_ERROR(reject(line, reason));
      open = next_open;
      continue;
    }
    // The start tag ends at '>'; a '<' first means it was cut off.
    size_t tag_end = content.find_first_of("<>", open + kOpenTag.size());
    Article article;
    std::string warning;
    std::optional<std::string> error;
    if (tag_end == npos || content[tag_end] != '>') {
      error = "<REUTERS tag is not closed by '>'";
    } else {
      std::string_view attrs =
          content.substr(open + kOpenTag.size(), tag_end - open - kOpenTag.size());
      error = parse_record(attrs, content.substr(tag_end + 1, close - tag_end - 1), options,
                           article, warning);
    }
    if (error) {
      MORGUE_RETURN_IF_ERROR(reject(line, *error));
    } else {
      SourceLocation where{path, line};
      if (!warning.empty() && sink.warn) sink.warn(where, warning);
      if (sink.accept) sink.accept(std::move(article), where);
    }
    open = next_open;
  }
  if (!any_record && sink.skip_file) sink.skip_file(path, "no <REUTERS> records in the file");
  return Status::ok();
}

bool looks_like_reuters_sgml(std::string_view head) {
  if (head.starts_with("\xEF\xBB\xBF")) head.remove_prefix(3);
  head = trim(head);
  // Markup must come first, so a JSON Lines or text file that merely quotes the tag in a
  // story is not mistaken for SGML.
  return head.starts_with('<') && find_open_tag(head, 0) != std::string_view::npos;
}

}  // namespace morgue
