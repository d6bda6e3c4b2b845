// Tests for the Reuters-21578 SGML reader: the whole shared corpus, spot checks of real
// stories, and small synthetic inputs for decoding and malformed records.
#include "indexer/readers/reuters_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <map>
#include <random>
#include <sstream>

#include "common/analysis/utf8.h"
#include "common/base/time.h"
#include "tests/support/paths.h"

namespace morgue::testing {
namespace {

struct Outcome {
  std::vector<std::pair<Article, uint64_t>> articles;  // with the line each starts on
  std::vector<std::pair<uint64_t, std::string>> rejects;
  std::vector<std::pair<uint64_t, std::string>> warnings;
  std::vector<std::string> skipped;
  Status status;
};

Outcome read(std::string_view content, const ReadOptions& options = {},
             std::string_view path = "t.sgm") {
  Outcome out;
  ArticleSink sink;
  sink.accept = [&](Article&& a, const SourceLocation& at) {
    CHECK(at.path == path);
    out.articles.emplace_back(std::move(a), at.line);
  };
  sink.reject = [&](const SourceLocation& at, std::string_view why) {
    out.rejects.emplace_back(at.line, std::string(why));
  };
  sink.warn = [&](const SourceLocation& at, std::string_view why) {
    out.warnings.emplace_back(at.line, std::string(why));
  };
  sink.skip_file = [&](std::string_view, std::string_view note) { out.skipped.emplace_back(note); };
  out.status = read_reuters_sgml(path, content, options, sink);
  return out;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::string corpus_file(int n) {
  return shared_path(fmt::format("corpus/reuters21578/reut2-{:03}.sgm", n));
}

// No C0 control but newline and tab, no DEL, no C1 control (U+0080..U+009F in UTF-8).
bool has_control(std::string_view s) {
  for (size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7F) return true;
    if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) < 0xA0) return true;
  }
  return false;
}

void check_clean(const Article& a) {
  for (const std::string* s : {&a.id, &a.headline, &a.dateline, &a.byline, &a.body}) {
    CHECK_FALSE(find_invalid_utf8(*s).has_value());
    CHECK_FALSE(has_control(*s));
  }
  for (const Entity& e : a.entities) CHECK_FALSE(find_invalid_utf8(e.name).has_value());
  for (const std::string& t : a.topics) CHECK_FALSE(find_invalid_utf8(t).has_value());
}

// The whole corpus, read once and shared by the tests that look at real stories.
struct Corpus {
  std::map<std::string, Article> by_id;
  size_t articles = 0;
  std::vector<std::string> rejects;
  std::vector<std::pair<std::string, std::string>> warnings;  // id, note
};

const Corpus& corpus() {
  static const Corpus* loaded = [] {
    auto* c = new Corpus;
    for (int n = 0; n < 22; ++n) {
      std::string path = corpus_file(n);
      Outcome o = read(slurp(path), {}, path);
      REQUIRE(o.status.is_ok());
      for (auto& [line, why] : o.rejects) {
        c->rejects.push_back(fmt::format("{}:{}: {}", path, line, why));
      }
      for (auto& [a, line] : o.articles) {
        for (auto& [wline, note] : o.warnings) {
          if (wline == line) c->warnings.emplace_back(a.id, note);
        }
        std::string id = a.id;
        c->by_id.emplace(std::move(id), std::move(a));
        ++c->articles;
      }
    }
    return c;
  }();
  return *loaded;
}

const Article& story(const std::string& id) {
  auto it = corpus().by_id.find(id);
  REQUIRE(it != corpus().by_id.end());
  return it->second;
}

std::vector<std::string> names(const Article& a, EntityType type) {
  std::vector<std::string> out;
  for (const Entity& e : a.entities) {
    if (e.type == type) out.push_back(e.name);
  }
  return out;
}

