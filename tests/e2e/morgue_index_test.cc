// morgue-index end to end: the commands a user runs, their output and exit codes.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>

#include "common/base/file.h"
#include "tests/support/paths.h"
#include "tests/support/run.h"
#include "tests/support/temp_dir.h"

using namespace morgue;
using namespace morgue::testing;

namespace {

std::string q(const std::string& s) { return "'" + s + "'"; }

// The peak memory a build reports in its summary, in MB.
double reported_peak_mb(const std::string& output) {
  std::smatch m;
  REQUIRE(std::regex_search(output, m, std::regex("peak memory ([0-9]+) MB")));
  return std::stod(m[1]);
}

}  // namespace

TEST_CASE("parse prints the samples as articles, and as JSON Lines with --json", "[e2e]") {
  RunResult r = run(morgue_index() + " parse " + q(source_path("corpus/samples")) +
                    " --date 2024-03-05 --json");
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.output, Catch::Contains("read 20, accepted 20, rejected 0"));
  CHECK_THAT(r.output, Catch::Contains("README.md: skipped: not an article file"));
  size_t lines = 0;
  for (size_t at = r.output.find("{\"id\":"); at != std::string::npos;
       at = r.output.find("{\"id\":", at + 1))
    ++lines;
  CHECK(lines == 20);

  RunResult text = run(morgue_index() + " parse " + q(source_path("corpus/samples")));
  CHECK(text.exit_code == 0);
  CHECK_THAT(text.output, Catch::Contains("rejected: missing date"));
  CHECK_THAT(text.output, Catch::Contains("headline"));
}

TEST_CASE("usage errors and missing inputs exit non-zero with a message", "[e2e]") {
  RunResult bad_flag = run(morgue_index() + " parse --format nope " + q(source_path("corpus")));
  CHECK(bad_flag.exit_code == 2);
  CHECK_THAT(bad_flag.output, Catch::Contains("unknown format 'nope'"));
  RunResult missing = run(morgue_index() + " parse /no/such/file");
  CHECK(missing.exit_code == 1);
  CHECK_THAT(missing.output, Catch::Contains("/no/such/file: no such file or directory"));
  RunResult no_command = run(morgue_index());
  CHECK(no_command.exit_code != 0);
}

TEST_CASE("build, stats, verify, dump-term, add, delete and merge on the samples", "[e2e]") {
  TempDir dir;
  std::string index = dir.file("idx");
  RunResult build = run(morgue_index() + " build --index " + q(index) + " " +
                        q(source_path("corpus/samples")) + " --date 2024-03-05");
  REQUIRE(build.exit_code == 0);
  CHECK_THAT(build.output, Catch::Contains("articles: read 20, indexed 19, replaced 0, kept newer 1"));
  CHECK_THAT(build.output, Catch::Contains("in 1 segment holding 19 articles"));

  RunResult again = run(morgue_index() + " build --index " + q(index) + " " +
                        q(source_path("corpus/samples")));
  CHECK(again.exit_code == 1);
  CHECK_THAT(again.output, Catch::Contains("an index already exists here"));

  RunResult stats = run(morgue_index() + " stats " + q(index));
  REQUIRE(stats.exit_code == 0);
  CHECK_THAT(stats.output, Catch::Contains("documents    19 live, 0 deleted"));
  CHECK_THAT(stats.output, Catch::Contains("bytes/posting"));
  CHECK_THAT(stats.output, Catch::Contains("without store"));
  CHECK_THAT(stats.output, Catch::Contains("store ratio"));
  // --layout: every part of the postings and positions, and the kinds of term the samples
  // have; a total per file that is the file's size but its header and footer.
  RunResult layout = run(morgue_index() + " stats --layout " + q(index));
  REQUIRE(layout.exit_code == 0);
  for (const char* part : {"postings by part", "skip tables", "document gaps, last blocks",
                           "positions by part", "first positions", "excess lists",
                           "text words", "text stems", "headline words", "ids"}) {
    CHECK_THAT(layout.output, Catch::Contains(part));
  }

  RunResult verify = run(morgue_index() + " verify " + q(index));
  CHECK(verify.exit_code == 0);
  CHECK_THAT(verify.output, Catch::Contains("ok: 1 segment, 19 live articles"));

  RunResult dump = run(morgue_index() + " dump-term " + q(index) + " Ztrike");
  CHECK(dump.exit_code == 0);
  CHECK_THAT(dump.output, Catch::Contains("live df 0"));
  RunResult strike = run(morgue_index() + " dump-term " + q(index) + " strike");
  CHECK_THAT(strike.output, Catch::Contains("positions"));

  // A newer version of one story, then a deletion.
  std::string update = dir.file("update.jsonl");
  std::ofstream(update) << R"({"id":"mw-2023-0412-port","version":3,"date":"2023-04-13",)"
                        << R"("headline":"Strike ends","body":"The strike ended."})" << "\n";
  RunResult add = run(morgue_index() + " add --index " + q(index) + " " + q(update));
  REQUIRE(add.exit_code == 0);
  CHECK_THAT(add.output, Catch::Contains("indexed 1, replaced 1"));
  RunResult del = run(morgue_index() + " delete --index " + q(index) + " 900001 nope");
  CHECK(del.exit_code == 1);  // one id was not found
  CHECK_THAT(del.output, Catch::Contains("no article with id 'nope'"));
  CHECK_THAT(del.output, Catch::Contains("deleted 1 of 2"));
  RunResult stats2 = run(morgue_index() + " stats " + q(index));
  CHECK_THAT(stats2.output, Catch::Contains("documents    18 live, 2 deleted"));
  RunResult merge = run(morgue_index() + " merge --index " + q(index));
  REQUIRE(merge.exit_code == 0);
  CHECK_THAT(merge.output, Catch::Contains("into 1: 18 articles"));
  CHECK(run(morgue_index() + " verify " + q(index)).exit_code == 0);
}

