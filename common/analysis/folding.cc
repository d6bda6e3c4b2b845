#include "common/analysis/folding.h"

#include <utf8proc.h>

#include <cstdlib>

#include "common/analysis/utf8.h"

namespace morgue {
namespace {

bool is_alnum_code_point(utf8proc_int32_t cp) {
  utf8proc_category_t cat = utf8proc_category(cp);
  return (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) ||
         (cat >= UTF8PROC_CATEGORY_ND && cat <= UTF8PROC_CATEGORY_NO);
}

}  // namespace

std::string fold(std::string_view utf8) {
  // Most words of English wire copy are ASCII: lower-casing is all folding does to them.
  if (is_ascii(utf8)) {
    std::string out(utf8);
    for (char& c : out) c = fold_ascii(c);
    return out;
  }
  // COMPAT turns ligatures and full-width forms into plain letters (ﬁ -> fi), CASEFOLD
  // folds case (ß -> ss), STRIPMARK drops accents after decomposition (é -> e).
  utf8proc_uint8_t* mapped = nullptr;
  utf8proc_ssize_t n = utf8proc_map(
      reinterpret_cast<const utf8proc_uint8_t*>(utf8.data()),
      static_cast<utf8proc_ssize_t>(utf8.size()), &mapped,
      static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT |
                                     UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK));
  if (n < 0) return std::string();
  std::string out(reinterpret_cast<const char*>(mapped), static_cast<size_t>(n));
  std::free(mapped);
  return out;
}

std::string normalize_name(std::string_view utf8) {
  std::string folded = fold(utf8);
  std::string out;
  out.reserve(folded.size());
  bool pending_dash = false;
  utf8proc_ssize_t i = 0;
  auto size = static_cast<utf8proc_ssize_t>(folded.size());
  const auto* bytes = reinterpret_cast<const utf8proc_uint8_t*>(folded.data());
  while (i < size) {
    utf8proc_int32_t cp;
    utf8proc_ssize_t n = utf8proc_iterate(bytes + i, size - i, &cp);
    if (n <= 0) break;  // fold() output is valid UTF-8; stop rather than loop on damage
    if (is_alnum_code_point(cp)) {
      if (pending_dash && !out.empty()) out.push_back('-');
      pending_dash = false;
      out.append(folded, static_cast<size_t>(i), static_cast<size_t>(n));
    } else {
      pending_dash = true;
    }
    i += n;
  }
  return out;
}

}  // namespace morgue
