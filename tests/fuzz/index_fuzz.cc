// libFuzzer target for opening and searching an index: a small valid index is built once;
// each input damages one of its files (first byte: which file; then 5-byte records: a
// 4-byte offset and a byte XORed in there; an input of even length also truncates the file
// to the offset of its last record) and the index is opened and searched with queries of
// every kind, reading the stored article of every hit, and measured as `stats --layout`
// does (every block of every term). Checksums are not verified on open
// (searches never verify them), so the damage reaches the decoders. Properties: no crash, no
// sanitizer report, whatever the searches return.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <unistd.h>
#include <vector>

#include "common/analysis/analyzer.h"
#include "common/base/file.h"
#include "common/index/index_reader.h"
#include "corpus/synth/synthetic_archive.h"
#include "indexer/commands/inspect_commands.h"
#include "indexer/index/index_writer.h"
#include "query/parser/parser.h"
#include "query/plan.h"
#include "query/searcher.h"

using namespace morgue;
namespace fs = std::filesystem;

namespace {

struct Fixture {
  std::string dir;
  std::vector<std::string> files;
  std::vector<std::string> pristine;
  std::vector<std::unique_ptr<Plan>> plans;

  Fixture() {
    dir = (fs::temp_directory_path() / ("morgue-index-fuzz-" + std::to_string(::getpid()))).string();
    fs::remove_all(dir);
    SyntheticOptions options;
    options.seed = 3;
    options.articles = 120;
    SyntheticArchive archive(options);
    Analyzer analyzer;
    IndexWriterOptions writer_options;
    writer_options.create_if_missing = true;
    {
      auto writer = IndexWriter::open(dir, writer_options);
      if (!writer.is_ok()) std::abort();
      for (uint64_t i = 0; i < options.articles; ++i) {
        if (!(*writer)->add(prepare_article(archive.article(i), analyzer)).is_ok()) std::abort();
        if (i == 80 && !(*writer)->commit().is_ok()) std::abort();  // two segments
      }
      for (uint64_t i = 0; i < 80; i += 9) (void)(*writer)->remove(archive.article(i).id);
      if (!(*writer)->commit().is_ok()) std::abort();
    }
    for (const auto& entry : fs::directory_iterator(dir)) {
      if (entry.path().filename() == kLockFileName) continue;
      files.push_back(entry.path().string());
    }
    std::sort(files.begin(), files.end());
    for (const std::string& f : files) pristine.push_back(*read_whole_file(f));
    for (const char* text : {"the", "market AND prices", "oil OR gold OR shares", "\"said on\"",
                             "NOT market", "date:2010..2020 the", "the -market",
                             "headline:the", "\"the market\" AND said"}) {
      plans.push_back(plan_query(*parse_query(text).query, analyzer));
    }
  }
  ~Fixture() { fs::remove_all(dir); }
};

void write_file(const std::string& path, const std::string& bytes) {
  fs::remove(path);
  std::ofstream(path, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// Opens the index and runs every query, reading the stored article of every hit.
void search_everything(const Fixture& fixture) {
  auto snapshot = IndexSnapshot::open(fixture.dir);
  if (!snapshot.is_ok()) return;
  (void)measure_index_layout(**snapshot);
  for (const auto& plan : fixture.plans) {
    for (SortOrder sort : {SortOrder::kRelevance, SortOrder::kOldest}) {
      SearchOptions options;
      options.limit = 20;
      options.sort = sort;
      auto result = search(**snapshot, *plan, options);
      if (!result.is_ok()) continue;
      for (const Hit& hit : result->hits)
        (void)(*snapshot)->segments()[hit.segment]->store().get_article(hit.doc);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Fixture fixture;
  if (size < 1) return 0;
  size_t which = data[0] % fixture.files.size();
  std::string damaged = fixture.pristine[which];
  size_t last_offset = damaged.size();
  for (size_t at = 1; at + 5 <= size && !damaged.empty(); at += 5) {
    uint32_t offset = static_cast<uint32_t>(data[at]) | static_cast<uint32_t>(data[at + 1]) << 8 |
                      static_cast<uint32_t>(data[at + 2]) << 16 |
                      static_cast<uint32_t>(data[at + 3]) << 24;
    last_offset = offset % damaged.size();
    damaged[last_offset] = static_cast<char>(damaged[last_offset] ^ data[at + 4]);
  }
  if (size % 2 == 0 && last_offset < damaged.size()) damaged.resize(last_offset);
  write_file(fixture.files[which], damaged);

  search_everything(fixture);  // its maps are gone before the file is restored
  write_file(fixture.files[which], fixture.pristine[which]);
  return 0;
}
