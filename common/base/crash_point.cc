#include "common/base/crash_point.h"

#include <atomic>
#include <charconv>
#include <csignal>
#include <cstdlib>
#include <string>

namespace morgue {
namespace {

struct CrashSpec {
  std::string name;
  long nth = 0;  // the hit that kills
};

// Parsed once: MORGUE_CRASH_AT=NAME:N. A malformed value disables it rather than guessing.
CrashSpec* parse_spec() {
  const char* value = std::getenv("MORGUE_CRASH_AT");
  if (value == nullptr) return nullptr;
  std::string_view text(value);
  size_t colon = text.rfind(':');
  if (colon == std::string_view::npos) return nullptr;
  long n = 0;
  auto [end, ec] = std::from_chars(text.data() + colon + 1, text.data() + text.size(), n);
  if (ec != std::errc() || end != text.data() + text.size() || n <= 0) return nullptr;
  return new CrashSpec{std::string(text.substr(0, colon)), n};
}

}  // namespace

void crash_point(std::string_view name) {
  static CrashSpec* const spec = parse_spec();  // lives as long as the process
  if (spec == nullptr || spec->name != name) return;
  static std::atomic<long> hits{0};
  if (hits.fetch_add(1) + 1 == spec->nth) std::raise(SIGKILL);
}

}  // namespace morgue
