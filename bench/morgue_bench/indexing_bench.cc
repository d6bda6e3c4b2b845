#include "bench/morgue_bench/indexing_bench.h"

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fmt/format.h>
#include <thread>

#include "bench/morgue_bench/lucene_bench.h"
#include "bench/morgue_bench/lucene_files.h"
#include "bench/xapian_mirror.h"
#include "common/index/index_reader.h"
#include "indexer/commands/index_commands.h"
#include "indexer/index/prepare_pipeline.h"

namespace morgue {
namespace fs = std::filesystem;
namespace {

// Runs `job` in a child process and returns what it wrote to its pipe, with the child's
// peak resident memory. The child's memory is then all its own, not the bench's.
Status in_child(const std::function<std::string()>& job, std::string& output,
                uint64_t& peak_rss_bytes) {
  int fds[2];
  if (::pipe(fds) != 0) return Status::io_error("pipe failed");
  pid_t pid = ::fork();
  if (pid < 0) return Status::io_error("fork failed");
  if (pid == 0) {
    ::close(fds[0]);
    std::string out = job();
    ssize_t unused = ::write(fds[1], out.data(), out.size());
    (void)unused;
    ::close(fds[1]);
    ::_exit(out.starts_with("error") ? 1 : 0);
  }
  ::close(fds[1]);
  char buffer[4096];
  ssize_t n;
  while ((n = ::read(fds[0], buffer, sizeof(buffer))) > 0) output.append(buffer, static_cast<size_t>(n));
  ::close(fds[0]);
  int status = 0;
  struct rusage usage {};
  ::wait4(pid, &status, 0, &usage);
  peak_rss_bytes = static_cast<uint64_t>(usage.ru_maxrss) * 1024;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    return Status::internal("child failed: " + output);
  return Status::ok();
}

uint64_t tree_bytes(const std::string& dir, std::map<std::string, uint64_t>* by_file = nullptr) {
  uint64_t total = 0;
  std::error_code ec;
  for (const auto& e : fs::recursive_directory_iterator(dir, ec)) {
    if (!e.is_regular_file(ec)) continue;
    total += e.file_size(ec);
    if (by_file) (*by_file)[e.path().filename().string()] += e.file_size(ec);
  }
  return total;
}

std::string build_morgue(const IndexingOptions& options, const std::string& dir) {
  IndexCommandOptions command;
  command.index_dir = dir;
  command.paths = options.corpus;
  command.ram_budget_bytes = options.ram_budget_bytes;
  IndexRunSummary summary;
  std::FILE* quiet = std::fopen("/dev/null", "w");
  Status s = index_articles(command, /*create=*/true, quiet, summary);
  std::fclose(quiet);
  if (!s.is_ok()) return "error " + s.to_string();
  return fmt::format("{} {}", summary.live_documents, summary.seconds);
}

// Xapian gets the same pipeline as morgue: one thread reads, a worker a core analyses,
// and one thread adds documents.
std::string build_xapian(const IndexingOptions& options, const std::string& dir) {
  auto start = std::chrono::steady_clock::now();
  try {
    Xapian::WritableDatabase db(dir, Xapian::DB_CREATE_OR_OVERWRITE);
    PreparePipeline queue;
    Status read_status;
    std::thread reader([&] {
      ArticleSink sink;
      sink.accept = [&](Article&& a, const SourceLocation&) { queue.push(std::move(a)); };
      ReadCounts counts;
      read_status = read_inputs(options.corpus, {}, sink, counts);
      queue.close();
    });
    PreparedArticle p;
    uint64_t n = 0;
    while (queue.pop(p)) {
      // Replacement by id, with morgue's rule that a lower version never replaces a
      // higher one: the Q term is unique per live article, the version is in a value slot.
      std::string id_term = "Q" + p.article.id;
      Xapian::PostingIterator existing = db.postlist_begin(id_term);
      if (existing != db.postlist_end(id_term)) {
        double indexed = Xapian::sortable_unserialise(
            db.get_document(*existing).get_value(kXapianVersionSlot));
        if (indexed > static_cast<double>(p.article.version)) continue;
      }
      db.replace_document(id_term, to_xapian_document(p.article, p.terms));
      ++n;
    }
    reader.join();
    if (!read_status.is_ok()) return "error " + read_status.to_string();
    db.commit();
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return fmt::format("{} {}", n, seconds);
  } catch (const Xapian::Error& e) {
    return "error " + e.get_description();
  }
}

Status measure(const std::string& engine, const std::function<std::string()>& job,
               IndexingResult& result) {
  std::string out;
  result.engine = engine;
  MORGUE_RETURN_IF_ERROR(in_child(job, out, result.peak_rss_bytes));
  if (std::sscanf(out.c_str(), "%lu %lf", &result.articles, &result.seconds) != 2)
    return Status::internal(engine + ": unexpected child output: " + out);
  return Status::ok();
}

// Lucene reads a line file written from morgue's own readers; writing it is not part of
// Lucene's timed build, which is the JVM child alone.
Status build_lucene(const IndexingOptions& options, const std::string& dir, IndexingResult& l) {
  std::string articles_file = (fs::path(options.work_dir) / "lucene-articles.tsv").string();
  auto start = std::chrono::steady_clock::now();
  uint64_t written = 0;
  MORGUE_RETURN_IF_ERROR(write_lucene_articles(options.corpus, articles_file, written));
  l.untimed_conversion_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  LuceneIndexRun run;
  Status s = lucene_build_index(articles_file, dir, options.ram_budget_bytes >> 20, run);
  fs::remove(articles_file);
  MORGUE_RETURN_IF_ERROR(s);
  l.articles = run.articles;
  l.seconds = run.seconds;
  l.jvm_seconds = run.jvm_seconds;
  l.peak_rss_bytes = run.peak_rss_bytes;
  return Status::ok();
}

bool has_lucene_commit(const std::string& dir) {
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec))
    if (e.path().filename().string().starts_with("segments_")) return true;
  return false;
}

