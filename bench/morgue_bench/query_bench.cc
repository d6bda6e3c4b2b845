#include "bench/morgue_bench/query_bench.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <iterator>
#include <optional>
#include <set>

#include <fmt/format.h>

#include "bench/morgue_bench/lucene_files.h"
#include "bench/xapian_query.h"
#include "common/index/index_reader.h"
#include "query/parser/parser.h"
#include "query/searcher.h"

namespace morgue {
namespace {

using Clock = std::chrono::steady_clock;

struct BenchQuery {
  std::string kind, text;
  std::unique_ptr<Plan> plan;
  Xapian::Query xapian;
  std::vector<double> morgue_us, xapian_us;
  uint64_t morgue_total = 0;  // exact match count, counted only to check Lucene's
  LuceneQueryTiming lucene;
};

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t i = static_cast<size_t>(std::ceil(p * static_cast<double>(v.size()))) - 1;
  return v[std::min(i, v.size() - 1)];
}

// The article id of every document of the snapshot, by global number (from the Q terms).
Status article_ids(const IndexSnapshot& snapshot, std::vector<std::string>& ids) {
  std::vector<std::string> segment_ids;
  for (size_t s = 0; s < snapshot.segments().size(); ++s) {
    MORGUE_RETURN_IF_ERROR(snapshot.segments()[s]->article_ids(segment_ids));
    ids.resize(snapshot.base(s));
    std::move(segment_ids.begin(), segment_ids.end(), std::back_inserter(ids));
  }
  return Status::ok();
}

// Do the two top-10 lists agree? Scores must be equal rank by rank (1e-9 relative), and
// documents scoring above the 10th score must be the same; documents tied at the cut-off
// are interchangeable (the engines number documents differently).
bool same_top10(const std::vector<std::pair<std::string, double>>& a,
                const std::vector<std::pair<std::string, double>>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    double x = a[i].second, y = b[i].second;
    if (std::fabs(x - y) > 1e-9 * std::max(std::fabs(x), std::fabs(y)) + 1e-12) return false;
  }
  if (a.empty()) return true;
  double cut = a.back().second;
  std::set<std::string> above_a, above_b;
  for (const auto& [id, s] : a)
    if (s > cut * (1 + 1e-9) + 1e-12) above_a.insert(id);
  for (const auto& [id, s] : b)
    if (s > cut * (1 + 1e-9) + 1e-12) above_b.insert(id);
  return above_a == above_b;
}

}  // namespace

