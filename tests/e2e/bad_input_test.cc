// Bad input end to end: every row of docs/RELIABILITY.md's table, run as a user runs the
// programs, checking what they print and how they exit. Nothing is lost silently: a bad
// record is named with its file and line, and the good records beside it are indexed.
#include <catch2/catch.hpp>

#include <fstream>
#include <random>
#include <string>

#include "common/base/file.h"
#include "tests/support/paths.h"
#include "tests/support/run.h"
#include "tests/support/temp_dir.h"

using namespace morgue;
using namespace morgue::testing;

namespace {

std::string q(const std::string& s) { return "'" + s + "'"; }

const std::string kGood1 =
    R"({"id":"a1","date":"2024-03-05","headline":"Port strike ends","body":"Dockers return."})";
const std::string kGood2 =
    R"({"id":"a2","date":"2024-03-06","headline":"Rates held","body":"The bank held rates."})";

void write(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

RunResult build(const TempDir& dir, const std::string& input, const std::string& flags = "") {
  return run(morgue_index() + " build " + flags + " --index " + q(dir.file("idx")) + " " +
             q(input));
}

size_t live_count(const TempDir& dir) {
  RunResult r = run(morgue_query() + " --count " + q(dir.file("idx")) + " 'NOT zzqqxyzzy'");
  REQUIRE(r.exit_code == 0);
  return std::stoul(r.output);
}

}  // namespace

TEST_CASE("bad input: a malformed JSON line is rejected with its line, and the others are indexed",
          "[e2e][bad-input]") {
  TempDir dir;
  std::string input = dir.file("in.jsonl");
  write(input, kGood1 + "\n{\"id\":\"a3\",\"date\":\n" + kGood2 + "\n");
  RunResult r = build(dir, input);
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.output, Catch::Contains("in.jsonl:2: rejected: invalid JSON"));
  CHECK_THAT(r.output, Catch::Contains("rejected 1"));
  CHECK(live_count(dir) == 2);

  TempDir strict_dir;
  RunResult strict = build(strict_dir, input, "--strict");
  CHECK(strict.exit_code == 1);
  CHECK_THAT(strict.output, Catch::Contains("in.jsonl:2"));
}

TEST_CASE("bad input: broken SGML records are rejected with their line", "[e2e][bad-input]") {
  TempDir dir;
  std::string input = dir.file("broken.sgm");
  write(input,
        "<!DOCTYPE lewis SYSTEM \"lewis.dtd\">\n"
        "<REUTERS NEWID=\"1\"><DATE>26-FEB-1987 15:01:01.79</DATE><TEXT><TITLE>COCOA</TITLE>"
        "<BODY>Showers continued.</BODY></TEXT></REUTERS>\n"
        "<REUTERS NEWID=\"2\"><DATE>26-FEB-1987 15:02:20.00</DATE><TEXT><TITLE>CUT OFF\n"
        "<REUTERS NEWID=\"3\"><DATE>26-FEB-1987 15:03:27.51</DATE><TEXT><TITLE>GRAIN</TITLE>"
        "<BODY>Wheat rose.</BODY></TEXT></REUTERS>\n");
  RunResult r = build(dir, input);
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.output, Catch::Contains("broken.sgm:3: rejected"));
  CHECK(live_count(dir) == 2);
}

TEST_CASE("bad input: invalid UTF-8 in JSON is rejected with its line", "[e2e][bad-input]") {
  TempDir dir;
  std::string input = dir.file("utf8.jsonl");
  write(input, kGood1 + "\n{\"id\":\"b\",\"date\":\"2024-03-05\",\"body\":\"caf\xe9\"}\n" + kGood2 +
                   "\n");
  RunResult r = build(dir, input);
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.output, Catch::Contains("utf8.jsonl:2: rejected"));
  CHECK_THAT(r.output, Catch::Contains("UTF-8"));
  CHECK(live_count(dir) == 2);
}

