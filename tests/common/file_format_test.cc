// Round trips and damage detection for the byte-level primitives and the small files:
// varints, file header/footer, document values, deletions, manifest.
#include <catch2/catch.hpp>

#include <algorithm>
#include <random>

#include "common/base/coding.h"
#include "common/base/file.h"
#include "common/format/deletions.h"
#include "common/format/doc_values.h"
#include "common/format/file_format.h"
#include "common/format/manifest.h"
#include "tests/support/hex.h"
#include "tests/support/index_file.h"
#include "tests/support/temp_dir.h"

using namespace morgue;
using morgue::testing::TempDir;
using morgue::testing::to_hex;
using morgue::testing::write_index_file;

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

TEST_CASE("varints written into a buffer are the string writer's bytes", "[coding]") {
  std::vector<uint32_t> values = {0, 1, 127, 128, 16383, 16384, 2097151, 2097152, UINT32_MAX};
  std::mt19937 rng(8);
  for (int i = 0; i < 1000; ++i) values.push_back(rng() >> (rng() % 32));
  for (uint32_t v : values) {
    CAPTURE(v);
    std::string expected;
    put_varint(expected, v);
    char buffer[kMaxVarint32Bytes];
    char* end = put_varint32(buffer, v);
    REQUIRE(std::string(buffer, end) == expected);
  }
}

