// The analysis pipeline: surface tokens with positions, and their stems.
#include <catch2/catch.hpp>

#include <map>
#include <random>

#include "common/analysis/analyzer.h"
#include "common/analysis/article_terms.h"
#include "common/analysis/field_terms.h"

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
      if (t.term == term) return &t;
    return nullptr;
  };
  // "rafah": headline position 0 (wdf 2) and body position 2 + 10 + 2 = 14 (wdf 1).
  REQUIRE(find("rafah"));
  CHECK(find("rafah")->wdf == kHeadlineWdf + 1);
  CHECK(find("rafah")->positions == std::vector<uint32_t>{0, 2 + kFieldPositionGap + 2});
  REQUIRE(find("Ztalk"));
  CHECK(find("Ztalk")->wdf == kHeadlineWdf + 1);
  CHECK(find("Ztalk")->positions.empty());
  REQUIRE(find("Stalks"));
  CHECK(find("Stalks")->positions == std::vector<uint32_t>{1});
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
  for (size_t i = 1; i < terms.terms.size(); ++i)
    CHECK(terms.terms[i - 1].term < terms.terms[i].term);
}

TEST_CASE("an article's terms group like a map of its tokens, on words sharing long prefixes",
          "[analyzer]") {
  // Words that share their first 8 bytes or are prefixes of one another, and bytes above
  // 0x7f after ASCII ones ("abб" sorts before "ac"; folding keeps Cyrillic, not accents),
  // so that grouping must order by every byte, unsigned, and by length.
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
    // the buffers it keeps between articles; the next must group as well.
    size_t words = 1 + rng() % (round % 10 == 9 ? 3000 : 300);
    for (size_t i = 0; i < words; ++i) a.body += vocabulary[rng() % vocabulary.size()] + " ";
    ArticleTerms terms;
    article_terms(a, analyzer, terms);

    // The oracle: the same tokens grouped in a std::map (bytewise order).
    std::vector<AnalyzedToken> tokens;
    uint32_t next = analyzer.analyze(a.headline, 0, tokens);
    tokens.clear();
    analyzer.analyze(a.body, next + kFieldPositionGap, tokens);
    std::map<std::string, TermOccurrences> expected;
    for (const AnalyzedToken& t : tokens) {
      TermOccurrences& surface = expected[make_term(prefix::kText, t.surface.text)];
      surface.wdf += 1;
      surface.positions.push_back(t.surface.position);
      expected[make_term(prefix::kTextStem, t.stem)].wdf += 1;
    }
    expected[make_term(prefix::kId, a.id)];
    CAPTURE(round, a.body);
    REQUIRE(terms.terms.size() == expected.size());
    size_t i = 0;
    for (auto& [term, occurrences] : expected) {
      occurrences.term = term;
      CHECK(terms.terms[i++] == occurrences);
    }
    CHECK(terms.doclen == 2 * tokens.size());
  }
}
