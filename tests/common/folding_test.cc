// Case and accent folding, and the names of entities, topics and sources.
#include <catch2/catch.hpp>

#include "common/analysis/folding.h"

using namespace morgue;

TEST_CASE("folding removes case and accents", "[folding]") {
  CHECK(fold("Rafah") == "rafah");
  CHECK(fold("ÉLYSÉE") == "elysee");
  CHECK(fold("Straße") == "strasse");
  CHECK(fold("ﬁnal") == "final");
  CHECK(fold("Ångström") == "angstrom");
  CHECK(fold("Ωμέγα") == "ωμεγα");
  CHECK(fold("ＡＢＣ") == "abc");  // full-width forms
  CHECK(fold("e\u0301") == "e");  // a decomposed accent
  CHECK(fold("") == "");
}

TEST_CASE("names normalise to one spelling whatever their case and punctuation",
          "[folding]") {
  CHECK(normalize_name("El Salvador") == "el-salvador");
  CHECK(normalize_name("el-salvador") == "el-salvador");
  CHECK(normalize_name("  Joe  Biden ") == "joe-biden");
  CHECK(normalize_name("U.S.") == "u-s");
  CHECK(normalize_name("São Paulo") == "sao-paulo");
  CHECK(normalize_name("--") == "");
  CHECK(normalize_name("Reuters") == "reuters");
  CHECK(normalize_name("N’Guessan") == "n-guessan");
}
