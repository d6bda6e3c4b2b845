// ISO 8601 dates and UTC instants.
#include <catch2/catch.hpp>

#include "common/base/time.h"

using namespace morgue;

TEST_CASE("ISO 8601 dates parse to UTC seconds", "[time]") {
  CHECK(parse_iso8601("1970-01-01") == 0);
  CHECK(parse_iso8601("1987-02-26T15:01:01Z") == 541350061);
  CHECK(parse_iso8601("1987-02-26 15:01:01.79") == 541350061);
  CHECK(parse_iso8601("2024-04-01T12:00+02:00") == parse_iso8601("2024-04-01T10:00:00Z"));
  CHECK(parse_iso8601("2024-04-01T12:00:00-0130") == parse_iso8601("2024-04-01T13:30:00Z"));
  CHECK(parse_iso8601("1969-12-31T23:59:59Z") == -1);
  CHECK(parse_iso8601("2024-02-29") == utc_seconds(2024, 2, 29));
  for (const char* bad : {"", "2024", "2024-02-30", "2023-02-29", "2024-13-01", "2024-1-01",
                          "2024-01-01T25:00", "2024-01-01T10", "2024-01-01Z", "yesterday",
                          "2024-01-01T10:00:00.", "2024-01-01T10:00:00+5"}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_iso8601(bad).has_value());
  }
}

TEST_CASE("instants format back to ISO 8601", "[time]") {
  CHECK(format_iso8601(0) == "1970-01-01T00:00:00Z");
  CHECK(format_iso8601(541350061) == "1987-02-26T15:01:01Z");
  CHECK(format_iso8601(-1) == "1969-12-31T23:59:59Z");
  CHECK(format_iso_date(-86400 * 365) == "1969-01-01");
  for (int64_t t : {int64_t{-5000000000}, int64_t{-1}, int64_t{0}, int64_t{1711929600},
                    int64_t{4102444799}}) {
    CAPTURE(t);
    CHECK(parse_iso8601(format_iso8601(t)) == t);
  }
}