// Lucene's files by kind: their extension (_0_Lucene84_0.doc -> doc); segments_N as one.
std::map<std::string, uint64_t> lucene_bytes_by_kind(const std::string& dir) {
  std::map<std::string, uint64_t> by_file, by_kind;
  tree_bytes(dir, &by_file);
  for (const auto& [name, bytes] : by_file) {
    if (name == "write.lock") continue;
    size_t dot = name.rfind('.');
    by_kind[name.starts_with("segments") ? "segments" : dot == std::string::npos ? name : name.substr(dot + 1)] += bytes;
  }
  return by_kind;
}

}  // namespace

Status run_indexing_bench(const IndexingOptions& options, std::vector<IndexingResult>& results) {
  std::string morgue_dir = (fs::path(options.work_dir) / "morgue").string();
  std::string xapian_dir = (fs::path(options.work_dir) / "xapian").string();
  std::string compact_dir = (fs::path(options.work_dir) / "xapian-compact").string();
  std::string lucene_dir = (fs::path(options.work_dir) / "lucene").string();
  if (options.lucene) MORGUE_RETURN_IF_ERROR(lucene_available());
  fs::create_directories(options.work_dir);
  results.clear();

  // Each engine's index is reused on its own (--reuse), so a baseline can be added to a work
  // directory that already holds the others.
  IndexingResult m;
  m.engine = "morgue";
  bool have = options.reuse && fs::exists(fs::path(morgue_dir) / "MANIFEST");
  if (!have) {
    fs::remove_all(morgue_dir);
    MORGUE_RETURN_IF_ERROR(measure("morgue", [&] { return build_morgue(options, morgue_dir); }, m));
  }
  m.bytes = tree_bytes(morgue_dir);
  auto snapshot = IndexSnapshot::open(morgue_dir);
  if (!snapshot.is_ok()) return snapshot.status();
  if (have) m.articles = (*snapshot)->live_count();
  for (const auto& s : (*snapshot)->segments()) {
    for (FileKind k : {FileKind::kTermDict, FileKind::kPostings, FileKind::kPositions,
                       FileKind::kDocValues, FileKind::kStore, FileKind::kDeletes})
      m.bytes_by_kind[std::string(file_kind_name(k))] += s->file_bytes(k);
  }
  results.push_back(m);

  if (options.xapian) {
    IndexingResult x;
    x.engine = "xapian";
    have = options.reuse && fs::exists(fs::path(xapian_dir) / "iamglass");
    if (!have) {
      fs::remove_all(xapian_dir);
      fs::remove_all(compact_dir);
      MORGUE_RETURN_IF_ERROR(measure("xapian", [&] { return build_xapian(options, xapian_dir); }, x));
      try {
        Xapian::Database(xapian_dir).compact(compact_dir);
      } catch (const Xapian::Error& e) {
        return Status::internal("xapian compact: " + e.get_description());
      }
    }
    x.bytes = tree_bytes(xapian_dir, &x.bytes_by_kind);
    x.compacted_bytes = tree_bytes(compact_dir);
    if (have) x.articles = Xapian::Database(xapian_dir).get_doccount();
    results.push_back(x);
  }

  if (options.lucene) {
    IndexingResult l;
    l.engine = "lucene";
    have = options.reuse && has_lucene_commit(lucene_dir);
    if (!have) {
      fs::remove_all(lucene_dir);
      MORGUE_RETURN_IF_ERROR(build_lucene(options, lucene_dir, l));
    } else {
      MORGUE_RETURN_IF_ERROR(lucene_count(lucene_dir, l.articles));
    }
    l.bytes_by_kind = lucene_bytes_by_kind(lucene_dir);
    l.bytes = tree_bytes(lucene_dir);
    results.push_back(l);
  }
  return Status::ok();
}

}  // namespace morgue