TEST_CASE("bad input: a 100 MB article is rejected as too large, the others are indexed",
          "[e2e][bad-input]") {
  TempDir dir;
  std::string input = dir.file("huge.jsonl");
  {
    std::ofstream out(input, std::ios::binary);
    out << kGood1 << "\n{\"id\":\"huge\",\"date\":\"2024-03-05\",\"body\":\"";
    std::string sentence = "the harbour cranes stood idle all week ";
    for (size_t written = 0; written < (size_t{100} << 20); written += sentence.size())
      out << sentence;
    out << "\"}\n" << kGood2 << "\n";
  }
  RunResult r = build(dir, input);
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.output, Catch::Contains("huge.jsonl:2: rejected: article too large: 100.0 MB"));
  CHECK(live_count(dir) == 2);
}

TEST_CASE("bad input: an empty file and a binary file are skipped with a note",
          "[e2e][bad-input]") {
  TempDir dir;
  std::filesystem::create_directories(dir.file("in"));
  write(dir.file("in/empty.jsonl"), "");
  std::string binary(4096, '\0');
  std::mt19937 rng(99);
  for (char& c : binary) c = static_cast<char>(rng());
  write(dir.file("in/photo.jpg"), binary);
  write(dir.file("in/good.jsonl"), kGood1 + "\n");
  RunResult r = build(dir, dir.file("in"));
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.output, Catch::Contains("photo.jpg: skipped"));
  CHECK(live_count(dir) == 1);

  // Nothing at all to index: said, and no empty index is left behind.
  TempDir empty_dir;
  RunResult none = build(empty_dir, dir.file("in/empty.jsonl"));
  INFO(none.output);
  CHECK_THAT(none.output, Catch::Contains("read 0"));
}

TEST_CASE("bad input: a missing date is rejected unless --date gives one", "[e2e][bad-input]") {
  TempDir dir;
  std::string input = dir.file("nodate.jsonl");
  write(input, kGood1 + "\n{\"id\":\"n\",\"headline\":\"Undated\",\"body\":\"No date.\"}\n");
  RunResult r = build(dir, input);
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.output, Catch::Contains("nodate.jsonl:2: rejected: missing date"));
  CHECK(live_count(dir) == 1);
  TempDir dated;
  CHECK(build(dated, input, "--date 2024-01-01").exit_code == 0);
  CHECK(live_count(dated) == 2);
}

TEST_CASE("bad input: an unknown field is kept with the article, not an error",
          "[e2e][bad-input]") {
  TempDir dir;
  std::string input = dir.file("extra.jsonl");
  write(input, R"({"id":"x","date":"2024-03-05","body":"Text.","desk":"metro"})" "\n");
  RunResult r = build(dir, input);
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.output, Catch::Contains("rejected 0"));
  RunResult shown = run(morgue_query() + " --json " + q(dir.file("idx")) + " text");
  CHECK_THAT(shown.output, Catch::Contains("\"desk\":\"metro\""));
}

TEST_CASE("bad input: a query syntax error shows a caret and exits 2", "[e2e][bad-input]") {
  TempDir dir;
  write(dir.file("in.jsonl"), kGood1 + "\n");
  REQUIRE(build(dir, dir.file("in.jsonl")).exit_code == 0);
  RunResult r = run(morgue_query() + " " + q(dir.file("idx")) + " '(port AND'");
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.output, Catch::Contains("^"));
}

TEST_CASE("bad input: a missing index, and an index locked by a writer", "[e2e][bad-input]") {
  TempDir dir;
  RunResult missing = run(morgue_query() + " " + q(dir.file("nowhere")) + " port");
  CHECK(missing.exit_code == 1);
  CHECK_THAT(missing.output, Catch::Contains("nowhere"));

  write(dir.file("in.jsonl"), kGood1 + "\n");
  REQUIRE(build(dir, dir.file("in.jsonl")).exit_code == 0);
  auto lock = FileLock::acquire(dir.file("idx/LOCK"));
  REQUIRE(lock.is_ok());
  RunResult add = run(morgue_index() + " add --index " + q(dir.file("idx")) + " " +
                      q(dir.file("in.jsonl")));
  CHECK(add.exit_code == 1);
  CHECK_THAT(add.output, Catch::Contains("being written by another writer"));
  // Readers are never blocked by a writer.
  CHECK(run(morgue_query() + " --count " + q(dir.file("idx")) + " port").exit_code == 0);
}
