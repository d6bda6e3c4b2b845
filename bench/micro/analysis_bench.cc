// What's measured: the analysis an indexing worker runs on every article, one thread:
//   tokenizing the body (bytes/s), analysing it (tokens, folding and stems: bytes/s), and
//   all of an article's terms grouped with their positions (article_terms: articles/s and
//   bytes/s of headline and body).
// Data model: the first 2,000 articles of morgue-synth's archive (seed 1), about 1.9 MB of
//   headline and body text.
// Notes: a million-article build spends about 40 CPU-s in each of its two analysis
//   workers, most of it here; the stem cache is warm after the first pass.
// How to run: ./bench/morgue_micro_bench --benchmark_filter='Tokenize|Analyze|ArticleTerms'
#include <benchmark/benchmark.h>

#include <vector>

#include "common/analysis/analyzer.h"
#include "common/analysis/article_terms.h"
#include "common/analysis/tokenizer.h"
#include "corpus/synth/synthetic_archive.h"

namespace morgue {
namespace {

const std::vector<Article>& articles() {
  static const std::vector<Article> out = [] {
    SyntheticOptions options;
    options.articles = 2000;
    SyntheticArchive archive(options);
    std::vector<Article> v;
    for (uint64_t i = 0; i < options.articles; ++i) v.push_back(archive.article(i));
    return v;
  }();
  return out;
}

int64_t body_bytes() {
  int64_t bytes = 0;
  for (const Article& a : articles()) bytes += static_cast<int64_t>(a.body.size());
  return bytes;
}

// Into FoldedWords, as the indexer's workers tokenize (not a std::string a token).
void BM_Tokenize(benchmark::State& state) {
  FoldedWords words;
  for (auto _ : state) {
    for (const Article& a : articles()) {
      words.clear();
      tokenize(a.body, 0, words);
      benchmark::DoNotOptimize(words.words.data());
    }
  }
  state.SetBytesProcessed(state.iterations() * body_bytes());
}
BENCHMARK(BM_Tokenize);

void BM_Analyze(benchmark::State& state) {
  Analyzer analyzer;
  std::vector<AnalyzedToken> tokens;
  for (auto _ : state) {
    for (const Article& a : articles()) {
      tokens.clear();
      analyzer.analyze(a.body, 0, tokens);
      benchmark::DoNotOptimize(tokens.data());
    }
  }
  state.SetBytesProcessed(state.iterations() * body_bytes());
}
BENCHMARK(BM_Analyze);

void BM_ArticleTerms(benchmark::State& state) {
  Analyzer analyzer;
  ArticleTerms terms;
  int64_t text_bytes = 0;
  for (const Article& a : articles())
    text_bytes += static_cast<int64_t>(a.headline.size() + a.body.size());
  for (auto _ : state) {
    for (const Article& a : articles()) {
      article_terms(a, analyzer, terms);
      benchmark::DoNotOptimize(terms.terms.data());
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(articles().size()));
  state.SetBytesProcessed(state.iterations() * text_bytes);
}
BENCHMARK(BM_ArticleTerms);

}  // namespace
}  // namespace morgue
