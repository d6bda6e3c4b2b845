// morgue-bench: morgue side by side with Xapian and/or Lucene on the same articles, in one run.
// What's measured: indexing time, articles/s, index size (by file kind) and the peak memory
//   of the process that built each index; with --queries, the top-10 latency of every
//   query on each engine (median and p99 per query kind, over per-query medians of
//   --rounds runs after a warm-up), how many top-10 lists differ from Xapian's and how many
//   match counts differ from Lucene's.
// Data model: any corpus morgue-index reads; morgue and Xapian index the same analysed
//   terms; Lucene analyses the same articles itself (bench/lucene/MorgueLucene.java).
// Notes: each build runs in its own child process, so peak memory is the engine's own.
// How to run: morgue-bench --corpus ../shared/corpus/reuters21578
//               --queries ../shared/queries/reuters-dev.tsv --work /tmp/mb --json out.json
//               [--vs xapian,lucene | none]
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <fstream>

#include "bench/morgue_bench/indexing_bench.h"
#include "bench/morgue_bench/query_bench.h"
#include "common/article/article_json.h"
#include "common/base/allocator.h"
#include "indexer/commands/progress.h"

namespace {

std::string mb(uint64_t bytes) { return fmt::format("{:.1f} MB", bytes / 1e6); }

double ratio(double a, double b) { return b > 0 ? a / b : 0.0; }

void print_indexing(const std::vector<morgue::IndexingResult>& results) {
  fmt::print("morgue's allocator: {}\n", morgue::allocator_name());
  fmt::print("{:<8} {:>9} {:>10} {:>12} {:>12} {:>12}\n", "engine", "articles", "seconds",
             "articles/s", "index", "peak memory");
  for (const auto& r : results) {
    fmt::print("{:<8} {:>9} {:>10.2f} {:>12.0f} {:>12} {:>12}\n", r.engine, r.articles, r.seconds,
               r.seconds > 0 ? r.articles / r.seconds : 0.0, mb(r.bytes), mb(r.peak_rss_bytes));
  }
  const auto& m = results[0];
  for (size_t i = 1; i < results.size(); ++i) {
    const auto& x = results[i];
    if (m.seconds <= 0 || x.seconds <= 0) continue;  // reused indexes: no times
    std::string compacted = x.compacted_bytes ? fmt::format(" ({:.2f}x compacted)",
                                                            ratio(x.compacted_bytes, m.bytes))
                                              : "";
    fmt::print("ratios {}/morgue: time {:.2f}x, index size {:.2f}x{}, peak memory {:.2f}x\n",
               x.engine, ratio(x.seconds, m.seconds), ratio(x.bytes, m.bytes), compacted,
               ratio(x.peak_rss_bytes, m.peak_rss_bytes));
  }
  for (const auto& r : results) {
    if (r.jvm_seconds > 0)
      fmt::print("{}: {:.2f} s of the {:.2f} s inside the JVM (start-up excluded); writing its "
                 "input took {:.2f} s, not timed\n",
                 r.engine, r.jvm_seconds, r.seconds, r.untimed_conversion_seconds);
  }
  for (const auto& r : results) {
    fmt::print("\n{} files:\n", r.engine);
    for (const auto& [kind, bytes] : r.bytes_by_kind)
      fmt::print("  {:<20} {:>12}  {:5.1f}%\n", kind, mb(bytes), 100.0 * bytes / r.bytes);
    if (r.compacted_bytes) fmt::print("  {:<20} {:>12}\n", "(after compact)", mb(r.compacted_bytes));
  }
}

void print_queries(const morgue::QueryBenchResult& r) {
  using morgue::EngineLatency;
  using morgue::KindLatency;
  struct Column {
    std::string name;  // "xapian", "lucene"
    const EngineLatency KindLatency::*latency;
  };
  std::vector<Column> others;
  if (r.with_xapian) others.push_back({"xapian", &KindLatency::xapian});
  if (r.with_lucene) others.push_back({"lucene", &KindLatency::lucene});

  fmt::print("\n{:<11} {:>7} {:>12}", "kind", "queries", "morgue p50");
  for (const auto& c : others) fmt::print(" {:>12}", c.name + " p50");
  fmt::print(" {:>12}", "morgue p99");
  for (const auto& c : others) fmt::print(" {:>12}", c.name + " p99");
  for (const auto& c : others)
    fmt::print(" {:>9} {:>9}", fmt::format("p50 {}/m", c.name[0]), fmt::format("p99 {}/m", c.name[0]));
  fmt::print("\n");
  for (const std::string& kind : r.kind_order) {
    const auto& k = r.kinds.at(kind);
    fmt::print("{:<11} {:>7} {:>9.1f} us", kind, k.queries, k.morgue.median_us);
    for (const auto& c : others) fmt::print(" {:>9.1f} us", (k.*c.latency).median_us);
    fmt::print(" {:>9.1f} us", k.morgue.p99_us);
    for (const auto& c : others) fmt::print(" {:>9.1f} us", (k.*c.latency).p99_us);
    for (const auto& c : others)
      fmt::print(" {:>8.2f}x {:>8.2f}x", ratio((k.*c.latency).median_us, k.morgue.median_us),
                 ratio((k.*c.latency).p99_us, k.morgue.p99_us));
    fmt::print("\n");
  }
  if (r.with_xapian) {
    fmt::print("top-10 differences: {}\n", r.top10_differences);
    for (const std::string& q : r.differing_queries) fmt::print("  differs: {}\n", q);
  }
  if (r.with_lucene) {
    // Lucene analyses text its own way (and matches phrases on stems), so its counts may
    // differ from morgue's on text; on filters and dates they must not.
    fmt::print("lucene count differences: {}", r.lucene_count_differences);
    std::string by_kind;
    for (const std::string& kind : r.kind_order) {
      size_t n = r.kinds.at(kind).lucene_count_differences;
      if (n) by_kind += fmt::format("{}{} {}", by_kind.empty() ? "" : ", ", kind, n);
    }
    fmt::print("{}\n", by_kind.empty() ? "" : " (" + by_kind + ")");
    constexpr size_t kShown = 20;
    for (size_t i = 0; i < r.lucene_differing_counts.size() && i < kShown; ++i)
      fmt::print("  count differs: {}\n", r.lucene_differing_counts[i]);
    if (r.lucene_differing_counts.size() > kShown)
      fmt::print("  ... and {} more\n", r.lucene_differing_counts.size() - kShown);
  }
}

std::string latency_json(const morgue::EngineLatency& e) {
  return fmt::format("{{\"median_us\":{:.2f},\"p99_us\":{:.2f}}}", e.median_us, e.p99_us);
}

std::string to_json(const std::vector<morgue::IndexingResult>& results,
                    const morgue::QueryBenchResult* queries) {
  std::string out = fmt::format("{{\"allocator\":\"{}\",", morgue::allocator_name());
  if (queries) {
    if (queries->with_xapian)
      out += fmt::format("\"top10_differences\":{},", queries->top10_differences);
    if (queries->with_lucene)
      out += fmt::format("\"lucene_count_differences\":{},", queries->lucene_count_differences);
    out += "\"kinds\":{";
    for (size_t i = 0; i < queries->kind_order.size(); ++i) {
      const auto& k = queries->kinds.at(queries->kind_order[i]);
      out += fmt::format("{}\"{}\":{{\"queries\":{},\"morgue\":{}", i ? "," : "",
                         queries->kind_order[i], k.queries, latency_json(k.morgue));
      if (queries->with_xapian)
        out += fmt::format(",\"xapian\":{},\"ratio\":{:.3f}", latency_json(k.xapian),
                           ratio(k.xapian.median_us, k.morgue.median_us));
      if (queries->with_lucene)
        out += fmt::format(",\"lucene\":{},\"lucene_ratio\":{:.3f},\"lucene_count_differences\":{}",
                           latency_json(k.lucene), ratio(k.lucene.median_us, k.morgue.median_us),
                           k.lucene_count_differences);
      out += "}";
    }
    out += "},\"queries\":[";
    for (size_t i = 0; i < queries->per_query.size(); ++i) {
      const morgue::QueryLatency& q = queries->per_query[i];
      out += i ? ",{\"kind\":" : "{\"kind\":";
      morgue::append_json_string(out, q.kind);
      out += ",\"query\":";
      morgue::append_json_string(out, q.text);
      out += fmt::format(",\"morgue_us\":{:.2f}", q.morgue_us);
      if (queries->with_xapian) out += fmt::format(",\"xapian_us\":{:.2f}", q.xapian_us);
      if (queries->with_lucene) out += fmt::format(",\"lucene_us\":{:.2f}", q.lucene_us);
      out += "}";
    }
    out += "],";
  }
  out += "\"indexing\":{";
  for (size_t i = 0; i < results.size(); ++i) {
    const auto& r = results[i];
    out += fmt::format(
        "{}\"{}\":{{\"articles\":{},\"seconds\":{:.3f},\"articles_per_s\":{:.1f},\"bytes\":{},"
        "\"peak_rss_bytes\":{},\"compacted_bytes\":{},",
        i ? "," : "", r.engine, r.articles, r.seconds, r.seconds > 0 ? r.articles / r.seconds : 0.0,
        r.bytes, r.peak_rss_bytes, r.compacted_bytes);
    if (r.jvm_seconds > 0)
      out += fmt::format("\"jvm_seconds\":{:.3f},\"untimed_conversion_seconds\":{:.3f},",
                         r.jvm_seconds, r.untimed_conversion_seconds);
    out += "\"bytes_by_kind\":{";
    bool first = true;
    for (const auto& [kind, bytes] : r.bytes_by_kind) {
      out += fmt::format("{}\"{}\":{}", first ? "" : ",", kind, bytes);
      first = false;
    }
    out += "}}";
  }
  return out + "}}\n";
}

// --vs: "xapian", "lucene", both ("xapian,lucene", or the option twice), or "none" (morgue
// alone: to profile it, or to time it without another engine on the machine's caches).
bool parse_engines(const std::vector<std::string>& vs, morgue::IndexingOptions& options,
                   std::string& error) {
  options.xapian = options.lucene = false;
  for (const std::string& name : vs) {
    if (name == "xapian") {
      options.xapian = true;
    } else if (name == "lucene") {
      options.lucene = true;
    } else if (name != "none") {
      error = "--vs: unknown engine '" + name + "' (xapian, lucene, none)";
      return false;
    }
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) try {
  CLI::App app{"morgue-bench: morgue side by side with Xapian and Lucene on the same articles"};
  morgue::IndexingOptions options;
  std::string json_path;
  size_t ram_mb = 256;
  morgue::QueryBenchOptions query_options;
  app.add_option("--corpus", options.corpus, "Corpus files or directories")->required();
  app.add_option("--work", options.work_dir, "Where the indexes are built")
      ->default_val("/tmp/morgue-bench");
  app.add_option("--ram-mb", ram_mb, "morgue's RAM budget in MiB")->capture_default_str();
  app.add_flag("--reuse", options.reuse, "Reuse indexes already in --work");
  app.add_option("--json", json_path, "Also write the figures as JSON to this file");
  app.add_option("--queries", query_options.queries_file, "Query file: KIND<TAB>QUERY a line");
  app.add_option("--rounds", query_options.rounds, "Timed rounds over the queries")
      ->capture_default_str();
  std::vector<std::string> vs = {"xapian"};
  app.add_option("--vs", vs, "Engines to compare with: xapian, lucene, both (xapian,lucene) or none")
      ->delimiter(',')
      ->capture_default_str();
  app.add_option("--lucene-warmup-passes", query_options.lucene.min_passes,
                 "Lucene: warm-up passes over all queries, at least")
      ->capture_default_str();
  app.add_option("--lucene-warmup-seconds", query_options.lucene.min_warm_seconds,
                 "Lucene: warm-up time, at least (the JIT needs it)")
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  options.ram_budget_bytes = ram_mb << 20;
  std::string vs_error;
  if (!parse_engines(vs, options, vs_error)) {
    fmt::print(stderr, "morgue-bench: error: {}\n", vs_error);
    return 1;
  }

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
    if (options.xapian) query_options.xapian_dir = options.work_dir + "/xapian";
    if (options.lucene) {
      query_options.lucene_dir = options.work_dir + "/lucene";
      query_options.lucene_plans_file = options.work_dir + "/lucene-plans.tsv";
    }
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