std::string record(std::string_view newid_attr, std::string_view date, std::string_view text) {
  return fmt::format(
      "<REUTERS TOPICS=\"NO\" LEWISSPLIT=\"TRAIN\" CGISPLIT=\"TRAINING-SET\" OLDID=\"7\" {}>\n"
      "<DATE>{}</DATE>\n<TOPICS></TOPICS>\n<PLACES><D>usa</D></PLACES>\n<PEOPLE></PEOPLE>\n"
      "<ORGS></ORGS>\n<EXCHANGES></EXCHANGES>\n<COMPANIES></COMPANIES>\n<TEXT>&#2;\n{}</TEXT>\n"
      "</REUTERS>\n",
      newid_attr, date, text);
}

std::string good(int id, std::string_view body = "Some text.\n Reuter\n&#3;") {
  return record(fmt::format("NEWID=\"{}\"", id), "26-FEB-1987 15:01:01.79",
                fmt::format("<TITLE>T{}</TITLE>\n<BODY>{}</BODY>", id, body));
}

// 1-based line of every "<REUTERS" start tag in `text`: the name then a blank, '>' or the end.
std::vector<uint64_t> open_lines(std::string_view text) {
  std::vector<uint64_t> lines;
  uint64_t line = 1;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n') ++line;
    if (text.substr(i, 8) != "<REUTERS") continue;
    if (i + 8 == text.size() ||
        std::string_view(" \t\n\r\f>").find(text[i + 8]) != std::string_view::npos) {
      lines.push_back(line);
    }
  }
  return lines;
}

// NEWID 12793 (reut2-012.sgm line 25983) is an UNPROC story whose <TEXT> holds nothing but
// the &#2; and &#3; control marks. It is still one of the collection's 21,578 stories: it is
// read (its date, places and topics are searchable) with a warning that it has no text.
TEST_CASE("reuters: the 22 corpus files give exactly the 21,578 stories, ids 1..21578",
          "[reuters]") {
  const Corpus& c = corpus();
  CHECK(c.articles == 21578);
  REQUIRE(c.by_id.size() == 21578);
  CHECK(c.rejects.empty());
  for (int id = 1; id <= 21578; ++id) {
    CAPTURE(id);
    auto it = c.by_id.find(std::to_string(id));
    REQUIRE(it != c.by_id.end());
    const Article& a = it->second;
    CHECK((id == 12793 || !a.headline.empty() || !a.body.empty()));
    CHECK(a.published.has_value());
    CHECK(a.source == "Reuters");
    CHECK(a.body.find("&#") == std::string::npos);
    check_clean(a);
  }
  const Article& empty = c.by_id.at("12793");
  CHECK(empty.headline.empty());
  CHECK(empty.body.empty());
}

TEST_CASE("reuters: NEWID 1 is the Bahia cocoa review with date, dateline, places and topic",
          "[reuters]") {
  const Article& a = story("1");
  REQUIRE(a.published.has_value());
  CHECK(format_iso8601(*a.published) == "1987-02-26T15:01:01Z");
  CHECK(a.headline == "BAHIA COCOA REVIEW");
  CHECK(a.dateline == "SALVADOR, Feb 26");
  CHECK(names(a, EntityType::kPlace) == std::vector<std::string>{"el-salvador", "usa", "uruguay"});
  CHECK(a.entities.size() == 3);
  CHECK(a.topics == std::vector<std::string>{"cocoa"});
  CHECK(a.body.starts_with("Showers continued throughout the week in\nthe Bahia cocoa zone"));
  CHECK(a.body.find("&#3;") == std::string::npos);
  CHECK_FALSE(has_control(a.body));
  CHECK(a.extra == std::vector<ExtraField>{{"oldid", "5544"}, {"lewissplit", "\"TRAIN\""}});
}

TEST_CASE("reuters: the Reuter sign-off is cut from the end of a body", "[reuters]") {
  const Article& a = story("1");
  CHECK(a.body.ends_with("after\ncarnival which ends midday on February 27."));
  CHECK(a.body.find("Reuter") == std::string::npos);
}

