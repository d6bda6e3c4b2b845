// The analysis pipeline: surface tokens with positions, and their stems.
#include <catch2/catch.hpp>

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
