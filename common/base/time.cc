#include "common/base/time.h"

#include <chrono>
#include <fmt/format.h>

namespace morgue {
namespace {

namespace chr = std::chrono;

// Reads exactly n decimal digits at text[pos], advancing pos.
std::optional<int> read_digits(std::string_view text, size_t& pos, size_t n) {
  if (pos + n > text.size()) return std::nullopt;
  int value = 0;
  for (size_t i = 0; i < n; ++i) {
    char c = text[pos + i];
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  pos += n;
  return value;
}

bool consume(std::string_view text, size_t& pos, char c) {
  if (pos < text.size() && text[pos] == c) {
    ++pos;
    return true;
  }
  return false;
}

}  // namespace

bool is_valid_date(int year, int month, int day) {
  if (month < 1 || month > 12 || day < 1 || day > 31) return false;
  return chr::year_month_day(chr::year(year), chr::month(static_cast<unsigned>(month)),
                             chr::day(static_cast<unsigned>(day)))
      .ok();
}

int64_t utc_seconds(int year, int month, int day, int hour, int minute, int second) {
  chr::sys_days days = chr::year_month_day(chr::year(year), chr::month(static_cast<unsigned>(month)),
                                           chr::day(static_cast<unsigned>(day)));
  return static_cast<int64_t>(days.time_since_epoch().count()) * 86400 + hour * 3600 +
         minute * 60 + second;
}

std::string format_iso8601(int64_t seconds) {
  int64_t days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400;
  int64_t rest = seconds - days * 86400;
  chr::year_month_day ymd{chr::sys_days(chr::days(days))};
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                     rest / 3600, rest / 60 % 60, rest % 60);
}

std::string format_iso_date(int64_t seconds) { return format_iso8601(seconds).substr(0, 10); }

std::optional<int64_t> parse_iso8601(std::string_view text) {
  size_t pos = 0;
  auto year = read_digits(text, pos, 4);
  if (!year || !consume(text, pos, '-')) return std::nullopt;
  auto month = read_digits(text, pos, 2);
  if (!month || !consume(text, pos, '-')) return std::nullopt;
  auto day = read_digits(text, pos, 2);
  if (!day || !is_valid_date(*year, *month, *day)) return std::nullopt;
  if (pos == text.size()) return utc_seconds(*year, *month, *day);
  if (!consume(text, pos, 'T') && !consume(text, pos, 't') && !consume(text, pos, ' '))
    return std::nullopt;
  auto hour = read_digits(text, pos, 2);
  if (!hour || !consume(text, pos, ':')) return std::nullopt;
  auto minute = read_digits(text, pos, 2);
  if (!minute) return std::nullopt;
  int second = 0;
  if (consume(text, pos, ':')) {
    auto s = read_digits(text, pos, 2);
    if (!s) return std::nullopt;
    second = *s;
    if (consume(text, pos, '.') || consume(text, pos, ',')) {
      size_t start = pos;
      while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') ++pos;
      if (pos == start) return std::nullopt;
    }
  }
  // 24:00 is not accepted; a leap second 60 is folded into the next minute below.
  if (*hour > 23 || *minute > 59 || second > 60) return std::nullopt;
  int offset_seconds = 0;
  if (pos < text.size()) {
    char sign = text[pos];
    if (sign == 'Z' || sign == 'z') {
      ++pos;
    } else if (sign == '+' || sign == '-') {
      ++pos;
      auto oh = read_digits(text, pos, 2);
      if (!oh) return std::nullopt;
      consume(text, pos, ':');
      auto om = read_digits(text, pos, 2);
      if (!om || *oh > 23 || *om > 59) return std::nullopt;
      offset_seconds = (*oh * 3600 + *om * 60) * (sign == '+' ? 1 : -1);
    } else {
      return std::nullopt;
    }
  }
  if (pos != text.size()) return std::nullopt;
  return utc_seconds(*year, *month, *day, *hour, *minute, second) - offset_seconds;
}

}  // namespace morgue
