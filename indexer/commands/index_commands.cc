#include "indexer/commands/index_commands.h"

#include <filesystem>
#include <fmt/format.h>
#include <thread>

#include "common/base/allocator.h"
#include "common/base/thread.h"
#include "indexer/commands/parse_command.h"
#include "indexer/commands/progress.h"
#include "indexer/index/prepare_pipeline.h"

namespace morgue {
namespace fs = std::filesystem;
namespace {

uint64_t input_bytes(const std::vector<std::string>& paths) {
  uint64_t total = 0;
  std::error_code ec;
  for (const std::string& p : paths) {
    if (fs::is_directory(p, ec)) {
      for (auto it = fs::recursive_directory_iterator(p, ec); it != fs::recursive_directory_iterator();
           it.increment(ec)) {
        if (ec) break;
        if (it->is_regular_file(ec)) total += it->file_size(ec);
      }
    } else {
      total += fs::file_size(p, ec);
    }
  }
  return total;
}

void print_summary(std::FILE* err, const IndexRunSummary& s) {
  fmt::print(err,
             "articles: read {}, indexed {}, replaced {}, kept newer {}, rejected {}\n"
             "input {:.1f} MB, index {:.1f} MB in {} segment{} holding {} articles\n"
             "elapsed {:.2f} s ({:.0f} articles/s), peak memory {:.0f} MB\n",
             s.read.read, s.writer.added + s.writer.replaced, s.writer.replaced,
             s.writer.kept_newer, s.read.rejected, s.read.bytes / 1e6, s.index_bytes / 1e6,
             s.segments, s.segments == 1 ? "" : "s", s.live_documents, s.seconds,
             s.seconds > 0 ? static_cast<double>(s.read.accepted) / s.seconds : 0.0,
             s.peak_rss_bytes / 1e6);
}

int report(Status status, std::FILE* err) {
  if (status.is_ok()) return 0;
  fmt::print(err, "morgue-index: error: {}\n", status.message());
  return 1;
}

}  // namespace

uint64_t directory_bytes(const std::string& dir) {
  uint64_t total = 0;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec))
    if (entry.is_regular_file(ec)) total += entry.file_size(ec);
  return total;
}

Status index_articles(const IndexCommandOptions& options, bool create, std::FILE* err,
                      IndexRunSummary& summary) {
  tune_allocator_for_indexing();
  IndexWriterOptions writer_options;
  writer_options.ram_budget_bytes = options.ram_budget_bytes;
  writer_options.create_if_missing = create;
  writer_options.error_if_exists = create;
  writer_options.defer_merges = create;  // a build ends with merge_all()
  writer_options.codec = options.codec;
  MORGUE_ASSIGN_OR_RETURN(auto writer, IndexWriter::open(options.index_dir, writer_options));

  Progress progress(err, input_bytes(options.paths));
  PreparePipeline pipeline;
  Status read_status;
  ReadCounts counts;
  std::thread reader([&] {
    // Below the writer, as the analysis workers are (kPreparePriorityDrop).
    lower_thread_priority(kPreparePriorityDrop);
    name_thread("morgue-read");
    ArticleSink sink = reporting_sink(err);
    sink.accept = [&](Article&& article, const SourceLocation&) { pipeline.push(std::move(article)); };
    read_status = read_inputs(options.paths, options.read, sink, counts);
    pipeline.close();
  });

  Status write_status;
  PreparedArticle prepared;
  uint64_t done = 0;
  while (pipeline.pop(prepared)) {
    auto outcome = writer->add(std::move(prepared));
    if (!outcome.is_ok()) {
      write_status = outcome.status();
      pipeline.stop();  // the reader reads on without analysing, then ends
      break;
    }
    progress.update(++done, counts.bytes);
  }
  reader.join();
  progress.finish();
  MORGUE_RETURN_IF_ERROR(read_status);
  MORGUE_RETURN_IF_ERROR(write_status);
  // A build is a batch job: one segment answers queries fastest. Additions merge only when
  // the tiered policy asks, so that a daily add costs about its own size.
  if (create) {
    MORGUE_RETURN_IF_ERROR(writer->merge_all());
  } else {
    MORGUE_RETURN_IF_ERROR(writer->commit());
  }
  summary.read = counts;
  summary.writer = writer->counters();
  summary.segments = writer->committed_manifest().segments.size();
  summary.live_documents = writer->committed_manifest().live_count();
  summary.index_bytes = directory_bytes(options.index_dir);
  summary.seconds = progress.elapsed_seconds();
  summary.peak_rss_bytes = peak_rss_bytes();
  return Status::ok();
}

int run_build_command(const IndexCommandOptions& options, std::FILE* err) {
  IndexRunSummary summary;
  Status s = index_articles(options, /*create=*/true, err, summary);
  if (s.is_ok()) print_summary(err, summary);
  return report(s, err);
}

int run_add_command(const IndexCommandOptions& options, std::FILE* err) {
  IndexRunSummary summary;
  Status s = index_articles(options, /*create=*/false, err, summary);
  if (s.is_ok()) print_summary(err, summary);
  return report(s, err);
}

int run_delete_command(const IndexCommandOptions& options, std::FILE* out, std::FILE* err) {
  auto writer = IndexWriter::open(options.index_dir, {});
  if (!writer.is_ok()) return report(writer.status(), err);
  uint64_t deleted = 0;
  for (const std::string& id : options.ids) {
    auto found = (*writer)->remove(id);
    if (!found.is_ok()) return report(found.status(), err);
    if (*found) {
      ++deleted;
    } else {
      fmt::print(err, "morgue-index: no article with id '{}'\n", id);
    }
  }
  Status s = (*writer)->commit();
  if (s.is_ok()) fmt::print(out, "deleted {} of {} articles\n", deleted, options.ids.size());
  if (!s.is_ok()) return report(s, err);
  return deleted == options.ids.size() ? 0 : 1;
}

int run_merge_command(const IndexCommandOptions& options, std::FILE* err) {
  Progress progress(err, 0);
  auto writer = IndexWriter::open(options.index_dir, {});
  if (!writer.is_ok()) return report(writer.status(), err);
  size_t before = (*writer)->committed_manifest().segments.size();
  Status s = (*writer)->merge_all();
  if (!s.is_ok()) return report(s, err);
  const Manifest& m = (*writer)->committed_manifest();
  fmt::print(err, "merged {} segment{} into {}: {} articles, index {:.1f} MB, {:.2f} s, peak "
                  "memory {:.0f} MB\n",
             before, before == 1 ? "" : "s", m.segments.size(), m.live_count(),
             directory_bytes(options.index_dir) / 1e6, progress.elapsed_seconds(),
             peak_rss_bytes() / 1e6);
  return 0;
}

}  // namespace morgue
