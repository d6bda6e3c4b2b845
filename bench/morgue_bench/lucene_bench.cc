#include "bench/morgue_bench/lucene_bench.h"

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <sstream>

#include <fmt/format.h>

namespace morgue {
namespace {

#if defined(MORGUE_JAVA) && defined(MORGUE_LUCENE_CLASSPATH)
constexpr const char* kJava = MORGUE_JAVA;
constexpr const char* kClasspath = MORGUE_LUCENE_CLASSPATH;
#else
constexpr const char* kJava = "";
constexpr const char* kClasspath = "";
#endif

// The heap is fixed (-Xms = -Xmx) so that the JVM does not spend the timed run resizing it.
// Indexing needs room for Lucene's RAM buffer twice over (a flush allocates while the
// buffer is still held); queries need little, the index is memory-mapped off-heap.
constexpr size_t kQueryHeapMb = 1024;
size_t index_heap_mb(size_t ram_mb) { return std::max<size_t>(1024, 2 * ram_mb + 256); }

struct ChildRun {
  std::string out;  // its stdout
  std::string err;  // its stderr
  double seconds = 0;
  uint64_t peak_rss_bytes = 0;
};

// Runs `java -Xms -Xmx -cp <classpath> MorgueLucene args...`, waits for it, and collects its
// output, wall time and peak resident memory (wait4: the JVM's own, not morgue-bench's).
Status run_java(size_t heap_mb, const std::vector<std::string>& args, ChildRun& run) {
  MORGUE_RETURN_IF_ERROR(lucene_available());
  std::vector<std::string> argv = {kJava, fmt::format("-Xms{}m", heap_mb),
                                   fmt::format("-Xmx{}m", heap_mb), "-cp", kClasspath,
                                   "MorgueLucene"};
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<char*> cargv;
  for (std::string& a : argv) cargv.push_back(a.data());
  cargv.push_back(nullptr);

  // stderr to a temporary file: it is only read at the end, so it cannot fill a pipe and
  // block the child while we read its stdout.
  std::FILE* err_file = std::tmpfile();
  if (!err_file) return Status::io_error("tmpfile failed");
  int fds[2];
  if (::pipe(fds) != 0) {
    std::fclose(err_file);
    return Status::io_error("pipe failed");
  }
  auto start = std::chrono::steady_clock::now();
  pid_t pid = ::fork();
  if (pid < 0) {
    std::fclose(err_file);
    ::close(fds[0]);
    ::close(fds[1]);
    return Status::io_error("fork failed");
  }
  if (pid == 0) {
    ::dup2(fds[1], STDOUT_FILENO);
    ::dup2(::fileno(err_file), STDERR_FILENO);
    ::close(fds[0]);
    ::close(fds[1]);
    ::execv(kJava, cargv.data());
    std::fprintf(stderr, "cannot run %s\n", kJava);
    ::_exit(127);
  }
  ::close(fds[1]);
  char buffer[4096];
  ssize_t n;
  while ((n = ::read(fds[0], buffer, sizeof(buffer))) > 0) run.out.append(buffer, static_cast<size_t>(n));
  ::close(fds[0]);
  int status = 0;
  struct rusage usage {};
  ::wait4(pid, &status, 0, &usage);
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  run.peak_rss_bytes = static_cast<uint64_t>(usage.ru_maxrss) * 1024;
  std::rewind(err_file);
  while (size_t got = std::fread(buffer, 1, sizeof(buffer), err_file)) run.err.append(buffer, got);
  std::fclose(err_file);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::string why = run.err.empty() ? fmt::format("status {}", status) : run.err;
    while (!why.empty() && why.back() == '\n') why.pop_back();
    return Status::internal(fmt::format("lucene ({}): {}", args[0], why));
  }
  return Status::ok();
}

}  // namespace

Status lucene_available() {
  if (*kJava && *kClasspath) return Status::ok();
  return Status::not_supported(
      "this morgue-bench was built without the Lucene baseline: it needs a JDK and Debian's "
      "liblucene8-java when CMake configures the build (apt-get install default-jdk-headless "
      "liblucene8-java, then re-run cmake)");
}

Status lucene_build_index(const std::string& articles_file, const std::string& dir, size_t ram_mb,
                          LuceneIndexRun& result) {
  ChildRun run;
  MORGUE_RETURN_IF_ERROR(run_java(index_heap_mb(ram_mb),
                                  {"index", articles_file, dir, std::to_string(ram_mb)}, run));
  if (std::sscanf(run.out.c_str(), "%lu %lf", &result.articles, &result.jvm_seconds) != 2)
    return Status::internal("lucene index: unexpected output: " + run.out);
  result.seconds = run.seconds;
  result.peak_rss_bytes = run.peak_rss_bytes;
  return Status::ok();
}

Status lucene_count(const std::string& dir, uint64_t& count) {
  ChildRun run;
  MORGUE_RETURN_IF_ERROR(run_java(kQueryHeapMb, {"count", dir}, run));
  if (std::sscanf(run.out.c_str(), "%lu", &count) != 1)
    return Status::internal("lucene count: unexpected output: " + run.out);
  return Status::ok();
}

Status lucene_run_queries(const std::string& dir, const std::string& plans_file,
                          const LuceneQueryOptions& options, std::vector<LuceneQueryTiming>& out) {
  ChildRun run;
  MORGUE_RETURN_IF_ERROR(run_java(kQueryHeapMb,
                                  {"query", dir, plans_file, std::to_string(options.min_passes),
                                   fmt::format("{}", options.min_warm_seconds),
                                   std::to_string(options.rounds)},
                                  run));
  std::istringstream lines(run.out);
  std::string line;
  while (std::getline(lines, line)) {
    size_t index = 0;
    LuceneQueryTiming t;
    char relation[32] = {};
    if (std::sscanf(line.c_str(), "%zu\t%lf\t%lu\t%31s\t%lu", &index, &t.median_us, &t.total_hits,
                    relation, &t.exact_count) != 5 ||
        index != out.size())
      return Status::internal("lucene query: unexpected output line: " + line);
    t.total_exact = std::string_view(relation) == "EQUAL_TO";
    out.push_back(t);
  }
  return Status::ok();
}

}  // namespace morgue
