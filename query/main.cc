// morgue-query: searches a morgue index from the terminal. Flags are parsed here; all the
// work is in the morgue_query library.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "query/query_command.h"

int main(int argc, char** argv) try {
  CLI::App app{"morgue-query: ranked boolean and phrase search over a morgue index"};
  morgue::QueryCommandOptions options;
  std::string sort = "relevance", color = "auto";
  app.add_option("index", options.index_dir, "Index directory")->required();
  app.add_option("query", options.query, "Query (see docs/QUERY.md)")->required();
  app.add_option("-n,--limit", options.search.limit, "Hits to show")->capture_default_str();
  app.add_option("--offset", options.search.offset, "Hits to skip")->capture_default_str();
  app.add_option("--sort", sort, "relevance, newest or oldest")
      ->check(CLI::IsMember({"relevance", "newest", "oldest"}))
      ->capture_default_str();
  app.add_flag("--or", options.default_or, "Join words with OR instead of AND");
  app.add_flag("--json", options.json, "One JSON object a hit");
  app.add_flag("--count", options.count_only, "Print the number of matches only");
  bool exact_count = false;
  app.add_flag("--exact-count", exact_count,
               "Count every match (by default counting stops at 1000 and the search skips "
               "articles that cannot reach the top)");
  app.add_flag("--explain", options.explain, "Print the parsed query and the plan");
  app.add_option("--color", color, "auto, always or never")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  options.search.exact_count_limit = exact_count ? UINT64_MAX : 1000;
  options.search.sort = sort == "newest"   ? morgue::SortOrder::kNewest
                        : sort == "oldest" ? morgue::SortOrder::kOldest
                                           : morgue::SortOrder::kRelevance;
  options.color = color == "always"  ? morgue::ColorMode::kAlways
                  : color == "never" ? morgue::ColorMode::kNever
                                     : morgue::ColorMode::kAuto;
  return morgue::run_query_command(options, stdout, stderr);
} catch (const std::exception& e) {
  fmt::print(stderr, "morgue-query: internal error: {}\n", e.what());
  return 1;
}
