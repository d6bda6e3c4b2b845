// A small index of synthetic articles with every kind of file an index has, for tests that
// need a real one (corruption, the layout report).
#pragma once

#include <catch2/catch.hpp>
#include <cstdint>
#include <string>

#include "common/analysis/analyzer.h"
#include "corpus/synth/synthetic_archive.h"
#include "indexer/index/index_writer.h"

namespace morgue::testing {

// 400 articles of seed 11 in two segments, the first of 250 merged, with every twelfth of
// those deleted: postings lists shared by stems and words, and a deletions file.
inline constexpr uint64_t kSyntheticIndexArticles = 400;

inline void build_synthetic_index(const std::string& dir) {
  SyntheticOptions options;
  options.seed = 11;
  options.articles = kSyntheticIndexArticles;
  SyntheticArchive archive(options);
  Analyzer analyzer;
  IndexWriterOptions writer_options;
  writer_options.create_if_missing = true;
  auto writer = IndexWriter::open(dir, writer_options);
  REQUIRE(writer.is_ok());
  for (uint64_t i = 0; i < 250; ++i)
    REQUIRE((*writer)->add(prepare_article(archive.article(i), analyzer)).is_ok());
  REQUIRE((*writer)->merge_all().is_ok());
  for (uint64_t i = 250; i < options.articles; ++i)
    REQUIRE((*writer)->add(prepare_article(archive.article(i), analyzer)).is_ok());
  for (uint64_t i = 0; i < 250; i += 12) REQUIRE(*(*writer)->remove(archive.article(i).id));
  REQUIRE((*writer)->commit().is_ok());
}

}  // namespace morgue::testing
