// libFuzzer target for the query parser and planner: the bytes are a query. Properties: no
// crash; an error's column lies within the query (plus one, for "at the end"); a parsed
// query written back in the query language parses to the same tree; planning never fails.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "common/analysis/analyzer.h"
#include "query/parser/parser.h"
#include "query/plan.h"

using namespace morgue;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  static Analyzer analyzer;
  ParseResult parsed = parse_query(text);
  if (!parsed.ok()) {
    if (parsed.error.column < 1 || parsed.error.column > text.size() + 1) std::abort();
    (void)format_parse_error(text, parsed.error);
    return 0;
  }
  // The query written back in the query language parses to the same tree. Written back,
  // every AND, OR and NOT is bracketed: it may nest deeper than the query did.
  ParseOptions written_back;
  written_back.max_nesting = kMaxWrittenBackNesting;
  ParseResult again = parse_query(to_query_syntax(*parsed.query), written_back);
  if (!again.ok() || to_string(*again.query) != to_string(*parsed.query)) std::abort();
  auto plan = plan_query(*parsed.query, analyzer);
  if (plan) (void)to_string(*plan);
  return 0;
}
