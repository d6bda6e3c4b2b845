// What's measured: the query engine's inner loops on one segment of a synthetic archive:
//   term iteration (postings/s), advance over skip data (seeks/s at several strides), AND of
//   two lists and phrase checks (drained without scoring), BM25 top-10 of an OR (whole
//   searches), and zstd chunk decompression of the store (bytes/s).
// Data model: morgue-synth's archive (MORGUE_MICRO_ARTICLES articles, default 20,000, seed
//   1) indexed into one segment in a temporary directory, and queries from morgue-synth's
//   query generator (the first 20 of each kind), so that every query matches.
// Notes: the index is built once per process, before the first bench (about 7 s at the
//   default size); the figures depend on the archive size, so compare runs of one size.
// How to run: ./bench/morgue_micro_bench --benchmark_filter='Term|Skip|And|Phrase|Or|Store'
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fmt/format.h>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <unistd.h>
#include <vector>

#include "common/analysis/analyzer.h"
#include "common/index/index_reader.h"
#include "corpus/synth/synthetic_archive.h"
#include "indexer/index/index_writer.h"
#include "query/parser/parser.h"
#include "query/plan.h"
#include "query/searcher.h"

namespace morgue {
namespace {

constexpr size_t kQueriesPerKind = 20;

void check(const Status& status, const char* what) {
  if (!status.is_ok()) throw std::runtime_error(fmt::format("{}: {}", what, status.to_string()));
}

// The benchmark index and queries, built on first use and removed at exit.
class Fixture {
 public:
  static Fixture& get() {
    static Fixture fixture;
    return fixture;
  }

  const IndexSnapshot& snapshot() const { return *snapshot_; }
  const SegmentReader& segment() const { return *snapshot_->segments().front(); }
  const std::string& frequent_term() const { return frequent_term_; }
  // Plans of the generated queries of one kind (and2, or2, phrase2, ...).
  const std::vector<std::unique_ptr<Plan>>& plans(const std::string& kind) const {
    return plans_.at(kind);
  }

  ~Fixture() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

 private:
  Fixture() {
    SyntheticOptions options;
    if (const char* n = std::getenv("MORGUE_MICRO_ARTICLES")) options.articles = std::stoull(n);
    else options.articles = 20000;
    dir_ = (std::filesystem::temp_directory_path() /
            fmt::format("morgue-micro-{}", static_cast<long>(::getpid())))
               .string();
    build_index(options);
    auto snapshot = IndexSnapshot::open(dir_);
    check(snapshot.status(), "opening the benchmark index");
    snapshot_ = std::move(snapshot).value();
    if (snapshot_->segments().size() != 1) throw std::runtime_error("expected one segment");
    find_frequent_term();
    load_queries(options);
  }

  void build_index(const SyntheticOptions& options) {
    IndexWriterOptions writer_options;
    writer_options.create_if_missing = true;
    auto writer = IndexWriter::open(dir_, writer_options);
    check(writer.status(), "creating the benchmark index");
    SyntheticArchive archive(options);
    Analyzer analyzer;
    for (uint64_t i = 0; i < options.articles; ++i) {
      check((*writer)->add(prepare_article(archive.article(i), analyzer)).status(), "adding");
    }
    check((*writer)->merge_all(), "merging");
  }

  // The word (no field prefix) with the most documents: the longest list to walk.
  void find_frequent_term() {
    uint32_t best = 0;
    auto it = segment().terms().begin();
    for (; it.valid(); it.next()) {
      std::string_view term = it.term();
      bool plain_word = !term.empty() && !(term[0] >= 'A' && term[0] <= 'Z');
      if (plain_word && it.info().df > best) {
        best = it.info().df;
        frequent_term_ = std::string(term);
      }
    }
    check(it.status(), "scanning the dictionary");
  }

  void load_queries(const SyntheticOptions& options) {
    char* text = nullptr;
    size_t size = 0;
    std::FILE* out = open_memstream(&text, &size);
    check(write_synthetic_queries(options, kQueriesPerKind, out), "generating queries");
    std::fclose(out);
    std::string lines(text, size);
    std::free(text);
    Analyzer analyzer;
    size_t begin = 0;
    while (begin < lines.size()) {
      size_t end = lines.find('\n', begin);
      if (end == std::string::npos) end = lines.size();
      std::string_view line(lines.data() + begin, end - begin);
      begin = end + 1;
      size_t tab = line.find('\t');
      if (tab == std::string_view::npos) continue;
      ParseResult parsed = parse_query(line.substr(tab + 1));
      if (!parsed.ok()) throw std::runtime_error("generated query does not parse");
      plans_[std::string(line.substr(0, tab))].push_back(plan_query(*parsed.query, analyzer));
    }
  }

