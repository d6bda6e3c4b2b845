// morgue-bench: morgue side by side with Xapian on the same articles, in one run.
// What's measured: indexing time, articles/s, index size (by file kind) and the peak memory
//   of the process that built each index; with --queries, the top-10 latency of every
//   query on both engines (median and p99 per query kind, over per-query medians of
//   --rounds interleaved runs after a warm-up) and how many top-10 lists differ.
// Data model: any corpus morgue-index reads; both engines index the same analysed terms.
// Notes: each build runs in its own child process, so peak memory is the engine's own.
// How to run: morgue-bench --corpus ../shared/corpus/reuters21578
//               --queries ../shared/queries/reuters-dev.tsv --work /tmp/mb --json out.json
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <fstream>

#include "bench/morgue_bench/indexing_bench.h"
#include "bench/morgue_bench/query_bench.h"
#include "indexer/commands/progress.h"

namespace {

std::string mb(uint64_t bytes) { return fmt::format("{:.1f} MB", bytes / 1e6); }

void print_indexing(const std::vector<morgue::IndexingResult>& results) {
  fmt::print("{:<8} {:>9} {:>10} {:>12} {:>12} {:>12}\n", "engine", "articles", "seconds",
             "articles/s", "index", "peak memory");
  for (const auto& r : results) {
    fmt::print("{:<8} {:>9} {:>10.2f} {:>12.0f} {:>12} {:>12}\n", r.engine, r.articles, r.seconds,
               r.seconds > 0 ? r.articles / r.seconds : 0.0, mb(r.bytes), mb(r.peak_rss_bytes));
  }
  const auto& m = results[0];
  const auto& x = results[1];
  if (m.seconds > 0 && x.seconds > 0)
    fmt::print("ratios xapian/morgue: time {:.2f}x, index size {:.2f}x ({:.2f}x compacted), peak "
               "memory {:.2f}x\n",
               x.seconds / m.seconds, static_cast<double>(x.bytes) / m.bytes,
               static_cast<double>(x.compacted_bytes) / m.bytes,
               static_cast<double>(x.peak_rss_bytes) / m.peak_rss_bytes);
  for (const auto& r : results) {
    fmt::print("\n{} files:\n", r.engine);
    for (const auto& [kind, bytes] : r.bytes_by_kind)
      fmt::print("  {:<20} {:>12}  {:5.1f}%\n", kind, mb(bytes), 100.0 * bytes / r.bytes);
    if (r.compacted_bytes) fmt::print("  {:<20} {:>12}\n", "(after compact)", mb(r.compacted_bytes));
  }
}

void print_queries(const morgue::QueryBenchResult& r) {
  fmt::print("\n{:<11} {:>7} {:>12} {:>12} {:>12} {:>12} {:>9} {:>9}\n", "kind", "queries",
             "morgue p50", "xapian p50", "morgue p99", "xapian p99", "p50 x/m", "p99 x/m");
  for (const std::string& kind : r.kind_order) {
    const auto& k = r.kinds.at(kind);
    fmt::print("{:<11} {:>7} {:>9.1f} us {:>9.1f} us {:>9.1f} us {:>9.1f} us {:>8.2f}x {:>8.2f}x\n",
               kind, k.queries, k.morgue_median_us, k.xapian_median_us, k.morgue_p99_us,
               k.xapian_p99_us, k.xapian_median_us / k.morgue_median_us,
               k.xapian_p99_us / k.morgue_p99_us);
  }
  fmt::print("top-10 differences: {}\n", r.top10_differences);
  for (const std::string& q : r.differing_queries) fmt::print("  differs: {}\n", q);
}

std::string to_json(const std::vector<morgue::IndexingResult>& results,
                    const morgue::QueryBenchResult* queries) {
  std::string out = "{";
  if (queries) {
    out += fmt::format("\"top10_differences\":{},\"kinds\":{{", queries->top10_differences);
    for (size_t i = 0; i < queries->kind_order.size(); ++i) {
      const auto& k = queries->kinds.at(queries->kind_order[i]);
      out += fmt::format(
          "{}\"{}\":{{\"queries\":{},\"morgue\":{{\"median_us\":{:.2f},\"p99_us\":{:.2f}}},"
          "\"xapian\":{{\"median_us\":{:.2f},\"p99_us\":{:.2f}}},\"ratio\":{:.3f}}}",
          i ? "," : "", queries->kind_order[i], k.queries, k.morgue_median_us, k.morgue_p99_us,
          k.xapian_median_us, k.xapian_p99_us, k.xapian_median_us / k.morgue_median_us);
    }
    out += "},";
  }
  out += "\"indexing\":{";
  for (size_t i = 0; i < results.size(); ++i) {
    const auto& r = results[i];
    out += fmt::format(
        "{}\"{}\":{{\"articles\":{},\"seconds\":{:.3f},\"articles_per_s\":{:.1f},\"bytes\":{},"
        "\"peak_rss_bytes\":{},\"compacted_bytes\":{},\"bytes_by_kind\":{{",
        i ? "," : "", r.engine, r.articles, r.seconds, r.seconds > 0 ? r.articles / r.seconds : 0.0,
        r.bytes, r.peak_rss_bytes, r.compacted_bytes);
    bool first = true;
    for (const auto& [kind, bytes] : r.bytes_by_kind) {
      out += fmt::format("{}\"{}\":{}", first ? "" : ",", kind, bytes);
      first = false;
    }
    out += "}}";
  }
  return out + "}}\n";
}

}  // namespace

int main(int argc, char** argv) try {
  CLI::App app{"morgue-bench: morgue and Xapian side by side on the same articles"};
  morgue::IndexingOptions options;
  std::string json_path;
  size_t ram_mb = 256;
  morgue::QueryBenchOptions query_options;
  app.add_option("--corpus", options.corpus, "Corpus files or directories")->required();
  app.add_option("--work", options.work_dir, "Where the indexes are built")
      ->default_val("/tmp/morgue-bench");
  app.add_option("--ram-mb", ram_mb, "morgue's RAM budget (MB)")->capture_default_str();
  app.add_flag("--reuse", options.reuse, "Reuse indexes already in --work");
  app.add_option("--json", json_path, "Also write the figures as JSON to this file");
  app.add_option("--queries", query_options.queries_file, "Query file: KIND<TAB>QUERY a line");
  app.add_option("--rounds", query_options.rounds, "Timed rounds over the queries")
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  options.ram_budget_bytes = ram_mb << 20;

  std::vector<morgue::IndexingResult> results;
  morgue::Status s = morgue::run_indexing_bench(options, results);
  if (!s.is_ok()) {
    fmt::print(stderr, "morgue-bench: error: {}\n", s.message());
    return 1;
  }
  print_indexing(results);
  morgue::QueryBenchResult query_result;
  bool with_queries = !query_options.queries_file.empty();
  if (with_queries) {
    query_options.morgue_dir = options.work_dir + "/morgue";
    query_options.xapian_dir = options.work_dir + "/xapian";
    s = morgue::run_query_bench(query_options, query_result);
    if (!s.is_ok()) {
      fmt::print(stderr, "morgue-bench: error: {}\n", s.message());
      return 1;
    }
    print_queries(query_result);
  }
  if (!json_path.empty())
    std::ofstream(json_path) << to_json(results, with_queries ? &query_result : nullptr);
  return 0;
} catch (const std::exception& e) {
  fmt::print(stderr, "morgue-bench: internal error: {}\n", e.what());
  return 1;
}
