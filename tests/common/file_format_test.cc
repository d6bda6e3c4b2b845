// Round trips and damage detection for the byte-level primitives and the small files:
// varints, file header/footer, document values, deletions, manifest.
#include <catch2/catch.hpp>

#include <random>

#include "common/base/coding.h"
#include "common/base/file.h"
#include "common/format/deletions.h"
#include "common/format/doc_values.h"
#include "common/format/file_format.h"
#include "common/format/manifest.h"
#include "tests/support/temp_dir.h"

using namespace morgue;
using morgue::testing::TempDir;

namespace {

void write_file(const std::string& path, std::string_view bytes) {
  std::remove(path.c_str());
  auto file = WritableFile::create(path);
  REQUIRE(file.is_ok());
  REQUIRE(file->append(bytes).is_ok());
  REQUIRE(file->close().is_ok());
}

}  // namespace

TEST_CASE("varints round-trip at every length boundary", "[coding]") {
  std::vector<uint64_t> values = {0, 1, 127, 128, 16383, 16384, UINT32_MAX, UINT64_MAX};
  std::mt19937_64 rng(7);
  for (int i = 0; i < 1000; ++i) values.push_back(rng() >> (rng() % 64));
  std::string bytes;
  for (uint64_t v : values) put_varint(bytes, v);
  ByteReader in(bytes);
  for (uint64_t v : values) {
    CAPTURE(v);
    REQUIRE(in.varint() == v);
  }
  REQUIRE(in.ok());
  REQUIRE(in.at_end());
}

TEST_CASE("a byte reader fails, and stays failed, when it runs past its end", "[coding]") {
  std::string bytes = "\x80\x80";  // an unterminated varint
  ByteReader in(bytes);
  CHECK(in.varint() == 0);
  CHECK_FALSE(in.ok());
  CHECK(in.fixed32() == 0);
  std::string eleven(11, '\xff');
  ByteReader too_long(eleven);
  too_long.varint();
  CHECK_FALSE(too_long.ok());
  std::string short_string = "\x05" "abc";
  ByteReader prefixed(short_string);
  CHECK(prefixed.length_prefixed().empty());
  CHECK_FALSE(prefixed.ok());
}

TEST_CASE("an index file's header and footer are checked on open", "[format]") {
  TempDir dir;
  std::string path = dir.file("x.dv");
  FileHeader header;
  header.kind = FileKind::kDocValues;
  header.segment_uuid = random_uuid();
  {
    auto writer = IndexFileWriter::create(path, header);
    REQUIRE(writer.is_ok());
    REQUIRE(writer->append("hello body").is_ok());
    REQUIRE(writer->finish().is_ok());
  }
  auto bytes = read_whole_file(path);
  REQUIRE(bytes.is_ok());
  std::string good = *bytes;

  auto checked = check_file(good, path, FileKind::kDocValues, &header.segment_uuid, true);
  REQUIRE(checked.is_ok());
  CHECK(checked->body == "hello body");

  SECTION("the wrong kind is refused") {
    auto r = check_file(good, path, FileKind::kTermDict, nullptr, true);
    CHECK(r.status().code() == StatusCode::kCorruption);
  }
  SECTION("another segment's file is refused") {
    Uuid other = random_uuid();
    auto r = check_file(good, path, FileKind::kDocValues, &other, false);
    CHECK(r.status().code() == StatusCode::kCorruption);
    CHECK_THAT(r.status().message(), Catch::Contains("UUID"));
  }
  SECTION("a newer format version is not supported, with an actionable message") {
    std::string newer = good;
    newer[8] = static_cast<char>(kFormatVersion + 1);
    auto r = check_file(newer, path, FileKind::kDocValues, nullptr, false);
    CHECK(r.status().code() == StatusCode::kNotSupported);
    CHECK_THAT(r.status().message(), Catch::Contains("rebuild"));
  }
  SECTION("every single flipped byte is caught by the checksum or the structure checks") {
    for (size_t i = 0; i < good.size(); ++i) {
      std::string bad = good;
      bad[i] = static_cast<char>(bad[i] ^ 0x20);
      CAPTURE(i);
      CHECK_FALSE(check_file(bad, path, FileKind::kDocValues, &header.segment_uuid, true).is_ok());
    }
  }
  SECTION("every truncation is caught") {
    for (size_t n = 0; n < good.size(); ++n) {
      CAPTURE(n);
      CHECK_FALSE(check_file(good.substr(0, n), path, FileKind::kDocValues, nullptr, true).is_ok());
    }
  }
}