// Oracle: the definition, byte by byte. Strings of 0 to 20 bytes, every byte value, so
// that the overlapping reads of strings under 8 bytes meet every length.
TEST_CASE("leading_bytes is a string's first 8 bytes, big-endian and zero-padded",
          "[coding]") {
  std::mt19937 rng(1207);
  std::vector<std::string> strings;
  for (int i = 0; i < 20000; ++i) {
    std::string s(rng() % 21, '\0');
    for (char& c : s) c = static_cast<char>(i % 2 ? rng() % 256 : 'a' + rng() % 3);
    strings.push_back(std::move(s));
  }
  for (const std::string& s : strings) {
    uint64_t expected = 0;
    for (size_t k = 0; k < 8; ++k)
      expected = (expected << 8) | (k < s.size() ? static_cast<unsigned char>(s[k]) : 0);
    CAPTURE(s.size());
    REQUIRE(leading_bytes(s) == expected);
  }
  // So the numbers order as the first 8 bytes do.
  for (size_t i = 1; i < strings.size(); ++i) {
    std::string_view a = std::string_view(strings[i - 1]).substr(0, 8);
    std::string_view b = std::string_view(strings[i]).substr(0, 8);
    std::string a_padded(a), b_padded(b);
    a_padded.resize(8, '\0');
    b_padded.resize(8, '\0');
    CHECK((leading_bytes(strings[i - 1]) < leading_bytes(strings[i])) == (a_padded < b_padded));
  }
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
  // A failure that leaves bytes behind it (a value too wide for 32 bits) still fails later
  // reads, one-byte varints included.
  std::string wide_then_small;
  put_varint(wide_then_small, uint64_t{1} << 40);
  wide_then_small += '\x05';
  ByteReader overflowed(wide_then_small);
  CHECK(overflowed.varint32() == 0);
  CHECK(overflowed.varint() == 0);
  CHECK_FALSE(overflowed.ok());
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
  write_index_file(path, header.kind, "hello body", header.segment_uuid);
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

namespace {

// Documents whose columns span about `width` bits each (0 to 64), in date order.
std::vector<DocValues> docs_spanning(unsigned width, size_t count, std::mt19937_64& rng) {
  auto below = [&](unsigned bits) { return bits == 0 ? 0 : rng() >> (64 - bits); };
  std::vector<DocValues> docs(count);
  uint64_t published = static_cast<uint64_t>(INT64_MIN) + below(63);
  uint64_t span = width >= 64 ? UINT64_MAX : (uint64_t{1} << width) - 1;
  uint64_t end = published + span;
  std::vector<uint64_t> dates;
  for (size_t i = 0; i < count; ++i) dates.push_back(published + (span == 0 ? 0 : rng() % span));
  if (count > 1) dates[0] = published, dates[1] = end;  // the full range occurs
  std::sort(dates.begin(), dates.end(), [](uint64_t a, uint64_t b) {
    return static_cast<int64_t>(a) < static_cast<int64_t>(b);
  });
  for (size_t i = 0; i < count; ++i) {
    docs[i].published = static_cast<int64_t>(dates[i]);
    docs[i].version = static_cast<int64_t>(rng() >> (64 - std::max(width, 1u))) -
                      (width >= 2 && width < 64 ? int64_t{1} << (width - 2) : 0);
    docs[i].doclen = static_cast<uint32_t>(below(std::min(width, 32u)));
    docs[i].source = "s" + std::to_string(below(std::min(width, 16u)) % 300);
  }
  if (count > 0 && width == 64) docs[0].version = INT64_MIN, docs[count - 1].version = INT64_MAX;
  return docs;
}

}  // namespace

TEST_CASE("document values round-trip at every column width", "[format]") {
  TempDir dir;
  Uuid uuid = random_uuid();
  std::mt19937_64 rng(55);
  for (unsigned width : {0u, 1u, 2u, 7u, 8u, 9u, 17u, 31u, 32u, 33u, 55u, 56u, 57u, 63u, 64u}) {
    for (size_t count : {size_t{0}, size_t{1}, size_t{2}, size_t{7}, size_t{8}, size_t{9},
                         size_t{63}, size_t{64}, size_t{65}, size_t{1000}}) {
      CAPTURE(width, count);
      std::vector<DocValues> docs = docs_spanning(width, count, rng);
      DocValuesWriter writer;
      for (const DocValues& v : docs) writer.add(v);
      std::string path = dir.file("seg.dv");
      std::remove(path.c_str());
      REQUIRE(writer.write(path, uuid).is_ok());
      auto reader = DocValuesReader::open(path, &uuid, true);
      REQUIRE(reader.is_ok());
      REQUIRE(reader->doc_count() == count);
      for (DocNum d = 0; d < count; ++d) {
        REQUIRE(reader->published(d) == docs[d].published);
        REQUIRE(reader->version(d) == docs[d].version);
        REQUIRE(reader->doclen(d) == docs[d].doclen);
        REQUIRE(reader->source(d) == docs[d].source);
      }
      for (int probe = 0; probe < 50 && count > 0; ++probe) {  // against std::lower_bound
        int64_t seconds = docs[rng() % count].published + static_cast<int64_t>(rng() % 3) - 1;
        auto it = std::lower_bound(docs.begin(), docs.end(), seconds,
                                   [](const DocValues& v, int64_t s) { return v.published < s; });
        REQUIRE(reader->lower_bound_published(seconds) == static_cast<DocNum>(it - docs.begin()));
      }
    }
  }
}

TEST_CASE("document values: the worked example of FORMAT.md, and damage to it", "[format]") {
  TempDir dir;
  DocValuesWriter writer;
  writer.add({100, 0, 5, "AP"});
  writer.add({101, 0, 7, "AP"});
  writer.add({103, 0, 6, "Reuters"});
  std::string path = dir.file("seg.dv");
  REQUIRE(writer.write(path, Uuid{}).is_ok());
  auto file = read_whole_file(path);
  REQUIRE(file.is_ok());
  std::string body = file->substr(kFileHeaderSize, file->size() - kFileHeaderSize - 24);
  CHECK(to_hex(body.substr(0, 8)) == "03 00 00 00 02 00 00 00");
  CHECK(to_hex(body.substr(8, 24)) ==  // dates 100 + 0, 1, 3 in 2 bits
        "64 00 00 00 00 00 00 00 02 00 00 00 00 00 00 00 34 00 00 00 00 00 00 00");
  CHECK(to_hex(body.substr(32, 24)) ==  // versions, all 0: width 0
        "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00");
  CHECK(to_hex(body.substr(56, 24)) ==  // lengths 5 + 0, 2, 1 in 2 bits
        "05 00 00 00 00 00 00 00 02 00 00 00 00 00 00 00 18 00 00 00 00 00 00 00");
  CHECK(to_hex(body.substr(80, 24)) ==  // source ordinals 0, 0, 1 in 1 bit
        "00 00 00 00 00 00 00 00 01 00 00 00 00 00 00 00 04 00 00 00 00 00 00 00");
  CHECK(to_hex(body.substr(104)) == "02 41 50 07 52 65 75 74 65 72 73");

  // Damaged bodies, written with a valid checksum so that the structure checks must catch them.
  auto open_body = [&](const std::string& damaged) {
    std::string p = dir.file("damaged.dv");
    write_index_file(p, FileKind::kDocValues, damaged);
    return DocValuesReader::open(p, nullptr, true);
  };
  REQUIRE(open_body(body).is_ok());
  auto refused_with = [&](const std::string& damaged, std::string_view message) {
    auto r = open_body(damaged);
    CHECK(r.status().code() == StatusCode::kCorruption);
    CHECK_THAT(r.status().message(), Catch::Contains(std::string(message)));
  };
  std::string bad = body;
  bad[16] = 57;
  refused_with(bad, "date column has width 57");
  bad = body;
  bad[17] = 1;
  refused_with(bad, "date column header padding is not zero");
  bad = body;
  bad[56 + 3] = static_cast<char>(0xff);  // length base 0xff000005: document 1 is 0xff000007
  CHECK(open_body(bad).is_ok());
  bad[56 + 4] = 1;  // 0x1ff000005 needs 33 bits
  refused_with(bad, "document 0 has a length beyond 32 bits");
  bad = body;
  bad[80 + 16] = 0x06;  // ordinals 0, 1, 1 are fine
  CHECK(open_body(bad).is_ok());
  bad[80 + 8] = 2;  // width 2: ordinals 2, 1, 0
  refused_with(bad, "document 0 has source ordinal out of range");
  bad = body;
  bad[16 + 8] = 0x0d;  // dates 100 + 1, 3, 0
  refused_with(bad, "document 2 is out of date order");
  bad = body;
  bad[0] = 4;  // a fourth document fits in the columns' slack, but its date reads as 100 + 0
  refused_with(bad, "document 3 is out of date order");
  for (size_t n = 0; n < body.size(); ++n) {
    CAPTURE(n);
    CHECK(open_body(body.substr(0, n)).status().code() == StatusCode::kCorruption);
  }
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

namespace {

// `size` random bytes from `rng`, written to dir/f.
std::string write_random_file(const TempDir& dir, std::mt19937& rng, size_t size) {
  std::string content(size, '\0');
  for (char& c : content) c = static_cast<char>(rng());
  REQUIRE(atomic_write_file(dir.file("f"), content).is_ok());
  return content;
}

// dir/f, `content`'s bytes, read through windows of `window` bytes.
WindowedFileReader windowed_reader(const TempDir& dir, const std::string& content,
                                   size_t window) {
  auto file = RandomAccessFile::open(dir.file("f"));
  REQUIRE(file.is_ok());
  return WindowedFileReader(std::move(*file), content.size(), window);
}

}  // namespace

TEST_CASE("a windowed file reader returns the bytes of every range, in order or not", "[file]") {
  TempDir dir;
  std::mt19937 rng(20261205);
  const std::string content = write_random_file(dir, rng, 100'000);
  constexpr size_t kWindow = 4096;
  WindowedFileReader reader = windowed_reader(dir, content, kWindow);
  // Mostly forward, as a merge reads; every tenth range jumps back, and some are longer
  // than the window.
  uint64_t offset = 0;
  for (int i = 0; i < 2000; ++i) {
    if (rng() % 10 == 0) offset = rng() % content.size();
    size_t length = rng() % 8 == 0 ? rng() % (3 * kWindow) : rng() % 300;
    length = std::min<size_t>(length, content.size() - offset);
    CAPTURE(i, offset, length);
    auto bytes = reader.read(offset, length);
    REQUIRE(bytes.is_ok());
    REQUIRE(*bytes == std::string_view(content).substr(offset, length));
    offset = std::min<uint64_t>(content.size(), offset + length + rng() % 64);
  }
  // Ranges ending exactly at a window's end, and one byte past it.
  for (uint64_t start : {uint64_t{0}, uint64_t{50'000}}) {
    CHECK(*reader.read(start, 10) == content.substr(start, 10));  // a window from `start`
    CHECK(*reader.read(start + kWindow - 6, 6) == content.substr(start + kWindow - 6, 6));
    CHECK(*reader.read(start + kWindow - 6, 7) == content.substr(start + kWindow - 6, 7));
  }
  // The last byte, and nothing at the end, are inside the file.
  CHECK(*reader.read(content.size() - 1, 1) == content.substr(content.size() - 1));
  CHECK(reader.read(content.size(), 0)->empty());
  Status past = reader.read(content.size() - 2, 3).status();
  CHECK(past.code() == StatusCode::kCorruption);
  CHECK_THAT(past.message(), Catch::Contains(dir.file("f")) && Catch::Contains("pass its end"));
  CHECK(reader.read(content.size() + 1, 0).status().code() == StatusCode::kCorruption);
  // A file shorter than it was said to be: the read fails rather than returning less.
  auto short_file = RandomAccessFile::open(dir.file("f"));
  REQUIRE(short_file.is_ok());
  WindowedFileReader overstated(std::move(*short_file), content.size() + 10, kWindow);
  CHECK(overstated.read(content.size() - 5, 10).status().code() == StatusCode::kCorruption);
  CHECK(*overstated.read(0, 5) == content.substr(0, 5));
}

TEST_CASE("a windowed file reader serves two interleaved forward streams from a window each",
          "[file]") {
  // As a merge reads postings: a word's own ranges in the file's second half, each
  // followed by its stem's, far back in the first half.
  TempDir dir;
  std::mt19937 rng(20261207);
  const std::string content = write_random_file(dir, rng, 200'000);
  constexpr size_t kWindow = 4096;
  WindowedFileReader reader = windowed_reader(dir, content, kWindow);
  uint64_t stems = 0, words = 100'000;
  int ranges = 0;
  while (words < content.size() - 300) {
    for (uint64_t* offset : {&words, &stems}) {
      size_t length = rng() % 200;
      CAPTURE(*offset, length);
      auto bytes = reader.read(*offset, length);
      REQUIRE(bytes.is_ok());
      REQUIRE(*bytes == std::string_view(content).substr(*offset, length));
      *offset += length + rng() % 16;
      ++ranges;
    }
  }
  // Each stream reads its span once, a window at a time (one window for both would read
  // one for every range).
  const uint64_t spanned = (words - 100'000) + stems;
  CHECK(reader.file_reads() <= spanned / (kWindow - 200) + 2);
  CHECK(reader.file_reads() < static_cast<uint64_t>(ranges) / 10);
  // A jump back to a range before both windows still reads it, from the file.
  const uint64_t before = reader.file_reads();
  CHECK(*reader.read(10, 20) == content.substr(10, 20));
  CHECK(reader.file_reads() == before + 1);
}
