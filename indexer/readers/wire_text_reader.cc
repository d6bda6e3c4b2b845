// A plain-text wire story: optional "Key: value" header block, headline, optional photo
// caption, byline, a dateline opening the body ("WASHINGTON (Reuters) -"), body paragraphs,
// and an optional closing credits line. docs/INPUT.md describes it for users.
#include "indexer/readers/wire_text_reader.h"

#include <fmt/format.h>

#include <filesystem>

#include "common/analysis/utf8.h"
#include "common/article/article_json.h"
#include "common/base/time.h"

namespace morgue {
namespace {

// Datelines and bylines are near the top: a story whose first paragraphs hold neither is
// not recognised as one.
constexpr size_t kDatelineSearchParagraphs = 12;

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }

// Paragraphs separated by blank lines, lines inside one joined by a space, with the line
// number each starts on.
struct Paragraph {
  std::string text;
  uint64_t line;
};

std::vector<Paragraph> split_paragraphs(std::string_view text, uint64_t first_line) {
  std::vector<Paragraph> out;
  uint64_t line = first_line;
  bool open = false;
  while (!text.empty()) {
    size_t end = text.find('\n');
    std::string_view l = trim(text.substr(0, end));
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    if (l.empty()) {
      open = false;
    } else if (open) {
      out.back().text += ' ';
      out.back().text += l;
    } else {
      out.push_back({std::string(l), line});
      open = true;
    }
    ++line;
  }
  return out;
}

const char* const kHeaderKeys[] = {"date", "source", "id", "version", "headline", "byline",
                                   "dateline", "topics", "people", "orgs", "places", "language"};

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (is_upper(c)) c = static_cast<char>(c - 'A' + 'a');
  return out;
}

// "Key: value" with a known key, or nullopt.
std::optional<std::pair<std::string, std::string_view>> header_line(std::string_view line) {
  size_t colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon > 20) return std::nullopt;
  std::string key = lower(trim(line.substr(0, colon)));
  for (const char* known : kHeaderKeys)
    if (key == known) return std::pair(key, trim(line.substr(colon + 1)));
  return std::nullopt;
}

std::vector<std::string> split_list(std::string_view s) {
  std::vector<std::string> out;
  char sep = s.find(';') != std::string_view::npos ? ';' : ',';
  while (!s.empty()) {
    size_t end = s.find(sep);
    std::string_view item = trim(s.substr(0, end));
    if (!item.empty()) out.emplace_back(item);
    s.remove_prefix(end == std::string_view::npos ? s.size() : end + 1);
  }
  return out;
}

struct Dateline {
  std::string place_text;  // "WASHINGTON", "GAZA CITY, Gaza Strip"
  std::string agency;      // "Reuters"
  size_t body_start = 0;   // offset of the text after the dash
};

// Recognises "PLACE (Agency) -" at the start of a paragraph; the dash may be -, – or — and
// need not be followed by a space ("(Reuters) -Israeli officials ...").
std::optional<Dateline> parse_dateline(std::string_view p) {
  size_t open = p.find(" (");
  if (open == std::string_view::npos || open == 0 || open > 80) return std::nullopt;
  std::string_view place = p.substr(0, open);
  std::string_view first_part = place.substr(0, place.find(','));
  int letters = 0;
  for (char c : first_part) {
    if (is_upper(c)) {
      ++letters;
    } else if (!(c == ' ' || c == '.' || c == '\'' || c == '-' ||
                 static_cast<unsigned char>(c) >= 0x80)) {
      return std::nullopt;
    }
  }
  if (letters < 2) return std::nullopt;
  size_t close = p.find(')', open);
  if (close == std::string_view::npos || close - open > 40) return std::nullopt;
  std::string_view agency = trim(p.substr(open + 2, close - open - 2));
  if (agency.empty()) return std::nullopt;
  std::string_view rest = p.substr(close + 1);
  size_t at = 0;
  while (at < rest.size() && rest[at] == ' ') ++at;
  size_t dash = 0;
  if (rest.substr(at).starts_with("-")) {
    dash = 1;
  } else if (rest.substr(at).starts_with("\u2013") || rest.substr(at).starts_with("\u2014")) {
    dash = 3;
  } else {
    return std::nullopt;
  }
  at += dash;
  while (at < rest.size() && rest[at] == ' ') ++at;
  return Dateline{std::string(trim(place)), std::string(agency), close + 1 + at};
}

// "NEW YORK" -> "New York"; non-ASCII bytes are kept as they are.
std::string title_case(std::string_view s) {
  std::string out(s);
  bool start = true;
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z' && !start) c = static_cast<char>(c - 'A' + 'a');
    start = c == ' ' || c == '-';
  }
  return out;
}

bool is_byline(std::string_view p) { return p.starts_with("By ") && p.size() < 200; }

std::vector<std::string> authors_of(std::string_view byline) {
  std::string names(byline.substr(3));
  for (std::string_view joiner : {" and ", " & "}) {
    for (size_t at = names.find(joiner); at != std::string::npos; at = names.find(joiner))
      names.replace(at, joiner.size(), ",");
  }
  return split_list(names);
}

bool is_credits(std::string_view p) {
  return p.starts_with("(") && p.ends_with(")") &&
         (p.find("Reporting") != std::string_view::npos ||
          p.find("Editing") != std::string_view::npos || p.find("Writing") != std::string_view::npos);
}

