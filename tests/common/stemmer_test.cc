// Stems from libstemmer's Snowball English (Porter2) algorithm, checked against known
// outputs of that algorithm, including its exception lists.
#include <catch2/catch.hpp>
#include <libstemmer.h>

#include <random>
#include <string>
#include <vector>

#include "common/analysis/stemmer.h"

using namespace morgue;

TEST_CASE("stems agree with the Snowball English algorithm", "[stemmer]") {
  const std::pair<const char*, const char*> pairs[] = {
      {"running", "run"},         {"generously", "generous"}, {"consignment", "consign"},
      {"abandoned", "abandon"},   {"caresses", "caress"},     {"ponies", "poni"},
      {"ties", "tie"},            {"cats", "cat"},            {"happiness", "happi"},
      {"relational", "relat"},    {"conditional", "condit"},  {"rational", "ration"},
      {"hopefully", "hope"},      {"connection", "connect"},  {"connected", "connect"},
      {"connecting", "connect"},  {"connections", "connect"}, {"knightly", "knight"},
      {"agreed", "agre"},         {"killed", "kill"},         {"meeting", "meet"},
      {"gently", "gentl"},        {"offensive", "offens"},    {"president", "presid"},
      {"national", "nation"},     {"traditional", "tradit"},  {"dogs", "dog"},
      // Porter2's exception lists
      {"skies", "sky"},           {"dying", "die"},           {"lying", "lie"},
      {"tying", "tie"},           {"news", "news"},           {"ugly", "ugli"},
      {"early", "earli"},         {"only", "onli"},           {"singly", "singl"},
      {"idly", "idl"},            {"inning", "inning"},       {"proceed", "proceed"},
      {"exceed", "exceed"},       {"herring", "herring"},     {"atlas", "atlas"},
      {"cosmos", "cosmos"},       {"bias", "bias"},           {"andes", "andes"},
  };
  Stemmer stemmer;
  for (const auto& [word, stem] : pairs) {
    CAPTURE(word);
    CHECK(stemmer.stem(word) == stem);
  }
}

TEST_CASE("stems agree with the Snowball English sample vocabulary", "[stemmer]") {
  // From snowballstem.org's English page and its voc.txt/output.txt, including the
  // special R1 prefixes (gener, commun, arsen) and the "short syllable" rule (knave).
  const std::pair<const char*, const char*> pairs[] = {
      {"consign", "consign"},         {"consigned", "consign"},
      {"consigning", "consign"},      {"consistency", "consist"},
      {"consistently", "consist"},    {"consolation", "consol"},
      {"consolatory", "consolatori"}, {"consolidated", "consolid"},
      {"consolingly", "consol"},      {"consonant", "conson"},
      {"conspicuously", "conspicu"},  {"conspiracy", "conspiraci"},
      {"conspirator", "conspir"},     {"constable", "constabl"},
      {"constancy", "constanc"},      {"constant", "constant"},
      {"knackeries", "knackeri"},     {"kneaded", "knead"},
      {"kneeling", "kneel"},          {"knees", "knee"},
      {"knave", "knave"},             {"knavish", "knavish"},
      {"knitting", "knit"},           {"knives", "knive"},
      {"knocker", "knocker"},         {"knocking", "knock"},
      {"general", "general"},         {"generally", "general"},
      {"arsenal", "arsenal"},         {"communication", "communic"},
      {"communities", "communiti"},   {"generation", "generat"},
      {"generosity", "generos"},      {"skis", "ski"},
      {"succeed", "succeed"},         {"canning", "canning"},
      {"hopping", "hop"},             {"hoping", "hope"},
      {"filing", "file"},             {"fitted", "fit"},
  };
  Stemmer stemmer;
  for (const auto& [word, stem] : pairs) {
    CAPTURE(word);
    CHECK(stemmer.stem(word) == stem);
  }
}

TEST_CASE("numbers are not stemmed", "[stemmer]") {
  Stemmer stemmer;
  CHECK(stemmer.stem("1980s") == "1980s");
  CHECK(stemmer.stem("32000") == "32000");
  CHECK(stemmer.stem("") == "");
  std::string number = "1980s";
  CHECK(stemmer.stem_view(number).data() == number.data());  // the word itself, no copy
}

TEST_CASE("a moved stemmer keeps working", "[stemmer]") {
  Stemmer a;
  Stemmer b = std::move(a);
  CHECK(b.stem("running") == "run");
}

TEST_CASE("cached stems agree with Snowball's own, through evictions and long words",
          "[stemmer]") {
  // The oracle: libstemmer called directly, with nothing cached.
  sb_stemmer* snowball = sb_stemmer_new("english", "UTF_8");
  REQUIRE(snowball);
  auto snowball_stem = [&](const std::string& word) {
    const sb_symbol* out = sb_stemmer_stem(
        snowball, reinterpret_cast<const sb_symbol*>(word.data()), static_cast<int>(word.size()));
    return std::string(reinterpret_cast<const char*>(out),
                       static_cast<size_t>(sb_stemmer_length(snowball)));
  };
  // 200,000 words, three times the cache's 65,536 entries, some longer than it keeps (and many
  // of exactly its 15 bytes or one more), some with two-byte UTF-8 letters; drawn with
  // repeats so that most lookups find their word cached and many evict another.
  std::mt19937 rng(4242);
  const char* suffixes[] = {"", "s", "ing", "ed", "ly", "ness", "ation", "ies", "ational"};
  std::vector<std::string> words;
  for (int i = 0; i < 200'000; ++i) {
    std::string w;
    size_t length = 1 + rng() % (i % 50 == 0 ? 30 : 9);
    for (size_t k = 0; k < length; ++k) w += static_cast<char>('a' + rng() % 26);
    if (i % 7 == 0) w.insert(rng() % w.size(), "\xC3\xA9");  // é
    words.push_back(w + suffixes[rng() % std::size(suffixes)]);
  }
  Stemmer stemmer;
  size_t mismatches = 0;
  for (int i = 0; i < 400'000; ++i) {
    // Squaring a uniform draw favours the first words, as a vocabulary's frequencies do.
    double u = std::uniform_real_distribution<double>(0, 1)(rng);
    const std::string& word = words[static_cast<size_t>(u * u * words.size())];
    // Half the lookups through stem_view(), which returns the cache's or libstemmer's bytes.
    std::string stem = i % 2 ? stemmer.stem(word) : std::string(stemmer.stem_view(word));
    if (stem != snowball_stem(word)) ++mismatches;
  }
  CHECK(mismatches == 0);
  sb_stemmer_delete(snowball);
}
