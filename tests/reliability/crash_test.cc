// Crash safety: morgue-index add is killed with SIGKILL, at random instants and at every
// named crash point (common/base/crash_point.h) of flush, merge and commit. After each
// kill the index opens, verify passes, it holds exactly the articles of the last completed
// commit (ids and versions), and a new run of the same add finishes the job.
#include <catch2/catch.hpp>

#include <chrono>
#include <csignal>
#include <fcntl.h>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <spawn.h>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <vector>

#include "common/article/article_json.h"
#include "common/index/index_reader.h"
#include "corpus/synth/synthetic_archive.h"
#include "indexer/commands/inspect_commands.h"
#include "tests/support/run.h"
#include "tests/support/temp_dir.h"

extern char** environ;

using namespace morgue;
using namespace morgue::testing;
namespace fs = std::filesystem;

namespace {

using IdVersions = std::map<std::string, int64_t>;

constexpr uint64_t kBaseArticles = 300;
constexpr uint64_t kAddedArticles = 600;
constexpr uint64_t kReissueEvery = 10;  // every 10th base article comes again as version 2
// A 3 MB budget flushes every 1 MB of buffered articles (a third of the budget fills while
// another third flushes): the add flushes many times and every eighth small segment
// triggers a tiered merge, all before its one commit.
constexpr const char* kRamMb = "3";

// Random kills: 100 in the plain build. Under the sanitizers every add runs several times
// slower and their job is memory errors, not the spread of kill instants (the crash-point
// test drives the same recovery there): 10, of which the test requires some before the commit.
#ifdef MORGUE_SANITIZED
constexpr int kRandomKills = 10;
#else
constexpr int kRandomKills = 100;
#endif

// Every live article of the index at `dir`: id -> version.
IdVersions live_articles(const std::string& dir) {
  auto snapshot = IndexSnapshot::open(dir);
  REQUIRE(snapshot.is_ok());
  IdVersions out;
  for (const auto& segment : (*snapshot)->segments()) {
    for (DocNum doc = 0; doc < segment->meta().doc_count; ++doc) {
      if (segment->is_deleted(doc)) continue;
      auto article = segment->store().get_article(doc);
      REQUIRE(article.is_ok());
      REQUIRE(out.emplace(article->id, article->version).second);  // one live copy an id
    }
  }
  return out;
}

// The archive's base part, and an addition of new articles and re-issues of old ones.
struct Inputs {
  std::string base_file, added_file;
  IdVersions before, after;  // the index's articles before and after the addition
};

Inputs write_inputs(const TempDir& dir) {
  SyntheticOptions options;
  options.seed = 7;
  options.articles = kBaseArticles + kAddedArticles;
  SyntheticArchive archive(options);
  Inputs in;
  in.base_file = dir.file("base.jsonl");
  in.added_file = dir.file("added.jsonl");
  std::ofstream base(in.base_file), added(in.added_file);
  for (uint64_t i = 0; i < kBaseArticles; ++i) {
    Article a = archive.article(i);
    a.version = 1;
    base << article_to_json(a) << '\n';
    in.before[a.id] = 1;
    in.after[a.id] = 1;
    if (i % kReissueEvery == 0) {  // corrected later: a new version replaces it
      a.version = 2;
      a.headline = "CORRECTED: " + a.headline;
      added << article_to_json(a) << '\n';
      in.after[a.id] = 2;
    }
  }
  for (uint64_t i = kBaseArticles; i < options.articles; ++i) {
    Article a = archive.article(i);
    a.version = 1;
    added << article_to_json(a) << '\n';
    in.after[a.id] = 1;
  }
  return in;
}

// Starts `morgue-index add` on `index`, with MORGUE_CRASH_AT=crash_at when not empty.
pid_t start_add(const std::string& index, const std::string& added_file,
                const std::string& crash_at) {
  std::vector<std::string> args = {morgue_index(), "add", "--ram-mb", kRamMb,
                                   "--index", index, added_file};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_strings;
  for (char** e = environ; *e; ++e) {
    if (std::string_view(*e).starts_with("MORGUE_CRASH_AT=")) continue;
    env_strings.emplace_back(*e);
  }
  if (!crash_at.empty()) env_strings.push_back("MORGUE_CRASH_AT=" + crash_at);
  std::vector<char*> envp;
  for (auto& e : env_strings) envp.push_back(e.data());
  envp.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  pid_t pid = -1;
  int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  REQUIRE(rc == 0);
  return pid;
}

// Waits for the child; true if SIGKILL ended it, false if it exited 0.
bool wait_killed(pid_t pid) {
  int status = 0;
  REQUIRE(::waitpid(pid, &status, 0) == pid);
  if (WIFSIGNALED(status)) {
    REQUIRE(WTERMSIG(status) == SIGKILL);
    return true;
  }
  REQUIRE(WIFEXITED(status));
  REQUIRE(WEXITSTATUS(status) == 0);
  return false;
}

void copy_index(const std::string& from, const std::string& to) {
  fs::remove_all(to);
  fs::copy(from, to);
}

// The checks after a kill: the index opens and verifies, and holds one of the two states;
// then the same add, run again, completes it. Returns whether the kill came after the
// commit point.
bool check_after_kill(const std::string& index, const Inputs& in) {
  Status verified = verify_index(index, nullptr);
  INFO(verified.to_string());
  REQUIRE(verified.is_ok());
  IdVersions now = live_articles(index);
  bool committed = now == in.after;
  if (!committed) REQUIRE(now == in.before);
  RunResult again = run(morgue_index() + " add --ram-mb " + kRamMb + " --index '" + index +
                        "' '" + in.added_file + "'");
  INFO(again.output);
  REQUIRE(again.exit_code == 0);
  REQUIRE(verify_index(index, nullptr).is_ok());
  REQUIRE(live_articles(index) == in.after);
  return committed;
}

// Builds the index the additions start from; returns its directory.
std::string build_base_index(const TempDir& dir, const Inputs& in) {
  std::string base = dir.file("base-index");
  REQUIRE(run(morgue_index() + " build --index '" + base + "' '" + in.base_file + "'")
              .exit_code == 0);
  REQUIRE(live_articles(base) == in.before);
  return base;
}

}  // namespace