  std::string dir_;
  std::shared_ptr<const IndexSnapshot> snapshot_;
  std::string frequent_term_;
  std::map<std::string, std::vector<std::unique_ptr<Plan>>> plans_;
};

PostingsIterator open_term(const SegmentReader& segment, const std::string& term) {
  auto info = segment.find(term);
  check(info.status(), "finding the term");
  PostingsIterator it;
  check(segment.open_postings(**info, it), "opening postings");
  return it;
}

void BM_TermIteration(benchmark::State& state) {
  const Fixture& f = Fixture::get();
  uint64_t postings = 0;
  for (auto _ : state) {
    PostingsIterator it = open_term(f.segment(), f.frequent_term());
    uint64_t wdf_sum = 0;
    for (; it.doc() != kEndDoc; it.next()) {
      wdf_sum += it.tf();
      ++postings;
    }
    benchmark::DoNotOptimize(wdf_sum);
  }
  state.SetItemsProcessed(static_cast<int64_t>(postings));
  state.SetLabel(f.frequent_term());
}

// Seeks through the most frequent term's list to every stride-th document: small strides
// stay in a block, large ones jump blocks through the skip table.
void BM_AdvanceOverSkip(benchmark::State& state) {
  const Fixture& f = Fixture::get();
  auto stride = static_cast<DocNum>(state.range(0));
  DocNum docs = f.segment().meta().doc_count;
  uint64_t seeks = 0;
  for (auto _ : state) {
    PostingsIterator it = open_term(f.segment(), f.frequent_term());
    for (DocNum target = stride; target < docs && it.doc() != kEndDoc; target += stride) {
      it.seek(target);
      ++seeks;
    }
    benchmark::DoNotOptimize(it.doc());
  }
  state.SetItemsProcessed(static_cast<int64_t>(seeks));
}

// Drains every plan of a kind through its iterator tree without scoring: matching alone.
void drain_kind(benchmark::State& state, const std::string& kind) {
  const Fixture& f = Fixture::get();
  uint64_t matches = 0;
  for (auto _ : state) {
    for (const auto& plan : f.plans(kind)) {
      auto it = build_iterator(f.snapshot(), 0, *plan);
      check(it.status(), "building the iterator");
      for (DocIterator& d = **it; d.doc() != kEndDoc; d.next()) ++matches;
    }
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * f.plans(kind).size()));
  state.counters["matches_per_query"] = static_cast<double>(matches) /
                                        static_cast<double>(state.iterations() * f.plans(kind).size());
}

void BM_AndOfTwoLists(benchmark::State& state) { drain_kind(state, "and2"); }
void BM_PhraseCheck(benchmark::State& state) { drain_kind(state, "phrase2"); }

// Whole ranked searches: every match scored by BM25, the best 10 kept, counts exact.
void BM_Bm25TopTenOfOr(benchmark::State& state) {
  const Fixture& f = Fixture::get();
  const std::string kind = state.range(0) == 2 ? "or2" : "or3";
  SearchOptions top10;
  for (auto _ : state) {
    for (const auto& plan : f.plans(kind)) {
      auto result = search(f.snapshot(), *plan, top10);
      check(result.status(), "searching");
      benchmark::DoNotOptimize(result->hits.data());
    }
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * f.plans(kind).size()));
  state.SetLabel(kind + " queries");
}

// Decompresses one document from each of 256 chunks spread over the store: a chunk's
// zstd frame (with the segment's dictionary) per call, as showing a hit costs.
void BM_StoreChunkDecompression(benchmark::State& state) {
  const Fixture& f = Fixture::get();
  const StoreReader& store = f.segment().store();
  uint32_t step = std::max<uint32_t>(1, store.doc_count() / 256);
  uint64_t chunks = 0;
  uint64_t bytes = 0;
  for (auto _ : state) {
    for (uint32_t doc = 0; doc < store.doc_count(); doc += step) {
      auto stored = store.get(doc);
      check(stored.status(), "reading the store");
      ++chunks;
    }
  }
  // get() decompresses the whole chunk: count the chunk's raw size, on average.
  bytes = chunks * (store.raw_bytes() / std::max<uint32_t>(1, store.chunk_count()));
  state.SetItemsProcessed(static_cast<int64_t>(chunks));
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
}

BENCHMARK(BM_TermIteration);
BENCHMARK(BM_AdvanceOverSkip)->Arg(8)->Arg(64)->Arg(1024);
BENCHMARK(BM_AndOfTwoLists);
BENCHMARK(BM_PhraseCheck);
BENCHMARK(BM_Bm25TopTenOfOr)->Arg(2)->Arg(3);
BENCHMARK(BM_StoreChunkDecompression);

}  // namespace
}  // namespace morgue
