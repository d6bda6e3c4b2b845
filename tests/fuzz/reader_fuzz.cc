// libFuzzer target for the input readers: the bytes are one input file, read as JSON Lines,
// Reuters SGML or plain wire text (MORGUE_FUZZ_READER picks which at build time). Every
// accepted article is analysed and checked as the indexer would. Properties: no crash, no
// sanitizer report, and every record either accepted or rejected with a reason.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "common/analysis/analyzer.h"
#include "common/analysis/article_terms.h"
#include "common/store/article_codec.h"
#include "indexer/readers/jsonl_reader.h"
#include "indexer/readers/reuters_reader.h"
#include "indexer/readers/wire_text_reader.h"

using namespace morgue;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view content(reinterpret_cast<const char*>(data), size);
  static Analyzer analyzer;
  ArticleTerms terms;
  ArticleSink sink;
  sink.accept = [&](Article&& article, const SourceLocation&) {
    if (check_article(article)) return;  // rejected as the indexer would
    article_terms(article, analyzer, terms);
    Article decoded;
    // The stored form must read back as the article it came from.
    if (!decode_article(encode_article(article), decoded).is_ok() || !(decoded == article))
      std::abort();
  };
  sink.reject = [](const SourceLocation&, std::string_view reason) {
    if (reason.empty()) std::abort();  // a rejection always says why
  };
  sink.skip_file = [](std::string_view, std::string_view) {};
  sink.warn = [](const SourceLocation&, std::string_view) {};
  ReadOptions options;
  options.default_published = 1700000000;  // so that undated text is not all rejected
  options.default_id = "fuzz";
#if MORGUE_FUZZ_READER == 1
  (void)read_jsonl("fuzz.jsonl", content, options, sink);
#elif MORGUE_FUZZ_READER == 2
  (void)read_reuters_sgml("fuzz.sgm", content, options, sink);
#else
  (void)read_wire_text("fuzz.txt", content, options, sink);
#endif
  return 0;
}