TEST_CASE("build --codec writes the segments with that codec, and queries answer the same",
          "[e2e]") {
  TempDir dir;
  // The codec byte of a file's header (docs/FORMAT.md#files): after the magic, the version
  // and the kind.
  auto postings_codec = [](const std::string& index) {
    for (const auto& entry : std::filesystem::directory_iterator(index)) {
      if (entry.path().extension() != ".doc") continue;
      std::ifstream in(entry.path(), std::ios::binary);
      char header[14] = {};
      in.read(header, sizeof header);
      return static_cast<int>(static_cast<unsigned char>(header[13]));
    }
    return -1;
  };
  std::map<std::string, int> ids = {{"pfor128", 3}, {"bitpack128", 2}, {"streamvbyte", 1}};
  std::vector<std::string> answers;
  for (const auto& [name, id] : ids) {
    CAPTURE(name);
    std::string index = dir.file(name);
    RunResult build = run(morgue_index() + " build --index " + q(index) + " --codec " + name +
                          " " + q(source_path("corpus/samples")) + " --date 2024-03-05");
    REQUIRE(build.exit_code == 0);
    CHECK(postings_codec(index) == id);
    CHECK(run(morgue_index() + " verify " + q(index)).exit_code == 0);
    std::string answer;
    for (const char* query : {"strike", "\"port workers\"", "strike OR police OR minister"}) {
      RunResult r = run(morgue_query() + " " + q(index) + " " + q(query) + " --json -n 20");
      REQUIRE(r.exit_code == 0);
      answer += r.output;
    }
    CHECK_THAT(answer, Catch::Contains("\"score\""));
    answers.push_back(answer);
  }
  CHECK(answers[0] == answers[1]);
  CHECK(answers[1] == answers[2]);
  // Without --codec, pfor128.
  std::string index = dir.file("default");
  REQUIRE(run(morgue_index() + " build --index " + q(index) + " " +
              q(source_path("corpus/samples")) + " --date 2024-03-05")
              .exit_code == 0);
  CHECK(postings_codec(index) == 3);
  RunResult bad = run(morgue_index() + " build --index " + q(dir.file("x")) + " --codec zip " +
                      q(source_path("corpus/samples")));
  CHECK(bad.exit_code != 0);
  CHECK_THAT(bad.output, Catch::Contains("--codec"));
}

TEST_CASE("verify names the damaged file and exits 1", "[e2e]") {
  TempDir dir;
  std::string index = dir.file("idx");
  REQUIRE(run(morgue_index() + " build --index " + q(index) + " " +
              q(source_path("corpus/samples/wire-archive.jsonl")))
              .exit_code == 0);
  std::string postings = index + "/seg-000001.doc";
  std::string bytes = *read_whole_file(postings);
  bytes[bytes.size() / 2] ^= 0x40;
  std::filesystem::remove(postings);
  std::ofstream(postings, std::ios::binary) << bytes;
  RunResult verify = run(morgue_index() + " verify " + q(index));
  CHECK(verify.exit_code == 1);
  CHECK_THAT(verify.output, Catch::Contains("seg-000001.doc"));
  CHECK_THAT(verify.output, Catch::Contains("checksum mismatch"));
}

TEST_CASE("a second writer is refused while the index is locked", "[e2e]") {
  TempDir dir;
  std::string index = dir.file("idx");
  REQUIRE(run(morgue_index() + " build --index " + q(index) + " " +
              q(source_path("corpus/samples/wire-archive.jsonl")))
              .exit_code == 0);
  auto lock = FileLock::acquire(index + "/LOCK");  // as a running writer would hold it
  REQUIRE(lock.is_ok());
  RunResult add = run(morgue_index() + " add --index " + q(index) + " " +
                      q(source_path("corpus/samples/wire-archive.jsonl")));
  CHECK(add.exit_code == 1);
  CHECK_THAT(add.output, Catch::Contains("being written by another writer"));
}

TEST_CASE("building Reuters stays within the RAM budget, and a tiny budget within budget "
          "plus the documented constant", "[e2e][memory]") {
  // docs/INDEXING.md: a budget of 128 MB or more bounds the whole process (up to a million
  // articles, measured); below that, peak memory <= RAM budget + 64 MB.
  struct Case {
    double budget_mb, bound_mb;
  };
  for (Case c : {Case{128, 128}, Case{8, 8 + 64}}) {
    CAPTURE(c.budget_mb);
    TempDir dir;
    RunResult r = run(morgue_index() + " build --ram-mb " + std::to_string(int(c.budget_mb)) +
                      " --index " + q(dir.file("idx")) + " " +
                      q(shared_path("corpus/reuters21578")));
    REQUIRE(r.exit_code == 0);
    CHECK_THAT(r.output, Catch::Contains("read 21578, indexed 21578"));
#ifdef MORGUE_SANITIZED
    // Shadow memory and the allocator's quarantine are not the program's: the bound is
    // checked by the ordinary build only.
    WARN("sanitizer build: peak memory " << reported_peak_mb(r.output) << " MB not checked");
#else
    CHECK(reported_peak_mb(r.output) <= c.bound_mb);
#endif
  }
}
