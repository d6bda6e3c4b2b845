// The analysis pipeline: surface tokens with positions, and their stems.
#include <catch2/catch.hpp>

#include <map>
#include <optional>
#include <random>
#include <set>

#include "common/analysis/analyzer.h"
#include "common/analysis/article_terms.h"
#include "common/analysis/field_terms.h"
#include "common/analysis/folding.h"

using namespace morgue;

TEST_CASE("analysis gives folded surface words with positions and their stems", "[analyzer]") {
  Analyzer analyzer;
  std::vector<AnalyzedToken> out;
  uint32_t next = analyzer.analyze("Israel’s officials AGREED", 3, out);
  REQUIRE(out.size() == 3);
  CHECK(next == 6);
  CHECK(out[0].surface.text == "israel");
  CHECK(out[0].stem == "israel");
  CHECK(out[1].surface.text == "officials");
  CHECK(out[1].stem == "offici");
  CHECK(out[2].surface.position == 5);
  CHECK(out[2].stem == "agre");
}

TEST_CASE("an article's terms: text, headline, stems, filters and the length", "[analyzer]") {
  Article a;
  a.id = "story-1";
  a.headline = "Rafah talks";
  a.body = "Talks on Rafah.";
  a.source = "Reuters";
  a.topics = {"crude"};
  a.entities = {{EntityType::kPlace, "El Salvador"}, {EntityType::kPerson, "Joe Biden"}};
  a.authors = {"Steve Holland"};
  Analyzer analyzer;
  ArticleTerms terms;
  article_terms(a, analyzer, terms);
  auto find = [&](std::string_view term) -> const TermOccurrences* {
    for (const auto& t : terms.terms)
      if (terms.term(t) == term) return &t;
    return nullptr;
  };
  // "rafah": headline position 0 (wdf 2) and body position 2 + 10 + 2 = 14 (wdf 1).
  REQUIRE(find("rafah"));
  CHECK(find("rafah")->wdf == kHeadlineWdf + 1);
  auto positions = [&](std::string_view term) {
    std::span<const uint32_t> p = terms.positions_of(*find(term));
    return std::vector<uint32_t>(p.begin(), p.end());
  };
  CHECK(positions("rafah") == std::vector<uint32_t>{0, 2 + kFieldPositionGap + 2});
  REQUIRE(find("Ztalk"));
  CHECK(find("Ztalk")->wdf == kHeadlineWdf + 1);
  CHECK(positions("Ztalk").empty());
  REQUIRE(find("Stalks"));
  CHECK(positions("Stalks") == std::vector<uint32_t>{1});
  REQUIRE(find("ZSrafah"));
  CHECK(find("ZSrafah")->wdf == 1);
  for (const char* filter : {"Lel-salvador", "Eel-salvador", "Pjoe-biden", "Ejoe-biden",
                             "Tcrude", "Ureuters", "Asteve-holland", "Qstory-1"}) {
    CAPTURE(filter);
    REQUIRE(find(filter));
    CHECK(find(filter)->wdf == 0);
  }
  // doclen = text words (2 headline x 2 + 3 body) x 2 (surface + stem) + headline field
  // words 2 x 2.
  CHECK(terms.doclen == (2 * kHeadlineWdf + 3) * 2 + 2 * 2);
  // Each term once, in the order of its first occurrence: the headline's first word under
  // its four prefixes, ..., the id last.
  std::set<std::string> distinct;
  for (const auto& t : terms.terms) CHECK(distinct.insert(std::string(terms.term(t))).second);
  REQUIRE(terms.terms.size() >= 4);
  CHECK(terms.term(terms.terms[0]) == "rafah");
  CHECK(terms.term(terms.terms[1]) == "Zrafah");
  CHECK(terms.term(terms.terms.back()) == "Qstory-1");
}

