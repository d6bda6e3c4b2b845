#include "common/analysis/analyzer.h"

namespace morgue {

uint32_t Analyzer::analyze(std::string_view text, uint32_t first_position,
                           std::vector<AnalyzedToken>& out) {
  return for_each_token(text, first_position, [&](Token& surface, std::string_view stem) {
    out.push_back({std::move(surface), std::string(stem)});
  });
}

}  // namespace morgue