TEST_CASE("reuters: NEWID 419 has people, orgs, places and an author byline", "[reuters]") {
  const Article& a = story("419");
  CHECK(format_iso8601(*a.published) == "1987-03-02T09:43:38Z");
  CHECK(a.headline == "BRAZIL CRITICISES ADVISORY COMMITTEE STRUCTURE");
  CHECK(a.byline == "By Sandy Critchley, Reuters");
  CHECK(a.dateline == "LONDON, March 2");
  CHECK(names(a, EntityType::kPlace) == std::vector<std::string>{"uk", "brazil", "usa", "japan"});
  CHECK(names(a, EntityType::kPerson) ==
        std::vector<std::string>{"leigh-pemberton", "conable", "camdessus"});
  CHECK(names(a, EntityType::kOrg) == std::vector<std::string>{"imf", "worldbank"});
  CHECK(a.topics.empty());
  CHECK(a.body.starts_with("Brazil is not happy with the existing\nstructure"));
  // "country's&#127;ate" in the source: the DEL is line noise and goes.
  CHECK(a.body.find("country'sate of inflation") != std::string::npos);
}

TEST_CASE("reuters: a BRIEF story keeps its title as headline and has no body", "[reuters]") {
  const Article& a = story("30");
  CHECK(a.headline == "ASSETS OF MONEY MARKET MUTUAL FUNDS ROSE 720.4 MLN DLRS IN LATEST WEEK");
  CHECK(a.body.empty());  // not the "Blah blah blah." filler after the title
  CHECK(a.dateline.empty());
  CHECK(format_iso8601(*a.published) == "1987-02-26T15:41:56Z");
  CHECK(a.topics == std::vector<std::string>{"money-supply"});
}

TEST_CASE("reuters: an UNPROC story has its text as body and no headline", "[reuters]") {
  const Article& a = story("99");
  CHECK(a.headline.empty());
  CHECK(a.body.starts_with("FEDERAL RESERVE WEEKLY REPORT 1 - FEB 26\n    Two weeks ended Feb 25"));
  CHECK(a.body.ends_with(" Treasury deposits...........4,208 down......63"));
  CHECK(names(a, EntityType::kPlace) == std::vector<std::string>{"usa"});
  CHECK(a.topics == std::vector<std::string>{"money-supply"});
}

TEST_CASE(
    "reuters: an escaped less-than sign in real text becomes '<', and the Latin-1 byte 0xFC "
    "becomes u-umlaut",
    "[reuters]") {
  CHECK(story("17192").body.find("Kumagai Gumi Co Ltd <KUMT.TOK> is seeking") != std::string::npos);
  CHECK(story("17980").body.find("world economic growth.\xC3\xBCside measures") !=
        std::string::npos);
}

TEST_CASE("reuters: the corpus gives two warnings: a garbled DATE and the empty story",
          "[reuters]") {
  // NEWID 17192: <DATE>31-MAR-1987 605:12:19.12</DATE>, the only such date in the corpus.
  CHECK(format_iso8601(*story("17192").published) == "1987-03-31T00:00:00Z");
  REQUIRE(corpus().warnings.size() == 2);
  CHECK(corpus().warnings[0].first == "12793");
  CHECK_THAT(corpus().warnings[0].second, Catch::Contains("no headline or body"));
  CHECK(corpus().warnings[1].first == "17192");
  CHECK_THAT(corpus().warnings[1].second, Catch::Contains("605:12:19.12"));
}

