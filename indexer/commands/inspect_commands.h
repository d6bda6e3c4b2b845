// The read-only commands of morgue-index: stats, verify and dump-term.
#pragma once

#include <cstdio>
#include <string>

#include "common/base/status.h"

namespace morgue {

// Segments, documents, terms, sizes by file kind, bytes per posting, store ratio; with
// `layout`, the postings and positions files' bytes by part and by kind of term.
int run_stats_command(const std::string& index_dir, bool layout, std::FILE* out,
                      std::FILE* err);

// Checks every checksum and structural invariant of every file; prints each problem found
// and a closing line. Exit code 0 if the index is sound, 1 if not.
int run_verify_command(const std::string& index_dir, std::FILE* out, std::FILE* err);

// Checks an index as `verify` does; the first problem as a kCorruption Status.
Status verify_index(const std::string& index_dir, std::FILE* problems_out);

// Prints a term's dictionary entry and postings in every segment (at most `limit` postings
// a segment; 0 = all).
int run_dump_term_command(const std::string& index_dir, const std::string& term, size_t limit,
                          std::FILE* out, std::FILE* err);

}  // namespace morgue
