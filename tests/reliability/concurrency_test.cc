// Concurrency: searches in other processes while a writer commits batch after batch. Each
// search sees one committed state whole (exactly the articles of some commit, never a mix
// and never a failure), and a snapshot held across later commits, merges and file removals
// keeps answering as it did.
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <regex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "common/analysis/analyzer.h"
#include "common/article/article_json.h"
#include "common/index/index_reader.h"
#include "corpus/synth/synthetic_archive.h"
#include "query/parser/parser.h"
#include "query/plan.h"
#include "query/searcher.h"
#include "tests/support/run.h"
#include "tests/support/temp_dir.h"

using namespace morgue;
using namespace morgue::testing;

namespace {

constexpr uint64_t kBaseArticles = 200;
constexpr uint64_t kBatches = 8;
constexpr uint64_t kBatchArticles = 40;
// Matches every article (none holds this word).
constexpr const char* kEverything = "NOT zzqqxyzzy";

using IdSet = std::set<std::string>;

struct Archive {
  std::string base_file;
  std::vector<std::string> batch_files;
  std::vector<IdSet> states;  // the ids after the base build and after each batch
};

Archive write_archive(const TempDir& dir) {
  SyntheticOptions options;
  options.seed = 5;
  options.articles = kBaseArticles + kBatches * kBatchArticles;
  SyntheticArchive synth(options);
  Archive a;
  a.base_file = dir.file("base.jsonl");
  IdSet ids;
  {
    std::ofstream out(a.base_file);
    for (uint64_t i = 0; i < kBaseArticles; ++i) {
      Article article = synth.article(i);
      out << article_to_json(article) << '\n';
      ids.insert(article.id);
    }
  }
  a.states.push_back(ids);
  for (uint64_t b = 0; b < kBatches; ++b) {
    a.batch_files.push_back(dir.file("batch-" + std::to_string(b) + ".jsonl"));
    std::ofstream out(a.batch_files.back());
    for (uint64_t i = 0; i < kBatchArticles; ++i) {
      Article article = synth.article(kBaseArticles + b * kBatchArticles + i);
      out << article_to_json(article) << '\n';
      ids.insert(article.id);
    }
    a.states.push_back(ids);
  }
  return a;
}

// The ids of every hit a morgue-query process lists, one JSON object a line; `listed`
// counts them with repeats. (No Catch2 assertion here: it runs on reader threads.)
IdSet ids_of_all_hits(const RunResult& r, size_t& listed) {
  static const std::regex id_field(R"re([{,]"id":"([^"]+)")re");
  IdSet ids;
  listed = 0;
  for (auto it = std::sregex_iterator(r.output.begin(), r.output.end(), id_field);
       it != std::sregex_iterator(); ++it) {
    ids.insert((*it)[1]);
    ++listed;
  }
  return ids;
}

}  // namespace

TEST_CASE("searches in other processes see whole commits while a writer adds batches",
          "[reliability][concurrency]") {
  TempDir dir;
  Archive archive = write_archive(dir);
  std::string index = dir.file("idx");
  REQUIRE(run(morgue_index() + " build --index '" + index + "' '" + archive.base_file + "'")
              .exit_code == 0);

  // Catch2 assertions are not thread-safe: the threads record failures, the test checks.
  std::mutex mu;
  std::set<size_t> states_seen;
  std::vector<std::string> failures;
  std::atomic<bool> writing{true};
  std::thread writer([&] {
    for (const std::string& batch : archive.batch_files) {
      // A 1 MB budget makes every add flush several segments and merge some away.
      RunResult r = run(morgue_index() + " add --ram-mb 1 --index '" + index + "' '" + batch + "'");
      if (r.exit_code != 0) {
        std::lock_guard lock(mu);
        failures.push_back("add failed: " + r.output);
      }
    }
    writing = false;
  });

  auto reader = [&] {
    // Bounded: the last search is one that started after the writer's last commit.
    for (int i = 0; i < 2000; ++i) {
      bool writer_done = !writing;
      RunResult r = run(morgue_query() + " --json -n 100000 '" + index + "' '" + kEverything + "'");
      std::lock_guard lock(mu);
      if (r.exit_code != 0) {
        failures.push_back(r.output);
        continue;
      }
      size_t listed = 0;
      IdSet ids = ids_of_all_hits(r, listed);
      if (listed != ids.size()) failures.push_back("a search listed an article twice");
      auto state = std::find(archive.states.begin(), archive.states.end(), ids);
      if (state == archive.states.end()) {
        failures.push_back("a search saw " + std::to_string(ids.size()) +
                           " articles: not the state of any commit");
      } else {
        states_seen.insert(static_cast<size_t>(state - archive.states.begin()));
      }
      if (writer_done) break;
    }
  };
  std::thread reader1(reader), reader2(reader);
  writer.join();
  reader1.join();
  reader2.join();
  for (const std::string& f : failures) FAIL_CHECK(f);
  CHECK(failures.empty());
  CHECK(states_seen.count(kBatches) == 1);  // the searches after the last commit see it
  INFO("distinct committed states seen: " << states_seen.size());
  CHECK(states_seen.size() >= 2);  // the searches did run while commits happened
}

TEST_CASE("a snapshot held across commits and merges keeps its answers", "[reliability]") {
  TempDir dir;
  Archive archive = write_archive(dir);
  std::string index = dir.file("idx");
  REQUIRE(run(morgue_index() + " build --index '" + index + "' '" + archive.base_file + "'")
              .exit_code == 0);
  auto snapshot = IndexSnapshot::open(index);
  REQUIRE(snapshot.is_ok());

  Analyzer analyzer;
  std::vector<std::unique_ptr<Plan>> plans;
  for (const char* text : {kEverything, "the", "market OR prices", "\"said on\""}) {
    ParseResult parsed = parse_query(text);
    REQUIRE(parsed.ok());
    plans.push_back(plan_query(*parsed.query, analyzer));
  }
  auto answers = [&] {
    std::vector<std::pair<uint64_t, std::vector<std::pair<uint64_t, double>>>> out;
    for (const auto& plan : plans) {
      auto result = search(**snapshot, *plan, SearchOptions{});
      REQUIRE(result.is_ok());
      std::vector<std::pair<uint64_t, double>> hits;
      for (const Hit& h : result->hits) hits.emplace_back(h.global, h.score);
      out.emplace_back(result->total, hits);
    }
    return out;
  };
  auto before = answers();
  REQUIRE(before.front().first == kBaseArticles);

  for (const std::string& batch : archive.batch_files) {
    REQUIRE(run(morgue_index() + " add --ram-mb 1 --index '" + index + "' '" + batch + "'")
                .exit_code == 0);
  }
  REQUIRE(run(morgue_index() + " merge --index '" + index + "'").exit_code == 0);
  // The segment files the snapshot maps were removed by the merge's commit; its maps keep
  // them readable.
  CHECK(answers() == before);
  auto fresh = IndexSnapshot::open(index);
  REQUIRE(fresh.is_ok());
  CHECK((*fresh)->live_count() == kBaseArticles + kBatches * kBatchArticles);
}