TEST_CASE("reuters: DATE noise around a good date is ignored", "[reuters]") {
  // All forms below occur in the corpus.
  auto date_of = [](std::string_view date) {
    Outcome o = read(record("NEWID=\"5\"", date, "<TITLE>x</TITLE>"));
    REQUIRE(o.articles.size() == 1);
    CHECK(o.warnings.empty());
    return format_iso8601(*o.articles[0].first.published);
  };
  CHECK(date_of("  3-MAR-1987 00:43:42.82") == "1987-03-03T00:43:42Z");
  CHECK(date_of("3-MAR-1987  09:15:05.40") == "1987-03-03T09:15:05Z");
  CHECK(date_of("27-MAR-1987 00:02:59.13&#5;&#5;&#5;RM") == "1987-03-27T00:02:59Z");
  CHECK(date_of(" 7-APR-1987 16:22:00.0") == "1987-04-07T16:22:00Z");
  CHECK(date_of("9-APR-1987 00:00:00.00    # date added by S Finch as guesswork ") ==
        "1987-04-09T00:00:00Z");
}

TEST_CASE("reuters: character references are decoded and controls dropped", "[reuters]") {
  Outcome o = read(good(1,
                        "a &lt;b&gt; &amp; &quot;c&quot; &apos;d&apos; &#65;&#x42;&#xe9;&#8364;"
                        "&#2;&#5;&#22;&#31;&#127;\x01\r &nbsp; &#xD800; &;\n\tx"));
  REQUIRE(o.articles.size() == 1);
  CHECK(o.articles[0].first.body ==
        "a <b> & \"c\" 'd' AB\xC3\xA9\xE2\x82\xAC &nbsp; &#xD800; &;\n\tx");
}

TEST_CASE("reuters: Latin-1 bytes become UTF-8 in every field", "[reuters]") {
  std::string text =
      record("NEWID=\"9\"", "1-JUN-1987 10:00:00.00",
             "<TITLE>CAF\xC9</TITLE>\n<DATELINE>    S\xC3O PAULO, June 1 - </DATELINE>"
             "<BODY>caf\xE9 cr\xE8me\n Reuter\n&#3;</BODY>");
  Outcome o = read(text);
  REQUIRE(o.articles.size() == 1);
  const Article& a = o.articles[0].first;
  CHECK(a.headline == "CAF\xC3\x89");
  CHECK(a.dateline == "S\xC3\x83O PAULO, June 1");
  CHECK(a.body == "caf\xC3\xA9 cr\xC3\xA8me");
  check_clean(a);
}

TEST_CASE("reuters: sign-off variants are stripped, text that names Reuters is kept", "[reuters]") {
  auto body_of = [](std::string_view body) {
    Outcome o = read(good(1, body));
    REQUIRE(o.articles.size() == 1);
    return o.articles[0].first.body;
  };
  CHECK(body_of("Text.\n REUTER\n&#3;") == "Text.");
  CHECK(body_of("Text.\n reuter...^M\n&#3;\n\n") == "Text.");
  CHECK(body_of("Text.\n    REUTERS\n&#3;") == "Text.");
  CHECK(body_of("Gold futures remained idle. REUTER\n&#3;") == "Gold futures remained idle.");
  CHECK(body_of("He told Reuters.\n&#3;") == "He told Reuters.");
  CHECK(body_of("He told Reuters\n&#3;") == "He told Reuters");
  CHECK(body_of("Text.\n More\n&#3;") == "Text.\n More");
  CHECK(body_of("Note: period ended January 31.\nREUTER\n Reuter\n&#3;") ==
        "Note: period ended January 31.");  // signed twice, as NEWID 1853 is
}

