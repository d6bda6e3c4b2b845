// Writing articles as JSON: escaping and the omission of empty fields.
#include <catch2/catch.hpp>

#include "common/article/article_json.h"

using namespace morgue;

TEST_CASE("JSON strings escape quotes, backslashes and control characters only", "[article-json]") {
  std::string out;
  append_json_string(out, "a\"b\\c\nd\te\x01 é 東");
  CHECK(out == "\"a\\\"b\\\\c\\nd\\te\\u0001 é 東\"");
}

TEST_CASE("an article's JSON omits empty fields and keeps extra fields verbatim",
          "[article-json]") {
  Article a;
  a.id = "1";
  a.published = 0;
  a.body = "x";
  a.entities = {{EntityType::kPlace, "usa"}, {EntityType::kOther, "nyse"}};
  a.extra = {{"oldid", "5544"}};
  CHECK(article_to_json(a) ==
        R"({"id":"1","date":"1970-01-01T00:00:00Z","body":"x","places":["usa"],)"
        R"("entities":[{"type":"other","name":"nyse"}],"oldid":5544})");
}
