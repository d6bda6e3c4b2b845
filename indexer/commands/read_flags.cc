#include "indexer/commands/read_flags.h"

#include "common/base/time.h"

namespace morgue {

void add_read_flags(CLI::App& command, ReadFlags& flags) {
  command.add_option("paths", flags.paths, "Files or directories to read (walked recursively)")
      ->required();
  command.add_option("--format", flags.format, "Input format: auto, jsonl, reuters, text")
      ->capture_default_str();
  command.add_flag("--strict", flags.strict, "Stop at the first malformed record");
  command.add_option("--date", flags.date,
                     "Publication date (ISO 8601) for articles that give none");
  command.add_option("--source", flags.source, "Source (e.g. Reuters) for articles that give none");
  command.add_option("--id", flags.id, "Id for a plain-text story that gives none");
}

Status to_read_options(const ReadFlags& flags, ReadOptions& options) {
  auto format = input_format_from_name(flags.format);
  if (!format) {
    return Status::invalid_argument("--format: unknown format '" + flags.format +
                                    "' (expected auto, jsonl, reuters or text)");
  }
  options.format = *format;
  options.strict = flags.strict;
  if (!flags.date.empty()) {
    auto date = parse_iso8601(flags.date);
    if (!date) {
      return Status::invalid_argument("--date: '" + flags.date +
                                      "' is not an ISO 8601 date (e.g. 2024-04-01)");
    }
    options.default_published = *date;
  }
  options.default_source = flags.source;
  options.default_id = flags.id;
  return Status::ok();
}

}  // namespace morgue