TEST_CASE("reuters: malformed records are rejected with their line, the rest are read",
          "[reuters]") {
  std::string text = "<!DOCTYPE lewis SYSTEM \"lewis.dtd\">\n" + good(1) +
                     record("OLDID=\"3\"", "26-FEB-1987 15:01:01.79", "<TITLE>x</TITLE>") +
                     record("NEWID=\"3\"", "31-FEB-1987 10:00:00.00", "<TITLE>x</TITLE>") +
                     record("NEWID=\"4\"", "yesterday", "<TITLE>x</TITLE>") +
                     record("NEWID=\"x5\"", "1-MAR-1987", "<TITLE>x</TITLE>") +
                     record("NEWID=\"6\"", "1-MAR-1987 10:00:00", "&#3;  \n") +
                     "<REUTERS NEWID=\"7\">\n<DATE>1-MAR-1987</DATE>\n" + good(8);
  // good() is 14 lines, record() 11 plus the lines of its text, so the records start at:
  REQUIRE(open_lines(text) == std::vector<uint64_t>{2, 16, 27, 38, 49, 60, 72, 74});
  Outcome o = read(text);
  CHECK(o.status.is_ok());
  // NEWID 6 has no text but is kept, as Reuters' own NEWID 12793 is.
  REQUIRE(o.articles.size() == 3);
  CHECK(o.articles[0].first.id == "1");
  CHECK(o.articles[0].second == 2);
  CHECK(o.articles[1].first.id == "6");
  CHECK(o.articles[1].second == 60);
  CHECK(o.articles[2].first.id == "8");
  CHECK(o.articles[2].second == 74);
  using Reject = std::pair<uint64_t, std::string>;
  CHECK(o.rejects == std::vector<Reject>{
                         {16, "<REUTERS> tag has no NEWID attribute"},
                         {27, "unreadable DATE \"31-FEB-1987 10:00:00.00\""},
                         {38, "unreadable DATE \"yesterday\""},
                         {49, "NEWID \"x5\" is not a number"},
                         {72, "record has no </REUTERS> before the next <REUTERS> at line 74"},
                     });
}

TEST_CASE("reuters: a record without DATE takes the default date, else is rejected", "[reuters]") {
  std::string text = "<REUTERS NEWID=\"4\">\n<TEXT><TITLE>x</TITLE></TEXT>\n</REUTERS>\n";
  Outcome without = read(text);
  CHECK(without.articles.empty());
  CHECK(without.rejects ==
        std::vector<std::pair<uint64_t, std::string>>{{1, "record has no <DATE>"}});
  ReadOptions options;
  options.default_published = 86400;
  Outcome with = read(text, options);
  REQUIRE(with.articles.size() == 1);
  CHECK(with.articles[0].first.published == 86400);
  CHECK(with.articles[0].first.extra.empty());  // no OLDID or LEWISSPLIT to keep
}

TEST_CASE("reuters: a start tag cut off by another tag is rejected", "[reuters]") {
  std::string text = good(1) + "<REUTERS NEWID=\"2\"<DATE>1-MAR-1987</DATE></REUTERS>\n" + good(3);
  Outcome o = read(text);
  CHECK(o.articles.size() == 2);
  CHECK(o.rejects ==
        std::vector<std::pair<uint64_t, std::string>>{{15, "<REUTERS tag is not closed by '>'"}});
}

TEST_CASE("reuters: strict mode stops at the first bad record with path:line", "[reuters]") {
  std::string text = good(1) + record("NEWID=\"2\"", "bad", "<TITLE>x</TITLE>") + good(3);
  ReadOptions strict;
  strict.strict = true;
  Outcome o = read(text, strict, "dir/bad.sgm");
  CHECK(o.status.code() == StatusCode::kParseError);
  CHECK(o.status.message() == "dir/bad.sgm:15: unreadable DATE \"bad\"");
  CHECK(o.articles.size() == 1);
  CHECK(o.rejects.size() == 1);
}

TEST_CASE("reuters: a truncated corpus file reads every whole record and rejects the cut one",
          "[reuters]") {
  std::string content = slurp(corpus_file(0));
  // Cut inside the body of record 500 (NEWID 500 in this file).
  size_t at = content.find("NEWID=\"500\"");
  REQUIRE(at != std::string::npos);
  size_t start = content.rfind("<REUTERS", at);
  uint64_t line =
      1 + static_cast<uint64_t>(std::count(
              content.begin(), content.begin() + static_cast<std::ptrdiff_t>(start), '\n'));
  content.resize(content.find("<BODY>", at) + 100);
  Outcome o = read(content);
  CHECK(o.status.is_ok());
  CHECK(o.articles.size() == 499);
  REQUIRE(o.rejects.size() == 1);
  CHECK(o.rejects[0] == std::pair<uint64_t, std::string>{
                            line, "record has no </REUTERS> before the end of the file"});
}