TEST_CASE("an article's terms group like a map of its tokens, on words sharing long prefixes",
          "[analyzer]") {
  // Words that share their first 8 bytes or are prefixes of one another, and bytes above
  // 0x7f (folding keeps Cyrillic, not accents), so that grouping must tell terms apart by
  // every byte and by length.
  const std::vector<std::string> vocabulary = {
      "a",          "ab",         "abcdefg",    "abcdefgh",   "abcdefghi", "abcdefghij",
      "abcdefgz",   "abcdefgha",  "zzzzzzzz",   "zzzzzzzzz",  "élan",      "élanvital",
      "éléphants",  "elan",       "running",    "runner",     "runs",      "abcdefghijklmnop",
      "abб",        "ac",         "москва",     "мост"};
  std::mt19937 rng(1205);
  Analyzer analyzer;
  for (int round = 0; round < 200; ++round) {
    Article a;
    a.id = "id-" + std::to_string(round);
    // Every tenth article is long enough (up to 3,000 words) that the analysis releases
    // the buffers it keeps between articles, and holds enough distinct words (up to 2,000
    // more, all with the same first 8 bytes, so that their lookups meet in the grouping
    // table) that the table grows; the next must group as well.
    bool long_article = round % 10 == 9;
    size_t words = 1 + rng() % (long_article ? 3000 : 300);
    // Other articles take a third of their words from the short words of three letters
    // (up to 8 of them, 9,840 words): they differ from one another in a single byte at
    // every place and length, and the grouping tells terms of up to 8 bytes apart by their
    // leading bytes alone.
    auto short_word = [&] {
      std::string word(1 + rng() % 8, 'q');
      for (char& c : word) c = "qxk"[rng() % 3];
      return word;
    };
    for (size_t i = 0; i < words; ++i) {
      a.body += long_article && i % 2 ? "sameprefix" + std::to_string(rng() % 2000)
                : !long_article && i % 3 == 0 ? short_word()
                                              : vocabulary[rng() % vocabulary.size()];
      a.body += " ";
    }
    // Headline words repeat the body's under two prefixes each, and topics repeat too.
    for (size_t i = 0, n = rng() % 6; i < n; ++i)
      a.headline += vocabulary[rng() % vocabulary.size()] + " ";
    for (size_t i = 0, n = rng() % 4; i < n; ++i)
      a.topics.push_back(round % 2 ? "crude" : vocabulary[rng() % 3]);
    ArticleTerms terms;
    article_terms(a, analyzer, terms);

    // The oracle: the same tokens grouped in a std::map, and the order in which each term
    // first occurred.
    struct Expected {
      uint32_t wdf = 0;
      std::vector<uint32_t> positions;
    };
    std::map<std::string, Expected> expected;
    std::vector<std::string> first_seen;
    uint32_t doclen = 0;
    auto expect = [&](std::string term, uint32_t wdf, std::optional<uint32_t> position) {
      if (!expected.contains(term)) first_seen.push_back(term);
      Expected& t = expected[std::move(term)];
      t.wdf += wdf;
      doclen += wdf;
      if (position) t.positions.push_back(*position);
    };
    std::vector<AnalyzedToken> tokens;
    uint32_t next = analyzer.analyze(a.headline, 0, tokens);
    for (const AnalyzedToken& t : tokens) {
      expect(make_term(prefix::kText, t.surface.text), kHeadlineWdf, t.surface.position);
      expect(make_term(prefix::kTextStem, t.stem), kHeadlineWdf, std::nullopt);
      expect(make_term(prefix::kHeadline, t.surface.text), 1, t.surface.position);
      expect(make_term(prefix::kHeadlineStem, t.stem), 1, std::nullopt);
    }
    tokens.clear();
    analyzer.analyze(a.body, next + kFieldPositionGap, tokens);
    for (const AnalyzedToken& t : tokens) {
      expect(make_term(prefix::kText, t.surface.text), 1, t.surface.position);
      expect(make_term(prefix::kTextStem, t.stem), 1, std::nullopt);
    }
    for (const std::string& topic : a.topics)
      expect(make_term(prefix::kTopic, normalize_name(topic)), 0, std::nullopt);
    expect(make_term(prefix::kId, a.id), 0, std::nullopt);
    CAPTURE(round, a.headline, a.body);
    REQUIRE(terms.terms.size() == expected.size());
    for (size_t i = 0; i < first_seen.size(); ++i) {
      const Expected& want = expected[first_seen[i]];
      const TermOccurrences& got = terms.terms[i];
      CHECK(terms.term(got) == first_seen[i]);
      CHECK(got.hash == short_key_hash(first_seen[i]));
      CHECK(got.wdf == want.wdf);
      std::span<const uint32_t> got_positions = terms.positions_of(got);
      CHECK(std::vector<uint32_t>(got_positions.begin(), got_positions.end()) == want.positions);
    }
    CHECK(terms.doclen == doclen);
  }
}