TEST_CASE("document values round-trip and find date ranges", "[format]") {
  TempDir dir;
  Uuid uuid = random_uuid();
  DocValuesWriter writer;
  std::vector<DocValues> docs;
  for (int i = 0; i < 1000; ++i) {
    DocValues v;
    v.published = 500000000 + i / 3 * 60;  // runs of equal dates
    v.version = i % 5 - 2;
    v.doclen = static_cast<uint32_t>(i * 7 % 301);
    v.source = i % 3 == 0 ? "Reuters" : (i % 3 == 1 ? "AP" : "");
    docs.push_back(v);
    writer.add(v);
  }
  std::string path = dir.file("seg.dv");
  REQUIRE(writer.write(path, uuid).is_ok());
  auto reader = DocValuesReader::open(path, &uuid, true);
  REQUIRE(reader.is_ok());
  REQUIRE(reader->doc_count() == 1000);
  for (DocNum d = 0; d < 1000; ++d) {
    CHECK(reader->published(d) == docs[d].published);
    CHECK(reader->version(d) == docs[d].version);
    CHECK(reader->doclen(d) == docs[d].doclen);
    CHECK(reader->source(d) == docs[d].source);
  }
  CHECK(reader->lower_bound_published(0) == 0);
  CHECK(reader->lower_bound_published(500000000 + 60) == 3);
  CHECK(reader->lower_bound_published(500000000 + 61) == 6);
  CHECK(reader->lower_bound_published(INT64_MAX) == 1000);
}

TEST_CASE("document values out of date order are reported as corruption", "[format]") {
  TempDir dir;
  Uuid uuid = random_uuid();
  DocValuesWriter writer;
  writer.add({200, 0, 1, "a"});
  writer.add({100, 0, 1, "a"});
  std::string path = dir.file("seg.dv");
  REQUIRE(writer.write(path, uuid).is_ok());
  auto reader = DocValuesReader::open(path, &uuid, true);
  CHECK(reader.status().code() == StatusCode::kCorruption);
}

TEST_CASE("a deletion set counts deleted documents and their term statistics", "[format]") {
  TempDir dir;
  Uuid uuid = random_uuid();
  DeletionSet set(130);
  CHECK(set.mark(3, 10, {{"Qa", 0}, {"rafah", 2}, {"Zrafah", 2}}));
  CHECK(set.mark(129, 5, {{"Qb", 0}, {"rafah", 1}}));
  CHECK_FALSE(set.mark(3, 10, {{"Qa", 0}}));
  CHECK(set.deleted_count() == 2);
  CHECK(set.deleted_doclen() == 15);
  CHECK(set.delta("rafah").df == 2);
  CHECK(set.delta("rafah").cf == 3);
  CHECK(set.delta("gaza").df == 0);

  std::string path = dir.file("seg-000001-000002.del");
  REQUIRE(set.write(path, uuid).is_ok());
  auto back = DeletionSet::read(path, &uuid, 130, true);
  REQUIRE(back.is_ok());
  CHECK(back->is_deleted(3));
  CHECK(back->is_deleted(129));
  CHECK_FALSE(back->is_deleted(4));
  CHECK(back->deleted_count() == 2);
  CHECK(back->deleted_doclen() == 15);
  CHECK(back->delta("Zrafah").cf == 2);
  CHECK(back->delta("Qb").df == 1);

  auto wrong_count = DeletionSet::read(path, &uuid, 131, true);
  CHECK(wrong_count.status().code() == StatusCode::kCorruption);
}