TEST_CASE("reuters: random garbage never crashes and every <REUTERS gets one outcome",
          "[reuters][property]") {
  uint32_t seed = 20240601;
  if (const char* env = std::getenv("MORGUE_TEST_SEED")) {
    seed = static_cast<uint32_t>(std::atoll(env));
  }
  CAPTURE(seed);
  std::mt19937 rng(seed);
  const std::string valid = good(1, "x &lt; y\n Reuter\n&#3;");
  const std::vector<std::string> pieces = {
      "<REUTERS ", "<REUTERS>", "</REUTERS>", "NEWID=\"", "\"",      ">",
      "<",         "<DATE>",    "</DATE>",    "<TEXT>",   "</TEXT>", "<BODY>",
      "<TITLE>",   "&#",        "&",          ";",        "\n",      "26-FEB-1987 15:01:01",
      valid};
  for (int round = 0; round < 300; ++round) {
    std::string text;
    size_t parts = rng() % 40;
    for (size_t i = 0; i < parts; ++i) {
      if (rng() % 3 == 0) {
        text += static_cast<char>(rng() % 256);
      } else if (rng() % 5 == 0) {
        text += valid.substr(rng() % valid.size(), rng() % 60);
      } else {
        text += pieces[rng() % pieces.size()];
      }
    }
    CAPTURE(round, text);
    Outcome o = read(text);
    REQUIRE(o.status.is_ok());
    // Each start tag gets exactly one outcome, reported on its own line.
    std::vector<uint64_t> lines;
    for (auto& [a, line] : o.articles) {
      lines.push_back(line);
      CHECK_FALSE(a.id.empty());
      // A story without text is kept (as NEWID 12793 is), but never silently.
      bool warned = std::any_of(o.warnings.begin(), o.warnings.end(),
                                [&, l = line](const auto& w) { return w.first == l; });
      CHECK((!a.headline.empty() || !a.body.empty() || warned));
      check_clean(a);
    }
    for (auto& [line, why] : o.rejects) {
      lines.push_back(line);
      CHECK_FALSE(find_invalid_utf8(why).has_value());
    }
    std::sort(lines.begin(), lines.end());
    CHECK(lines == open_lines(text));
  }
}

TEST_CASE("reuters: a file without records is skipped with a note", "[reuters]") {
  Outcome o = read("<!DOCTYPE lewis SYSTEM \"lewis.dtd\">\n</REUTERS>\nplain text\n");
  CHECK(o.articles.empty());
  CHECK(o.rejects.empty());
  CHECK(o.skipped.size() == 1);
}

TEST_CASE("reuters: looks_like_reuters_sgml wants markup first and a REUTERS tag", "[reuters]") {
  CHECK(looks_like_reuters_sgml("<!DOCTYPE lewis SYSTEM \"lewis.dtd\">\n<REUTERS TOPICS=\"YES\""));
  CHECK(looks_like_reuters_sgml("\xEF\xBB\xBF\n<REUTERS NEWID=\"1\">\n<DATE>"));
  CHECK(looks_like_reuters_sgml(slurp(corpus_file(21)).substr(0, 4096)));
  CHECK_FALSE(looks_like_reuters_sgml("{\"id\":\"1\",\"body\":\"<REUTERS NEWID=1>\"}"));
  CHECK_FALSE(looks_like_reuters_sgml("WASHINGTON (Reuters) - <REUTERS> said"));
  CHECK_FALSE(looks_like_reuters_sgml("<REUTERSX>"));
  CHECK_FALSE(looks_like_reuters_sgml(""));
}

}  // namespace
}  // namespace morgue::testing
