// morgue-synth: writes a deterministic synthetic wire archive (JSON Lines) or a query file
// sampled from it. `morgue-synth archive -n 1000000 > archive.jsonl`,
// `morgue-synth queries -n 1000000 --per-kind 50 > queries.tsv` (same seed, same archive).
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "corpus/synth/synthetic_archive.h"

int main(int argc, char** argv) try {
  CLI::App app{"morgue-synth: a synthetic wire archive for scale tests and benchmarks"};
  app.require_subcommand(1);
  morgue::SyntheticOptions options;
  size_t per_kind = 50;
  for (CLI::App* sub : {app.add_subcommand("archive", "Write the archive as JSON Lines"),
                        app.add_subcommand("queries", "Write KIND<TAB>QUERY lines")}) {
    sub->add_option("-n,--articles", options.articles, "Articles in the archive")->capture_default_str();
    sub->add_option("--seed", options.seed, "Seed")->capture_default_str();
  }
  app.get_subcommand("queries")->add_option("--per-kind", per_kind, "Queries of each kind")->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  morgue::Status s = app.got_subcommand("archive")
                         ? morgue::write_synthetic_archive(options, stdout)
                         : morgue::write_synthetic_queries(options, per_kind, stdout);
  if (!s.is_ok()) {
    fmt::print(stderr, "morgue-synth: error: {}\n", s.message());
    return 1;
  }
  return 0;
} catch (const std::exception& e) {
  fmt::print(stderr, "morgue-synth: internal error: {}\n", e.what());
  return 1;
}
