// The read-only commands of morgue-index: stats, verify and dump-term.
#pragma once

#include <cstdio>
#include <map>
#include <string>

#include "common/base/result.h"
#include "common/base/status.h"
#include "common/format/postings_reader.h"
#include "common/index/index_reader.h"

namespace morgue {

// Segments, documents, terms, sizes by file kind, bytes per posting, store ratio; with
// `layout`, the postings and positions files' bytes by part and by kind of term.
int run_stats_command(const std::string& index_dir, bool layout, std::FILE* out,
                      std::FILE* err);

// Every segment's postings and positions measured part by part (measure_term_layout), and
// their bytes by kind of term ("text words", "text stems", "ids", ...). A postings list
// that terms share (docs/FORMAT.md#shared-postings) is counted once, with the first of them
// in term order; positions are never shared. So the parts add up to the files' bodies.
struct IndexLayout {
  struct KindBytes {
    uint64_t terms = 0, postings = 0, positions = 0;
  };
  PostingsLayout parts;
  std::map<std::string, KindBytes> by_kind;
};
Result<IndexLayout> measure_index_layout(const IndexSnapshot& snap);

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
