// UTC instants as seconds since the Unix epoch, and their ISO 8601 spelling.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace morgue {

// Seconds since 1970-01-01T00:00:00Z of a civil UTC date and time. Requires a valid date.
int64_t utc_seconds(int year, int month, int day, int hour = 0, int minute = 0, int second = 0);

// True if year-month-day names a real day of the proleptic Gregorian calendar.
bool is_valid_date(int year, int month, int day);

// "1987-02-26T15:01:01Z".
std::string format_iso8601(int64_t seconds);
// "1987-02-26".
std::string format_iso_date(int64_t seconds);

// Parses ISO 8601: "YYYY-MM-DD" (midnight UTC), "YYYY-MM-DDTHH:MM[:SS[.frac]]" followed by
// "Z", "+HH:MM", "-HH:MM", "+HHMM" or nothing (UTC); a space may stand for "T".
// Fractions of a second are truncated. nullopt if the text is not such a date.
std::optional<int64_t> parse_iso8601(std::string_view text);

}  // namespace morgue
