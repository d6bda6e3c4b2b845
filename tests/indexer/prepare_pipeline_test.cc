// The analysis pipeline: every article comes out prepared exactly as prepare_article()
// prepares it on one thread, in reading order, whatever the number of workers; a writer
// that stops early neither hangs nor keeps the reader waiting; the workers run below the
// writer's priority.
#include <catch2/catch.hpp>

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "common/base/thread.h"
#include "common/store/article_codec.h"
#include "indexer/index/prepare_pipeline.h"

using namespace morgue;

namespace {

const char* const kWords[] = {"grain", "ships", "cocoa", "harvest", "bank", "rates", "strike"};

Article numbered_article(std::mt19937& rng, int n) {
  Article a;
  a.id = "a" + std::to_string(n);
  a.published = 1700000000 + n;
  // Lengths vary a lot, so that workers finish their batches out of order.
  for (int i = 0, words = 1 + static_cast<int>(rng() % 400); i < words; ++i)
    a.body += std::string(i ? " " : "") + kWords[rng() % std::size(kWords)];
  return a;
}

// The nice values of this process's threads named `name` (/proc/self/task/*/comm).
std::vector<int> nice_of_threads_named(const std::string& name) {
  std::vector<int> nices;
  for (const auto& task : std::filesystem::directory_iterator("/proc/self/task")) {
    std::string comm;
    std::getline(std::ifstream(task.path() / "comm"), comm);
    if (comm != name) continue;
    errno = 0;
    int nice = getpriority(PRIO_PROCESS, static_cast<id_t>(std::stoi(task.path().filename())));
    if (errno == 0) nices.push_back(nice);
  }
  return nices;
}

}  // namespace

TEST_CASE("the pipeline yields every article prepared, in reading order", "[index][pipeline]") {
  for (size_t workers : {1u, 2u, 5u}) {
    CAPTURE(workers);
    // Not a multiple of the batch size: the last batch is partial.
    const int kArticles = static_cast<int>(kPrepareBatchArticles * 40 + 7);
    PreparePipeline pipeline(workers);
    std::thread reader([&] {
      std::mt19937 rng(42);
      for (int n = 0; n < kArticles; ++n) REQUIRE(pipeline.push(numbered_article(rng, n)));
      pipeline.close();
    });
    std::mt19937 rng(42);
    Analyzer analyzer;
    PreparedArticle got;
    int n = 0;
    for (; pipeline.pop(got); ++n) {
      PreparedArticle expected = prepare_article(numbered_article(rng, n), analyzer);
      REQUIRE(got.article.id == expected.article.id);
      REQUIRE(got.terms == expected.terms);
      REQUIRE(got.stored == expected.stored);
    }
    reader.join();
    CHECK(n == kArticles);
  }
}

TEST_CASE("a writer that stops early releases the reader", "[index][pipeline]") {
  PreparePipeline pipeline(2);
  int refused = 0;
  std::thread reader([&] {
    std::mt19937 rng(7);
    for (int n = 0; n < 5000; ++n)
      if (!pipeline.push(numbered_article(rng, n))) ++refused;
    pipeline.close();
  });
  PreparedArticle got;
  for (int n = 0; n < 100; ++n) REQUIRE(pipeline.pop(got));
  pipeline.stop();
  CHECK_FALSE(pipeline.pop(got));
  reader.join();  // would hang if push() kept waiting for room
  CHECK(refused > 0);
}

TEST_CASE("the analysis workers run below the writer's priority", "[index][pipeline]") {
  errno = 0;
  const int writer_nice = getpriority(PRIO_PROCESS, static_cast<id_t>(gettid()));
  REQUIRE(errno == 0);
  PreparePipeline pipeline(3);
  // A worker lowers its priority before it names itself: once all three names show, their
  // priorities are set. (They start at once; the wait is for the scheduler, not a timing.)
  std::vector<int> nices;
  for (int tries = 0; tries < 10000 && nices.size() < 3; ++tries) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
    nices = nice_of_threads_named("morgue-analyse");
  }
  REQUIRE(nices.size() == 3);
  for (int nice : nices)
    CHECK(nice == std::min(writer_nice + kPreparePriorityDrop, kLowestThreadPriority));
  CHECK(getpriority(PRIO_PROCESS, static_cast<id_t>(gettid())) == writer_nice);
}