Status apply_header(const std::string& key, std::string_view value, Article& a) {
  if (key == "date") {
    auto date = parse_iso8601(value);
    if (!date) return Status::parse_error(fmt::format("Date: \"{}\" is not an ISO 8601 date", value));
    a.published = *date;
  } else if (key == "source") {
    a.source = value;
  } else if (key == "id") {
    a.id = value;
  } else if (key == "version") {
    char* end = nullptr;
    std::string v(value);
    long long n = std::strtoll(v.c_str(), &end, 10);
    if (v.empty() || *end != '\0') return Status::parse_error("Version: expected an integer");
    a.version = n;
  } else if (key == "headline") {
    a.headline = value;
  } else if (key == "byline") {
    a.byline = value;
  } else if (key == "dateline") {
    a.dateline = value;
  } else if (key == "language") {
    a.language = value;
  } else if (key == "topics") {
    a.topics = split_list(value);
  } else {
    EntityType type = key == "people" ? EntityType::kPerson
                      : key == "orgs" ? EntityType::kOrg
                                      : EntityType::kPlace;
    for (std::string& name : split_list(value)) a.entities.push_back({type, std::move(name)});
  }
  return Status::ok();
}

}  // namespace

bool looks_like_wire_text(std::string_view content) {
  std::string_view first_line = content.substr(0, content.find('\n'));
  if (first_line.starts_with("\xEF\xBB\xBF")) first_line.remove_prefix(3);
  if (auto h = header_line(trim(first_line))) {
    if (h->first == "date" || h->first == "source" || h->first == "id" || h->first == "headline")
      return true;
  }
  std::vector<Paragraph> paragraphs = split_paragraphs(content.substr(0, 64 << 10), 1);
  for (size_t i = 0; i < paragraphs.size() && i < kDatelineSearchParagraphs; ++i)
    if (parse_dateline(paragraphs[i].text)) return true;
  return false;
}

Status read_wire_text(std::string_view path, std::string_view content, const ReadOptions& options,
                      const ArticleSink& sink) {
  std::string text(content);
  if (std::string_view(text).starts_with("\xEF\xBB\xBF")) text.erase(0, 3);
  if (size_t bad = repair_utf8(text); bad > 0 && sink.warn) {
    sink.warn({path, 1}, fmt::format("invalid UTF-8 replaced by U+FFFD ({} place{})", bad,
                                     bad == 1 ? "" : "s"));
  }
  Article a;
  auto reject = [&](uint64_t line, std::string_view reason) {
    if (sink.reject) sink.reject({path, line}, reason);
    return options.strict ? Status::parse_error(fmt::format("{}:{}: {}", path, line, reason))
                          : Status::ok();
  };

  // The header block: "Key: value" lines up to the first blank line.
  std::string_view rest = text;
  uint64_t line = 1;
  if (header_line(trim(rest.substr(0, rest.find('\n'))))) {
    while (!rest.empty()) {
      size_t end = rest.find('\n');
      std::string_view l = trim(rest.substr(0, end));
      rest.remove_prefix(end == std::string_view::npos ? rest.size() : end + 1);
      ++line;
      if (l.empty()) break;
      auto h = header_line(l);
      if (!h) return reject(line - 1, fmt::format("header line \"{}\" is not \"Key: value\"", l));
      Status s = apply_header(h->first, h->second, a);
      if (!s.is_ok()) return reject(line - 1, s.message());
    }
  }

  std::vector<Paragraph> paragraphs = split_paragraphs(rest, line);
  size_t i = 0;
  if (a.headline.empty()) {
    if (paragraphs.empty()) return reject(line, "no text");
    a.headline = paragraphs[i++].text;
  }
  // Caption and byline come before the dateline paragraph, which opens the body. Without a
  // dateline, everything after the headline (and byline) is body.
  std::vector<std::string> captions;
  size_t body_from = i;
  for (size_t j = i; j < paragraphs.size() && j < i + kDatelineSearchParagraphs; ++j) {
    const std::string& p = paragraphs[j].text;
    if (is_byline(p)) {
      if (a.byline.empty()) a.byline = p;
      continue;
    }
    if (auto d = parse_dateline(p)) {
      if (a.dateline.empty()) a.dateline = d->place_text;
      std::string place = title_case(d->place_text.substr(0, d->place_text.find(',')));
      a.entities.push_back({EntityType::kPlace, place});
      if (a.source.empty()) a.source = d->agency;
      paragraphs[j].text.erase(0, d->body_start);
      for (size_t k = i; k < j; ++k)
        if (!is_byline(paragraphs[k].text)) captions.push_back(paragraphs[k].text);
      body_from = j;
      break;
    }
  }
  if (body_from == i && i < paragraphs.size() && is_byline(paragraphs[i].text)) ++body_from;
  if (!a.byline.empty()) a.authors = authors_of(a.byline);
  std::string credits;
  size_t body_end = paragraphs.size();
  if (body_end > body_from && is_credits(paragraphs[body_end - 1].text))
    credits = paragraphs[--body_end].text;
  for (size_t k = body_from; k < body_end; ++k) {
    if (!a.body.empty()) a.body += "\n\n";
    a.body += paragraphs[k].text;
  }
  if (!captions.empty()) {
    std::string json;
    append_json_string(json, captions.size() == 1 ? captions[0] : fmt::format("{}", fmt::join(captions, " ")));
    a.extra.push_back({"caption", json});
  }
  if (!credits.empty()) {
    std::string json;
    append_json_string(json, credits);
    a.extra.push_back({"credits", json});
  }
  if (a.id.empty()) {
    a.id = !options.default_id.empty() ? options.default_id
                                       : std::filesystem::path(std::string(path)).stem().string();
  }
  if (!a.published) a.published = options.default_published;
  if (a.source.empty()) a.source = options.default_source;
  if (sink.accept) sink.accept(std::move(a), {path, 1});
  return Status::ok();
}

}  // namespace morgue