Status run_query_bench(const QueryBenchOptions& options, QueryBenchResult& result) {
  MORGUE_ASSIGN_OR_RETURN(auto snapshot, IndexSnapshot::open(options.morgue_dir));
  std::vector<std::string> ids;
  MORGUE_RETURN_IF_ERROR(article_ids(*snapshot, ids));
  result.with_xapian = !options.xapian_dir.empty();
  result.with_lucene = !options.lucene_dir.empty();
  // Xapian refuses an Enquire over no database, so without Xapian there is none.
  std::optional<Xapian::Database> db;
  std::optional<Xapian::Enquire> enquire;
  if (result.with_xapian) {
    db.emplace(options.xapian_dir);
    enquire.emplace(*db);
    enquire->set_weighting_scheme(Xapian::BM25Weight());
  }

  std::ifstream in(options.queries_file);
  if (!in) return Status::io_error(options.queries_file + ": cannot open");
  std::vector<BenchQuery> queries;
  Analyzer analyzer;
  std::string line;
  for (size_t number = 1; std::getline(in, line); ++number) {
    size_t tab = line.find('\t');
    if (line.empty() || tab == std::string::npos) continue;
    BenchQuery q;
    q.kind = line.substr(0, tab);
    q.text = line.substr(tab + 1);
    ParseResult parsed = parse_query(q.text);
    if (!parsed.ok()) {
      return Status::parse_error(options.queries_file + ":" + std::to_string(number) + ": " +
                                 parsed.error.message);
    }
    q.plan = plan_query(*parsed.query, analyzer);
    if (!q.plan) continue;
    if (result.with_xapian) q.xapian = to_xapian_query(*q.plan);
    if (!result.kinds.count(q.kind)) result.kind_order.push_back(q.kind);
    result.kinds[q.kind].queries++;
    queries.push_back(std::move(q));
  }

  // Timed as morgue-query runs by default and as Lucene's top-10 search does: counting stops
  // at 1000 and pruning starts. The agreement check counts exactly.
  SearchOptions top10;
  top10.exact_count_limit = 1000;
  SearchOptions top10_exact_count;
  auto run_morgue = [&](BenchQuery& q, bool timed) -> Status {
    auto start = Clock::now();
    auto r = search(*snapshot, *q.plan, top10);
    double us = std::chrono::duration<double, std::micro>(Clock::now() - start).count();
    if (!r.is_ok()) return r.status();
    if (timed) q.morgue_us.push_back(us);
    return Status::ok();
  };
  auto run_xapian = [&](BenchQuery& q, bool timed) {
    auto start = Clock::now();
    enquire->set_query(q.xapian);
    Xapian::MSet mset = enquire->get_mset(0, 10);
    double us = std::chrono::duration<double, std::micro>(Clock::now() - start).count();
    if (timed) q.xapian_us.push_back(us);
    return mset;
  };

  // Warm-up, and the agreement check of the timed (pruned) top 10. The exact count is only
  // for checking Lucene's: left out, a profile of `--vs none` holds only the timed path.
  for (BenchQuery& q : queries) {
    if (result.with_lucene) {
      auto counted = search(*snapshot, *q.plan, top10_exact_count);
      if (!counted.is_ok()) return counted.status();
      q.morgue_total = counted->total;
    }
    auto ours = search(*snapshot, *q.plan, top10);
    if (!ours.is_ok()) return ours.status();
    if (!result.with_xapian) continue;
    Xapian::MSet mset = run_xapian(q, false);
    std::vector<std::pair<std::string, double>> a, b;
    for (const Hit& h : ours->hits) a.emplace_back(ids[h.global], h.score);
    for (auto it = mset.begin(); it != mset.end(); ++it) b.emplace_back(it.get_document().get_data(), it.get_weight());
    if (!same_top10(a, b)) {
      ++result.top10_differences;
      result.differing_queries.push_back(q.kind + "\t" + q.text);
    }
  }
  // Each engine's rounds run on their own, after a warm-up pass of its own, as Lucene's do
  // in their JVM: interleaved with Xapian's, whose index is eight times morgue's, each
  // morgue query found the caches holding Xapian's pages rather than its own, which no
  // deployment of one engine sees (docs/BENCHMARKS.md, 2026-12-05).
  for (int round = -1; round < options.rounds; ++round) {
    for (BenchQuery& q : queries) MORGUE_RETURN_IF_ERROR(run_morgue(q, round >= 0));
  }
  if (result.with_xapian) {
    for (int round = -1; round < options.rounds; ++round) {
      for (BenchQuery& q : queries) run_xapian(q, round >= 0);
    }
  }
  // Lucene: the same plans, after morgue and Xapian are done, in its own JVM.
  if (result.with_lucene) {
    std::vector<std::pair<std::string, const Plan*>> plans;
    for (const BenchQuery& q : queries) plans.emplace_back(q.kind, q.plan.get());
    MORGUE_RETURN_IF_ERROR(write_lucene_plans(plans, options.lucene_plans_file));
    LuceneQueryOptions lucene = options.lucene;
    lucene.rounds = options.rounds;
    std::vector<LuceneQueryTiming> timings;
    MORGUE_RETURN_IF_ERROR(
        lucene_run_queries(options.lucene_dir, options.lucene_plans_file, lucene, timings));
    if (timings.size() != queries.size())
      return Status::internal(fmt::format("lucene answered {} of {} queries", timings.size(),
                                          queries.size()));
    for (size_t i = 0; i < queries.size(); ++i) {
      BenchQuery& q = queries[i];
      q.lucene = timings[i];
      if (q.lucene.exact_count != q.morgue_total) {
        ++result.lucene_count_differences;
        ++result.kinds[q.kind].lucene_count_differences;
        result.lucene_differing_counts.push_back(fmt::format(
            "{}\t{}: morgue {}, lucene {}", q.kind, q.text, q.morgue_total, q.lucene.exact_count));
      }
    }
  }

  std::map<std::string, std::vector<double>> morgue_by_kind, xapian_by_kind, lucene_by_kind;
  for (const BenchQuery& q : queries) {
    // Each query contributes its median over the rounds.
    QueryLatency latency{q.kind, q.text, percentile(q.morgue_us, 0.5),
                         percentile(q.xapian_us, 0.5), q.lucene.median_us};
    morgue_by_kind[q.kind].push_back(latency.morgue_us);
    xapian_by_kind[q.kind].push_back(latency.xapian_us);
    lucene_by_kind[q.kind].push_back(latency.lucene_us);
    result.per_query.push_back(std::move(latency));
  }
  auto latency = [](const std::vector<double>& per_query) {
    return EngineLatency{percentile(per_query, 0.5), percentile(per_query, 0.99)};
  };
  for (auto& [kind, k] : result.kinds) {
    k.morgue = latency(morgue_by_kind[kind]);
    if (result.with_xapian) k.xapian = latency(xapian_by_kind[kind]);
    if (result.with_lucene) k.lucene = latency(lucene_by_kind[kind]);
  }
  return Status::ok();
}

}  // namespace morgue
