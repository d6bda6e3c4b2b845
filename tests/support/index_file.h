// Writes an index file around a hand-made body, for tests that damage a body's structure
// while keeping its header and checksum valid.
#pragma once

#include <catch2/catch.hpp>

#include <cstdio>
#include <string>
#include <string_view>

#include "common/format/file_format.h"

namespace morgue::testing {

inline void write_index_file(const std::string& path, FileKind kind, std::string_view body,
                             const Uuid& segment_uuid = Uuid{}) {
  std::remove(path.c_str());
  FileHeader header;
  header.kind = kind;
  header.segment_uuid = segment_uuid;
  auto writer = IndexFileWriter::create(path, header);
  REQUIRE(writer.is_ok());
  REQUIRE(writer->append(body).is_ok());
  REQUIRE(writer->finish().is_ok());
}

}  // namespace morgue::testing
