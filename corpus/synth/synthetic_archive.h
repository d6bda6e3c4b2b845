// A deterministic synthetic wire archive for scale tests and benchmarks: articles with
// the statistics of wire copy (Zipf vocabulary, recurring phrases, skewed entities, several
// sources, dates over 25 years denser towards the present), written as JSON Lines.
// Everything is generated from a seed; the vocabulary is made up by this generator.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "common/article/article.h"
#include "common/base/status.h"

namespace morgue {

struct SyntheticOptions {
  uint64_t seed = 1;
  uint64_t articles = 1000;
  int first_year = 2000;
  int last_year = 2024;
};

// Generates the articles one at a time; the same options give the same articles.
class SyntheticArchive {
 public:
  explicit SyntheticArchive(const SyntheticOptions& options);
  ~SyntheticArchive();
  SyntheticArchive(const SyntheticArchive&) = delete;
  SyntheticArchive& operator=(const SyntheticArchive&) = delete;

  // Article number i (0-based) of the archive.
  Article article(uint64_t i) const;

 private:
  struct Model;
  SyntheticOptions options_;
  Model* model_;
};

// Writes options.articles articles to `out` as JSON Lines.
Status write_synthetic_archive(const SyntheticOptions& options, std::FILE* out);

// Samples `per_kind` queries of each kind of ../shared/queries/reuters-dev.tsv (term, and2,
// and3, or2, or3, phrase2, phrase3, field, date, bool, phrase_and) from articles of the
// archive, so that they match something; KIND<TAB>QUERY lines to `out`.
Status write_synthetic_queries(const SyntheticOptions& options, size_t per_kind, std::FILE* out);

}  // namespace morgue