TEST_CASE("a manifest round-trips and damage to it is detected", "[format]") {
  TempDir dir;
  Manifest m;
  m.index_uuid = random_uuid();
  m.generation = 7;
  m.next_segment_number = 12;
  for (uint64_t i = 1; i <= 3; ++i) {
    SegmentMeta s;
    s.number = i * 3;
    s.uuid = random_uuid();
    s.doc_count = static_cast<uint32_t>(100 * i);
    s.deleted_count = static_cast<uint32_t>(i);
    s.deletions_generation = i == 2 ? 6 : 0;
    s.total_doclen = 5000 * i;
    s.deleted_doclen = 40 * i;
    s.min_published = -86400;
    s.max_published = 1700000000;
    s.codec_id = 2;
    m.segments.push_back(s);
  }
  REQUIRE(write_manifest(dir.path().string(), m).is_ok());
  auto back = read_manifest(dir.path().string());
  REQUIRE(back.is_ok());
  CHECK(back->generation == 7);
  CHECK(back->next_segment_number == 12);
  CHECK(back->index_uuid == m.index_uuid);
  REQUIRE(back->segments.size() == 3);
  CHECK(back->segments[1].uuid == m.segments[1].uuid);
  CHECK(back->segments[1].deletions_generation == 6);
  CHECK(back->segments[2].min_published == -86400);
  CHECK(back->live_count() == 600 - 6);
  CHECK(back->live_doclen() == 30000 - 240);

  std::string good = encode_manifest(m);
  std::mt19937 rng(11);
  for (int trial = 0; trial < 300; ++trial) {
    std::string bad = good;
    size_t at = rng() % bad.size();
    bad[at] = static_cast<char>(bad[at] ^ (1 + rng() % 255));
    CAPTURE(at);
    CHECK_FALSE(decode_manifest(bad, "MANIFEST").is_ok());
  }
  write_file(dir.file("MANIFEST"), good.substr(0, good.size() / 2));
  CHECK(read_manifest(dir.path().string()).status().code() == StatusCode::kCorruption);
}

TEST_CASE("reading a manifest where there is no index says so", "[format]") {
  TempDir dir;
  auto r = read_manifest(dir.path().string());
  CHECK(r.status().code() == StatusCode::kNotFound);
  CHECK_THAT(r.status().message(), Catch::Contains("not a morgue index"));
  auto missing = read_manifest(dir.file("nope"));
  CHECK_THAT(missing.status().message(), Catch::Contains("no such index directory"));
}

TEST_CASE("a second lock on the same file is refused with the holder's pid", "[file]") {
  TempDir dir;
  auto first = FileLock::acquire(dir.file("LOCK"));
  REQUIRE(first.is_ok());
  // flock locks belong to the open file description, so a second open in this process
  // conflicts just as another process would.
  auto second = FileLock::acquire(dir.file("LOCK"));
  CHECK(second.status().code() == StatusCode::kLocked);
  CHECK_THAT(second.status().message(), Catch::Contains("another writer"));
}

TEST_CASE("an abandoned writable file leaves nothing behind", "[file]") {
  TempDir dir;
  {
    auto file = WritableFile::create(dir.file("partial"));
    REQUIRE(file.is_ok());
    REQUIRE(file->append("x").is_ok());
  }
  CHECK_FALSE(std::filesystem::exists(dir.file("partial")));
  REQUIRE(atomic_write_file(dir.file("whole"), "abc").is_ok());
  CHECK(*read_whole_file(dir.file("whole")) == "abc");
  REQUIRE(atomic_write_file(dir.file("whole"), "defg").is_ok());
  CHECK(*read_whole_file(dir.file("whole")) == "defg");
}

TEST_CASE("a random-access file reads the bytes asked for and refuses reads past its end",
          "[file]") {
  TempDir dir;
  REQUIRE(atomic_write_file(dir.file("f"), "0123456789").is_ok());
  auto file = RandomAccessFile::open(dir.file("f"));
  REQUIRE(file.is_ok());
  std::string out = "left over";
  REQUIRE(file->read(3, 4, out).is_ok());
  CHECK(out == "3456");
  REQUIRE(file->read(10, 0, out).is_ok());
  CHECK(out.empty());
  REQUIRE(file->read(0, 10, out).is_ok());
  CHECK(out == "0123456789");
  Status past = file->read(8, 3, out);
  CHECK(past.code() == StatusCode::kCorruption);
  CHECK_THAT(past.message(), Catch::Contains(dir.file("f")) && Catch::Contains("ends at byte 10"));
  CHECK(file->read(20, 1, out).code() == StatusCode::kCorruption);
  CHECK(RandomAccessFile::open(dir.file("missing")).status().code() == StatusCode::kNotFound);
}