TEST_CASE("an add killed at every crash point of flush, merge and commit loses nothing",
          "[reliability][crash]") {
  TempDir dir;
  Inputs in = write_inputs(dir);
  std::string base = build_base_index(dir, in);

  // The commit point is the manifest's rename: before it the old state, after it the new.
  const std::vector<std::pair<std::string, bool>> points = {
      {"flush-written", false},        {"segment-finishing", false},
      {"merge-written", false},        {"commit-before-manifest", false},
      {"atomic-write-before-rename", false}, {"atomic-write-before-dir-sync", true},
      {"commit-after-manifest", true},
  };
  std::string index = dir.file("index");
  for (const auto& [point, after_commit] : points) {
    size_t kills = 0;
    for (int hit = 1;; ++hit) {
      copy_index(base, index);
      std::string crash_at = point + ":" + std::to_string(hit);
      INFO(crash_at);
      if (!wait_killed(start_add(index, in.added_file, crash_at))) break;  // never reached
      ++kills;
      // A writer's flushes and merges all precede its commit: every hit of a point before
      // the manifest leaves the old state.
      CHECK(check_after_kill(index, in) == after_commit);
      if (hit == 4) break;  // the first few hits of a point suffice
    }
    INFO(point);
    CHECK(kills > 0);  // the add really passes through every point
  }
}

TEST_CASE("an add killed at random instants loses nothing and resumes",
          "[reliability][crash]") {
  TempDir dir;
  Inputs in = write_inputs(dir);
  std::string base = build_base_index(dir, in);
  std::string index = dir.file("index");

  // How long an undisturbed add takes, to spread the kills over all of it.
  copy_index(base, index);
  auto started = std::chrono::steady_clock::now();
  REQUIRE_FALSE(wait_killed(start_add(index, in.added_file, "")));
  auto full = std::chrono::steady_clock::now() - started;
  REQUIRE(live_articles(index) == in.after);

  std::mt19937 rng(20261129);
  std::uniform_real_distribution<double> instant(0.0, 1.1);
  size_t old_state = 0, new_state = 0;
  for (int trial = 0; trial < kRandomKills; ++trial) {
    copy_index(base, index);
    pid_t pid = start_add(index, in.added_file, "");
    std::this_thread::sleep_for(
        std::chrono::duration_cast<std::chrono::microseconds>(full * instant(rng)));
    ::kill(pid, SIGKILL);
    wait_killed(pid);  // killed, or finished before the kill landed
    INFO("trial " << trial);
    (check_after_kill(index, in) ? new_state : old_state)++;
  }
  // Not a property of the engine, only of the test: the kills did land before the commit.
  CHECK(old_state > 0);
}
