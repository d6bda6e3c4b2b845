// What's measured: the index writer's own work on every article, one thread: adding an
//   analysed article to the in-memory segment (Inverter::add: the id index, the term
//   table's lookups and the packed postings' appends), articles/s.
// Data model: the first 28,000 articles of morgue-synth's archive (seed 1), analysed once
//   before timing: about one flush's worth at a million articles under the default budget
//   (36 flushes), so the term table grows to a flush's size and misses the cache as it does
//   in a build. Each iteration fills a fresh Inverter.
// Notes: Inverter::add was 21% of a million-article ingest's CPU samples (2026-12-06); the
//   table is far larger than the caches, so this bench is memory-bound and noisy: alternate
//   binaries and compare several runs.
// How to run: ./bench/morgue_micro_bench --benchmark_filter=InverterAdd
#include <benchmark/benchmark.h>

#include <vector>

#include "common/analysis/analyzer.h"
#include "common/analysis/article_terms.h"
#include "corpus/synth/synthetic_archive.h"
#include "indexer/index/inverter.h"

namespace morgue {
namespace {

struct AnalysedArticle {
  Article article;
  ArticleTerms terms;
};

const std::vector<AnalysedArticle>& analysed_articles() {
  static const std::vector<AnalysedArticle> out = [] {
    SyntheticOptions options;
    options.articles = 28000;
    SyntheticArchive archive(options);
    Analyzer analyzer;
    std::vector<AnalysedArticle> v(options.articles);
    for (uint64_t i = 0; i < options.articles; ++i) {
      v[i].article = archive.article(i);
      article_terms(v[i].article, analyzer, v[i].terms);
    }
    return v;
  }();
  return out;
}

void BM_InverterAdd(benchmark::State& state) {
  const std::vector<AnalysedArticle>& articles = analysed_articles();
  size_t terms = 0;
  for (auto _ : state) {
    Inverter inverter;
    for (const AnalysedArticle& a : articles) inverter.add(a.article, a.terms, std::string());
    state.PauseTiming();  // counting the terms and freeing the buffer are not timed
    terms = inverter.sorted_terms().size();
    inverter.clear();
    state.ResumeTiming();
  }
  state.counters["terms"] = static_cast<double>(terms);
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(articles.size()));
}
BENCHMARK(BM_InverterAdd)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace morgue
