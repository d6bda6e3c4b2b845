// morgue-index: reads articles and builds and maintains the index. Flags are parsed here;
// all the work is in the morgue_indexer library.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "common/codec/block_codec.h"
#include "indexer/commands/index_commands.h"
#include "indexer/commands/inspect_commands.h"
#include "indexer/commands/parse_command.h"
#include "indexer/commands/read_flags.h"

namespace {

int usage_error(const morgue::Status& status) {
  fmt::print(stderr, "morgue-index: error: {}\n", status.message());
  return 2;
}

}  // namespace

int main(int argc, char** argv) try {
  CLI::App app{"morgue-index: build and maintain a morgue index of news articles"};
  app.require_subcommand(1);

  morgue::ReadFlags read_flags;
  bool json = false;
  CLI::App* parse = app.add_subcommand("parse", "Print the articles as the readers see them");
  morgue::add_read_flags(*parse, read_flags);
  parse->add_flag("--json", json, "One JSON object a line (the JSON Lines input schema)");

  morgue::IndexCommandOptions index;
  size_t ram_mb = 256;
  std::string codec(morgue::default_codec().name());
  std::vector<std::string> codec_names;
  for (const morgue::BlockCodec* c : morgue::all_codecs()) codec_names.emplace_back(c->name());
  auto add_index_flags = [&](CLI::App* command, bool reads) {
    command->add_option("--index", index.index_dir, "Index directory")->required();
    if (reads) {
      morgue::add_read_flags(*command, read_flags);
      command->add_option("--ram-mb", ram_mb, "RAM budget in MiB; buffered articles take 2/3 of it")
          ->capture_default_str()
          ->check(CLI::Range(size_t{1}, size_t{1} << 20));
      command
          ->add_option("--codec", codec,
                       "Block codec of the segments written: pfor128 (smallest index), "
                       "bitpack128 (about 6% faster queries, 5% larger), streamvbyte")
          ->capture_default_str()
          ->check(CLI::IsMember(codec_names));
    }
  };
  CLI::App* build = app.add_subcommand("build", "Create an index from articles");
  add_index_flags(build, true);
  CLI::App* add = app.add_subcommand("add", "Add articles to an index (same id: replace)");
  add_index_flags(add, true);
  CLI::App* del = app.add_subcommand("delete", "Delete articles by id");
  add_index_flags(del, false);
  del->add_option("ids", index.ids, "Article ids")->required();
  CLI::App* merge = app.add_subcommand("merge", "Merge the index into one segment");
  add_index_flags(merge, false);

  std::string dir, term;
  size_t limit = 100;
  bool layout = false;
  CLI::App* stats = app.add_subcommand("stats", "Print an index's size and statistics");
  stats->add_option("dir", dir, "Index directory")->required();
  stats->add_flag("--layout", layout,
                  "Also the bytes of each part of the postings and positions, and by kind of "
                  "term (decodes every block)");
  CLI::App* verify = app.add_subcommand("verify", "Check every checksum and invariant");
  verify->add_option("dir", dir, "Index directory")->required();
  CLI::App* dump = app.add_subcommand("dump-term", "Print a term's postings (debugging)");
  dump->add_option("dir", dir, "Index directory")->required();
  dump->add_option("term", term, "Term with its field prefix, e.g. Zrafah or Lgaza")->required();
  dump->add_option("--limit", limit, "Postings shown per segment (0: all)")->capture_default_str();

  CLI11_PARSE(app, argc, argv);

  if (parse->parsed() || build->parsed() || add->parsed()) {
    morgue::ReadOptions read;
    morgue::Status s = morgue::to_read_options(read_flags, read);
    if (!s.is_ok()) return usage_error(s);
    if (parse->parsed()) {
      morgue::ParseCommandOptions options{read_flags.paths, read, json};
      return morgue::run_parse_command(options, stdout, stderr);
    }
    index.paths = read_flags.paths;
    index.read = read;
    index.ram_budget_bytes = ram_mb << 20;
    for (const morgue::BlockCodec* c : morgue::all_codecs())
      if (c->name() == codec) index.codec = c->id();
    return build->parsed() ? morgue::run_build_command(index, stderr)
                           : morgue::run_add_command(index, stderr);
  }
  if (del->parsed()) return morgue::run_delete_command(index, stdout, stderr);
  if (merge->parsed()) return morgue::run_merge_command(index, stderr);
  if (stats->parsed()) return morgue::run_stats_command(dir, layout, stdout, stderr);
  if (verify->parsed()) return morgue::run_verify_command(dir, stdout, stderr);
  if (dump->parsed()) return morgue::run_dump_term_command(dir, term, limit, stdout, stderr);
  return 2;
} catch (const std::exception& e) {
  fmt::print(stderr, "morgue-index: internal error: {}\n", e.what());
  return 1;
}
