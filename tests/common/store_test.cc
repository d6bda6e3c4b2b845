// The article store: the article codec's round trip and its refusal of bad bytes, the store's
// round trip (0, 1, many documents; with and without a dictionary; documents larger than a
// chunk), concurrent reads, and damaged files that must give errors, never crashes.
#include <algorithm>
#include <catch2/catch.hpp>
#include <climits>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <zdict.h>
#include <zstd.h>

#include "common/base/coding.h"
#include "common/base/file.h"
#include "common/store/article_codec.h"
#include "common/store/store_reader.h"
#include "common/store/store_writer.h"
#include "tests/support/paths.h"
#include "tests/support/temp_dir.h"

using namespace morgue;
using morgue::testing::TempDir;

namespace {

uint64_t test_seed(uint64_t fallback) {
  const char* env = std::getenv("MORGUE_TEST_SEED");
  return env ? std::strtoull(env, nullptr, 10) : fallback;
}

// A string of up to max_length bytes: mostly ASCII letters, some multi-byte UTF-8, now and
// then any byte at all (the codec keeps bytes, it does not validate text).
std::string random_string(std::mt19937_64& rng, size_t max_length) {
  static const char* const kUtf8[] = {"é", "ß", "ñ", "北", "京", "🙂", "\xe2\x80\x94", " "};
  std::string s;
  size_t length = max_length ? rng() % (max_length + 1) : 0;
  while (s.size() < length) {
    uint64_t kind = rng() % 100;
    if (kind < 85)
      s.push_back(static_cast<char>('a' + rng() % 26));
    else if (kind < 97)
      s += kUtf8[rng() % std::size(kUtf8)];
    else
      s.push_back(static_cast<char>(rng() % 256));
  }
  return s;
}

int64_t random_int(std::mt19937_64& rng) {
  static const int64_t kEdges[] = {0, 1, -1, INT64_MIN, INT64_MAX, 63, 64, -64, -65};
  if (rng() % 4 == 0) return kEdges[rng() % std::size(kEdges)];
  return static_cast<int64_t>(rng()) >> (rng() % 64);
}

Article random_article(std::mt19937_64& rng) {
  Article a;
  a.id = random_string(rng, 20);
  a.version = random_int(rng);
  a.headline = random_string(rng, 80);
  a.dateline = random_string(rng, 20);
  a.byline = random_string(rng, 30);
  for (size_t i = rng() % 4; i > 0; --i) a.authors.push_back(random_string(rng, 20));
  a.body = random_string(rng, rng() % 10 == 0 ? 5000 : 500);
  if (rng() % 5 != 0) a.published = random_int(rng);
  a.source = random_string(rng, 10);
  for (size_t i = rng() % 6; i > 0; --i) {
    a.entities.push_back(Entity{static_cast<EntityType>(1 + rng() % 4), random_string(rng, 20)});
  }
  for (size_t i = rng() % 4; i > 0; --i) a.topics.push_back(random_string(rng, 10));
  a.language = random_string(rng, 5);
  for (size_t i = rng() % 3; i > 0; --i) {
    a.extra.push_back(ExtraField{random_string(rng, 10), random_string(rng, 30)});
  }
  return a;
}

Article hand_made_article() {
  Article a;
  a.id = "reuters-1987-0001";
  a.version = 3;
  a.headline = "COCOA TALKS IN ABIDJAN — CAFÉ PRICES 北京";
  a.dateline = "SALVADOR, Feb 26";
  a.byline = "By Steve Holland and Matt Spetalnick";
  a.authors = {"Steve Holland", "Matt Spetalnick"};
  a.body = "Showers continued throughout the week in the Bahia cocoa zone...\n 🙂 REUTER";
  a.published = 540000000;
  a.source = "Reuters";
  a.entities = {{EntityType::kPerson, "Joe Biden"},
                {EntityType::kOrg, "ICCO"},
                {EntityType::kPlace, "el-salvador"},
                {EntityType::kOther, ""}};
  a.topics = {"cocoa", "coffee"};
  a.language = "en";
  a.extra = {{"exchanges", "[\"nyse\"]"}, {"companies", "[]"}};
  return a;
}

// News-like articles (a Zipf-ish draw from a made-up vocabulary) so that a dictionary can
// be trained on them, as on real text.
std::vector<std::string> synthetic_articles(size_t count, uint64_t seed) {
  std::mt19937_64 rng(seed);
  static const char* const kSyllables[] = {"ba",  "ko",  "ri", "ste", "mar", "len", "to",
                                           "qui", "dra", "pe", "sun", "vo",  "ex",  "li"};
  std::vector<std::string> words;
  for (int i = 0; i < 3000; ++i) {
    std::string w;
    for (int j = 1 + i % 4; j > 0; --j) w += kSyllables[rng() % std::size(kSyllables)];
    words.push_back(w);
  }
  std::vector<std::string> out;
  for (size_t i = 0; i < count; ++i) {
    Article a;
    a.id = "syn-" + std::to_string(i);
    a.published = 500000000 + static_cast<int64_t>(i) * 97;
    a.source = "Reuters";
    a.topics = {words[rng() % 50]};
    auto sentence = [&](size_t n) {
      std::string s;
      for (size_t k = 0; k < n; ++k) {
        double u = std::uniform_real_distribution<double>(0, 1)(rng);
        s += words[static_cast<size_t>(std::pow(3000.0, u)) - 1];  // log-uniform rank ~ Zipf
        s += k + 1 < n ? " " : ".";
      }
      return s;
    };
    a.headline = sentence(6);
    for (size_t k = 3 + rng() % 12; k > 0; --k) a.body += sentence(8 + rng() % 10) + "\n";
    out.push_back(encode_article(a));
  }
  return out;
}

std::vector<std::string_view> views_of(const std::vector<std::string>& docs) {
  return {docs.begin(), docs.end()};
}

const Uuid kUuid = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};

// Returns the writer's fast_search().
bool write_store(const std::string& path, const std::vector<std::string>& docs,
                 const std::string& dictionary, size_t chunk_bytes, int level = 3,
                 unsigned compression_threads = 1, StoreSearch search = StoreSearch::kTrial) {
  auto writer = StoreWriter::create(path, kUuid, dictionary, level, chunk_bytes,
                                    compression_threads, search);
  REQUIRE(writer.is_ok());
  for (const std::string& doc : docs) REQUIRE(writer->add(doc).is_ok());
  REQUIRE(writer->finish().is_ok());
  return writer->fast_search();
}

// The serialised bodies of the Reuters-21578 articles in the first `files` .sgm files of
// the shared corpus: real news text. Empty when the corpus is not there.
std::vector<std::string> reuters_bodies(int files) {
  std::vector<std::string> docs;
  for (int f = 0; f < files; ++f) {
    std::ifstream in(morgue::testing::shared_path(
                         "corpus/reuters21578/reut2-00" + std::to_string(f) + ".sgm"),
                     std::ios::binary);
    if (!in) return {};
    std::string sgm((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    for (size_t at = sgm.find("<BODY>"); at != std::string::npos; at = sgm.find("<BODY>", at)) {
      size_t end = sgm.find("</BODY>", at);
      if (end == std::string::npos) break;
      Article a;
      a.id = "r" + std::to_string(docs.size());
      a.body = sgm.substr(at + 6, end - at - 6);
      docs.push_back(encode_article(a));
      at = end;
    }
  }
  return docs;
}

// Replaces the file at `path` with `bytes`.
void write_bytes(const std::string& path, const std::string& bytes) {
  std::filesystem::remove(path);
  std::ofstream(path, std::ios::binary)
      .write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// Every document through get(), a Cursor (in order, then in a random order) and
// for_each(), byte for byte, then verify().
void check_store_holds(const StoreReader& reader, const std::vector<std::string>& docs) {
  REQUIRE(reader.doc_count() == docs.size());
  for (uint32_t i = 0; i < docs.size(); ++i) {
    Result<std::string> got = reader.get(i);
    REQUIRE(got.is_ok());
    REQUIRE(*got == docs[i]);
  }
  std::vector<uint32_t> order(docs.size());
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  for (bool shuffled : {false, true}) {
    if (shuffled) std::shuffle(order.begin(), order.end(), std::mt19937_64(test_seed(11)));
    StoreReader::Cursor cursor(reader);
    for (uint32_t doc : order) {
      Result<std::string_view> got = cursor.get(doc);
      REQUIRE(got.is_ok());
      REQUIRE(*got == docs[doc]);
    }
    CHECK(cursor.get(static_cast<uint32_t>(docs.size())).status().code() ==
          StatusCode::kInvalidArgument);
  }
  uint32_t next = 0;
  Status status = reader.for_each([&](uint32_t doc, std::string_view bytes) {
    if (doc != next++ || bytes != docs[doc]) return Status::internal("wrong document");
    return Status::ok();
  });
  REQUIRE(status.is_ok());
  REQUIRE(next == docs.size());
  REQUIRE(reader.verify().is_ok());
}

}  // namespace

TEST_CASE("article codec: a hand-made article with every field round-trips", "[store]") {
  for (const Article& a : {hand_made_article(), Article{}}) {
    std::mt19937_64 rng(1);
    Article back = random_article(rng);  // decode overwrites every field
    REQUIRE(decode_article(encode_article(a), back).is_ok());
    REQUIRE(back == a);
  }
}

TEST_CASE("article codec: random articles round-trip, extremes and unicode included",
          "[store][property]") {
  uint64_t seed = test_seed(20240611);
  CAPTURE(seed);
  std::mt19937_64 rng(seed);
  for (int i = 0; i < 2000; ++i) {
    Article a = random_article(rng);
    if (i == 7) a.body.assign(3 << 20, 'x');  // a large body (3 MiB)
    if (i == 8) a.published = INT64_MIN;
    std::string bytes = encode_article(a);
    // The encoder reserves the exact size: no slack for the writer's buffer to hold. (With
    // libstdc++, reserve(n) gives capacity n, or the 15 bytes held inline.)
    REQUIRE(bytes.capacity() == std::max<size_t>(bytes.size(), std::string().capacity()));
    Article back;
    REQUIRE(decode_article(bytes, back).is_ok());
    REQUIRE(back == a);
  }
}

TEST_CASE("article codec: truncated, extended and malformed bytes are kCorruption", "[store]") {
  std::string bytes = encode_article(hand_made_article());
  Article out;
  for (size_t n = 0; n < bytes.size(); ++n) {
    CAPTURE(n);
    REQUIRE(decode_article(bytes.substr(0, n), out).code() == StatusCode::kCorruption);
  }
  REQUIRE(decode_article(bytes + '\0', out).code() == StatusCode::kCorruption);

  Article one;
  one.entities = {{EntityType::kPlace, "x"}};
  std::string e = encode_article(one);
  // Bytes from the end: extra_count(1) language "en"(3) topic_count(1) name "x"(2) type(1).
  size_t type_at = e.size() - 8;
  REQUIRE(static_cast<uint8_t>(e[type_at]) == static_cast<uint8_t>(EntityType::kPlace));
  for (char bad : {'\0', '\5', '\xff'}) {
    std::string damaged = e;
    damaged[type_at] = bad;
    REQUIRE(decode_article(damaged, out).code() == StatusCode::kCorruption);
  }
  // The published flag is the byte after body's length (body empty): 1 + 1 + 1 + 1+1+1 + 1 + 1.
  std::string flag = encode_article(Article{});
  REQUIRE(flag[8] == '\0');
  flag[8] = '\2';
  REQUIRE(decode_article(flag, out).code() == StatusCode::kCorruption);
  // A count far above the bytes left is refused before anything is reserved.
  std::string huge = encode_article(Article{});
  huge.resize(6);                                                  // up to and including byline
  huge += std::string("\xff\xff\xff\xff\xff\xff\xff\xff\x7f", 9);  // author_count ~ 2^63
  REQUIRE(decode_article(huge, out).code() == StatusCode::kCorruption);
  std::string version = encode_article(Article{});
  version[0] = '\x2a';
  REQUIRE(decode_article(version, out).code() == StatusCode::kNotSupported);
}

TEST_CASE("article codec: random damage gives an error or an article, never a crash",
          "[store][property]") {
  uint64_t seed = test_seed(77);
  CAPTURE(seed);
  std::mt19937_64 rng(seed);
  for (int trial = 0; trial < 3000; ++trial) {
    std::string bytes = encode_article(random_article(rng));
    for (int k = 1 + static_cast<int>(rng() % 3); k > 0; --k) {
      bytes[rng() % bytes.size()] = static_cast<char>(rng());
    }
    Article out;
    Status status = decode_article(bytes, out);
    if (!status.is_ok()) {
      REQUIRE(
          (status.code() == StatusCode::kCorruption || status.code() == StatusCode::kNotSupported));
    }
  }
}

TEST_CASE("store: the worked examples of docs/FORMAT.md#store, byte for byte", "[store]") {
  auto hex = [](std::string_view text) {
    std::string out;
    for (size_t i = 0; i + 1 < text.size(); i += 3) {
      out.push_back(static_cast<char>(std::stoi(std::string(text.substr(i, 2)), nullptr, 16)));
    }
    return out;
  };
  Article a;
  a.id = "r1";
  a.version = -1;
  a.headline = "Cocoa";
  a.body = "Rain.";
  a.published = 1;
  a.source = "Reuters";
  a.entities = {{EntityType::kPlace, "ghana"}};
  a.topics = {"cocoa"};
  REQUIRE(encode_article(a) ==
          hex("01 02 72 31 01 05 43 6f 63 6f 61 00 00 00 05 52 61 69 6e 2e 01 02 07 52 65 75 "
              "74 65 72 73 01 03 05 67 68 61 6e 61 01 05 63 6f 63 6f 61 02 65 6e 00 "));

  TempDir dir;
  // The example in FORMAT.md is written at level 15 (the level is recorded in the trailer).
  auto writer = StoreWriter::create(dir.file("x.sto"), Uuid{}, "", 15);
  REQUIRE(writer.is_ok());
  REQUIRE((writer->add("hi").is_ok() && writer->add("news").is_ok()));
  REQUIRE(writer->finish().is_ok());
  std::string expected =
      hex("4d 4f 52 47 55 45 73 74 0b 00 00 00 06 00 00 00 ") + std::string(16, '\0') +
      hex("28 b5 2f fd 20 08 41 00 00 02 04 68 69 6e 65 77 73 00 00 00 00 00 00 00 "
          "00 00 00 00 00 00 00 00 6f 03 95 63 0c b5 08 4c 00 00 00 00 08 00 00 00 "
          "02 00 00 00 01 00 00 00 00 00 00 00 00 00 00 00 11 00 00 00 00 00 00 00 "
          "06 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 0f 00 00 00 00 00 00 00 "
          "60 00 00 00 00 00 00 00 b3 c9 53 22 66 a3 f7 ec 4d 47 46 54 00 00 00 00 ");
  Result<std::string> file = read_whole_file(dir.file("x.sto"));
  REQUIRE(file.is_ok());
  REQUIRE(*file == expected);

  // The same two documents left uncompressed: the chunk's frame, and level 0 in the trailer.
  auto raw_writer = StoreWriter::create(dir.file("raw.sto"), Uuid{}, "", kStoreRawLevel);
  REQUIRE(raw_writer.is_ok());
  REQUIRE((raw_writer->add("hi").is_ok() && raw_writer->add("news").is_ok()));
  REQUIRE(raw_writer->finish().is_ok());
  Result<std::string> raw_file = read_whole_file(dir.file("raw.sto"));
  REQUIRE(raw_file.is_ok());
  REQUIRE(raw_file->size() == 0x98);
  CHECK(raw_file->substr(0x20, 24) ==
        hex("28 b5 2f fd a0 08 00 00 00 41 00 00 02 04 68 69 6e 65 77 73 00 00 00 00 "));
  CHECK(raw_file->substr(0x78, 8) == std::string(8, '\0'));
}

TEST_CASE("store: an empty store round-trips and get(0) is out of range", "[store]") {
  TempDir dir;
  write_store(dir.file("empty.sto"), {}, "", kStoreChunkBytes);
  auto reader = StoreReader::open(dir.file("empty.sto"), &kUuid, true);
  REQUIRE(reader.is_ok());
  check_store_holds(*reader, {});
  REQUIRE(reader->chunk_count() == 0);
  REQUIRE(reader->get(0).status().code() == StatusCode::kInvalidArgument);
}

TEST_CASE("store: 1 and many documents read back byte-identical, with and without a dictionary",
          "[store]") {
  std::vector<std::string> corpus = synthetic_articles(3000, 5);
  std::string dictionary = train_store_dictionary(views_of(corpus), 16 * 1024);
  REQUIRE(!dictionary.empty());
  bool with_dictionary = GENERATE(false, true);
  size_t chunk_bytes = GENERATE(size_t{1}, size_t{700}, size_t{4096}, kStoreChunkBytes);
  size_t count = GENERATE(size_t{1}, size_t{2}, size_t{3000});
  CAPTURE(with_dictionary, chunk_bytes, count);
  std::vector<std::string> docs(corpus.begin(), corpus.begin() + static_cast<ptrdiff_t>(count));
  TempDir dir;
  std::string path = dir.file("s.sto");
  write_store(path, docs, with_dictionary ? dictionary : "", chunk_bytes);
  auto reader = StoreReader::open(path, &kUuid, true);
  REQUIRE(reader.is_ok());
  check_store_holds(*reader, docs);
  REQUIRE(reader->dictionary_bytes() == (with_dictionary ? dictionary.size() : 0));
  if (chunk_bytes == 1) REQUIRE(reader->chunk_count() == count);
  Result<Article> article = reader->get_article(static_cast<uint32_t>(count - 1));
  REQUIRE(article.is_ok());
  REQUIRE(article->id == "syn-" + std::to_string(count - 1));
  REQUIRE(reader->get(static_cast<uint32_t>(count)).status().code() ==
          StatusCode::kInvalidArgument);
  REQUIRE(reader->get(UINT32_MAX).status().code() == StatusCode::kInvalidArgument);
}

TEST_CASE("store: documents larger than a chunk, empty ones and binary ones round-trip",
          "[store]") {
  std::mt19937_64 rng(test_seed(99));
  std::vector<std::string> docs = {"", "a", std::string(200 * 1024, 'z'), "", "b"};
  std::string noise(1 << 20, '\0');  // incompressible: zstd stores it raw
  for (char& c : noise) c = static_cast<char>(rng());
  docs.push_back(noise);
  docs.push_back(std::string(70000, '\0'));
  for (int i = 0; i < 50; ++i) docs.push_back(random_string(rng, 3000));
  docs.push_back("");
  TempDir dir;
  write_store(dir.file("big.sto"), docs, "", 4096);
  auto reader = StoreReader::open(dir.file("big.sto"), &kUuid, true);
  REQUIRE(reader.is_ok());
  check_store_holds(*reader, docs);
  REQUIRE(reader->raw_bytes() > (1 << 20));
}

// Negative levels, down to zstd's fastest: the chunks must read back as at any other level.
TEST_CASE("store: negative levels round-trip, with and without a dictionary", "[store]") {
  std::vector<std::string> docs = synthetic_articles(600, 11);
  std::string dictionary = train_store_dictionary(views_of(docs), 16 * 1024);
  REQUIRE(!dictionary.empty());
  bool with_dictionary = GENERATE(false, true);
  CAPTURE(with_dictionary);
  const std::string& dict = with_dictionary ? dictionary : std::string();
  TempDir dir;
  uint64_t previous_bytes = 0;  // each level below compresses less than the one before
  for (int level : {3, -1, -30, ZSTD_minCLevel()}) {
    CAPTURE(level);
    std::string path = dir.file("l" + std::to_string(level) + ".sto");
    write_store(path, docs, dict, kStoreChunkBytes, level);
    auto reader = StoreReader::open(path, &kUuid, true);
    REQUIRE(reader.is_ok());
    check_store_holds(*reader, docs);
    uint64_t bytes = std::filesystem::file_size(path);
    CHECK(bytes > previous_bytes);
    previous_bytes = bytes;
  }
}

// The documents of each chunk of a store of `docs`, by the writer's rule: a chunk closes
// once it holds chunk_bytes of documents, and the last holds what is left.
std::vector<std::vector<std::string>> chunks_of(const std::vector<std::string>& docs,
                                                size_t chunk_bytes) {
  std::vector<std::vector<std::string>> chunks(1);
  size_t open_bytes = 0;
  for (const std::string& doc : docs) {
    chunks.back().push_back(doc);
    open_bytes += doc.size();
    if (open_bytes >= chunk_bytes) {
      chunks.emplace_back();
      open_bytes = 0;
    }
  }
  if (chunks.back().empty()) chunks.pop_back();
  return chunks;
}

// The documents of a store's first `chunks` chunks (chunks_of).
std::vector<std::string> first_chunks(const std::vector<std::string>& docs, size_t chunk_bytes,
                                      size_t chunks) {
  std::vector<std::string> out;
  for (const auto& chunk : chunks_of(docs, chunk_bytes)) {
    if (chunks-- == 0) break;
    out.insert(out.end(), chunk.begin(), chunk.end());
  }
  return out;
}

// A build's flushed segments leave their stores uncompressed (kTemporaryStoreZstdLevel):
// each chunk one zstd frame of raw blocks, header bytes and the chunk as it is, that
// zstd's decoder reads back. Documents across the 128 KiB block limit and exactly on it.
TEST_CASE("store: a store left uncompressed holds its chunks in frames of raw blocks",
          "[store]") {
  std::mt19937_64 rng(test_seed(41));
  std::vector<std::string> docs = synthetic_articles(300, 12);
  for (size_t size : {size_t{0}, size_t{131072 - 3}, size_t{131072}, size_t{300000}}) {
    docs.insert(docs.begin() + static_cast<long>(rng() % docs.size()), std::string(size, 'q'));
  }
  size_t chunk_bytes = GENERATE(size_t{4096}, kStoreChunkBytes);
  CAPTURE(chunk_bytes);
  // The frames' bytes, chunk by chunk as the writer closes them: a 9-byte frame header
  // (magic, descriptor, 4-byte content size), and per block of up to 128 KiB 3 bytes.
  uint64_t frame_bytes = 0;
  for (const auto& chunk : chunks_of(docs, chunk_bytes)) {
    uint64_t chunk_raw = 0;
    for (const std::string& doc : chunk) chunk_raw += varint_length(doc.size()) + doc.size();
    uint64_t blocks = std::max<uint64_t>(1, (chunk_raw + 131071) / 131072);
    frame_bytes += 9 + 3 * blocks + chunk_raw;
  }
  TempDir dir;
  std::string one = dir.file("one.sto");
  auto writer = StoreWriter::create(one, kUuid, "", kStoreRawLevel, chunk_bytes);
  REQUIRE(writer.is_ok());
  for (const std::string& doc : docs) REQUIRE(writer->add(doc).is_ok());
  REQUIRE(writer->finish().is_ok());
  CHECK(writer->compressed_bytes() == frame_bytes);
  auto reader = StoreReader::open(one, &kUuid, true);
  REQUIRE(reader.is_ok());
  check_store_holds(*reader, docs);
  // Helpers that copy instead of compressing write the same file.
  std::string three = dir.file("three.sto");
  write_store(three, docs, "", chunk_bytes, kStoreRawLevel, 3);
  Result<std::string> three_bytes = read_whole_file(three);
  Result<std::string> one_bytes = read_whole_file(one);
  REQUIRE((three_bytes.is_ok() && one_bytes.is_ok()));
  CHECK(*three_bytes == *one_bytes);
  // A dictionary would be neither used nor recorded honestly: refused.
  std::string dictionary = train_store_dictionary(views_of(docs), 16 * 1024);
  REQUIRE(!dictionary.empty());
  CHECK(StoreWriter::create(dir.file("d.sto"), kUuid, dictionary, kStoreRawLevel)
            .status()
            .code() == StatusCode::kInvalidArgument);
}

TEST_CASE("store: too few samples train no dictionary and the file records none", "[store]") {
  std::vector<std::string> few = synthetic_articles(3, 1);
  REQUIRE(train_store_dictionary(views_of(few), 64 * 1024).empty());
  REQUIRE(train_store_dictionary({}, 64 * 1024).empty());
  TempDir dir;
  write_store(dir.file("s.sto"), few, train_store_dictionary(views_of(few), 64 * 1024), 1024);
  auto reader = StoreReader::open(dir.file("s.sto"), &kUuid, true);
  REQUIRE(reader.is_ok());
  REQUIRE(reader->dictionary_bytes() == 0);
  check_store_holds(*reader, few);
}

TEST_CASE("store: a dictionary makes small chunks smaller", "[store]") {
  std::vector<std::string> docs = synthetic_articles(4000, 11);
  std::string dictionary = train_store_dictionary(views_of(docs), 32 * 1024);
  TempDir dir;
  write_store(dir.file("plain.sto"), docs, "", 8192);
  write_store(dir.file("dict.sto"), docs, dictionary, 8192);
  auto plain = StoreReader::open(dir.file("plain.sto"), &kUuid, false);
  auto with_dict = StoreReader::open(dir.file("dict.sto"), &kUuid, false);
  REQUIRE((plain.is_ok() && with_dict.is_ok()));
  CAPTURE(plain->file_bytes(), with_dict->file_bytes(), plain->raw_bytes());
  REQUIRE(with_dict->file_bytes() < plain->file_bytes());
}

TEST_CASE("store: the dictionary grows with the store, within its bounds", "[store]") {
  REQUIRE(store_dictionary_bytes(0) == kStoreDictionaryBytes);
  REQUIRE(store_dictionary_bytes(28'000'000) == kStoreDictionaryBytes);  // Reuters-21578
  REQUIRE(store_dictionary_bytes(100'000'000) == 100'000'000 / 512);
  REQUIRE(store_dictionary_bytes(1'048'000'000) == 1'048'000'000 / 512);  // a million articles
  REQUIRE(store_dictionary_bytes(2'000'000'000) == kStoreMaxDictionaryBytes);
  REQUIRE(store_dictionary_bytes(UINT64_MAX) == kStoreMaxDictionaryBytes);
  std::mt19937_64 rng(test_seed(7));
  for (int i = 0; i < 1000; ++i) {
    uint64_t a = rng() >> (rng() % 64), b = rng() >> (rng() % 64);
    if (a > b) std::swap(a, b);
    CAPTURE(a, b);
    REQUIRE(store_dictionary_bytes(a) <= store_dictionary_bytes(b));
  }
  REQUIRE(store_training_bytes(kStoreDictionaryBytes) == 100 * kStoreDictionaryBytes);
  REQUIRE(store_training_bytes(kStoreMaxDictionaryBytes) == kStoreMaxTrainingBytes);
}

TEST_CASE("store: samples laid end to end train the dictionary their views train", "[store]") {
  std::vector<std::string> docs = synthetic_articles(3000, 21);
  std::string concatenated;
  std::vector<size_t> sizes;
  for (const std::string& d : docs) {
    concatenated += d;
    sizes.push_back(d.size());
  }
  // 32 KiB of dictionary takes up to 3.2 MB of samples: all of these, as the views do.
  REQUIRE(concatenated.size() < store_training_bytes(32 * 1024));
  std::string from_views = train_store_dictionary(views_of(docs), 32 * 1024);
  std::string from_buffer = train_store_dictionary(concatenated, sizes, 32 * 1024);
  REQUIRE(from_views.size() == 32 * 1024);
  REQUIRE(from_buffer == from_views);
  // At most a tenth of the sample bytes, and none from too few samples.
  REQUIRE(train_store_dictionary(concatenated, sizes, 1 << 30).size() <= concatenated.size() / 10);
  std::vector<size_t> few(sizes.begin(), sizes.begin() + 15);
  REQUIRE(train_store_dictionary(concatenated, few, 32 * 1024).empty());
}

// train_store_dictionary runs ZDICT_trainFromBuffer's search over k itself, its five
// candidates on several threads. Oracle: ZDICT_trainFromBuffer, which runs the same search
// on one. The dictionaries must be the same bytes on any number of threads, on synthetic
// articles and on Reuters' real text (where the search picks another k), small and large.
TEST_CASE("store: the dictionary is ZDICT_trainFromBuffer's on any number of threads",
          "[store]") {
  struct Case {
    std::vector<std::string> docs;
    size_t max_dict_bytes;
  };
  std::vector<Case> cases = {{synthetic_articles(3000, 21), 32 * 1024},
                             {synthetic_articles(2000, 22), 160 * 1024}};
  if (std::vector<std::string> reuters = reuters_bodies(2); !reuters.empty())
    cases.push_back({std::move(reuters), 48 * 1024});
  for (const Case& c : cases) {
    std::string concatenated;
    std::vector<size_t> sizes;
    for (const std::string& d : c.docs) {
      concatenated += d;
      sizes.push_back(d.size());
    }
    CAPTURE(c.docs.size(), concatenated.size(), c.max_dict_bytes);
    std::string expected(std::min(c.max_dict_bytes, concatenated.size() / 10), '\0');
    size_t n = ZDICT_trainFromBuffer(expected.data(), expected.size(), concatenated.data(),
                                     sizes.data(), static_cast<unsigned>(sizes.size()));
    REQUIRE_FALSE(ZDICT_isError(n));
    expected.resize(n);
    for (unsigned threads : {1u, 2u, 3u, 8u}) {
      CAPTURE(threads);
      CHECK(train_store_dictionary(concatenated, sizes, c.max_dict_bytes, threads) == expected);
    }
  }
}

// What a larger dictionary buys: smaller chunks. It pays for itself only in a store large
// enough to carry it (store_dictionary_bytes); here, 6.6 MB, 128 KiB does not.
TEST_CASE("store: a larger dictionary makes the chunks smaller", "[store]") {
  std::vector<std::string> docs = synthetic_articles(8000, 13);
  TempDir dir;
  uint64_t previous = UINT64_MAX;
  for (size_t dict_bytes : {size_t{8 * 1024}, size_t{32 * 1024}, size_t{128 * 1024}}) {
    CAPTURE(dict_bytes);
    std::string path = dir.file(std::to_string(dict_bytes) + ".sto");
    std::string dictionary = train_store_dictionary(views_of(docs), dict_bytes);
    REQUIRE(dictionary.size() == dict_bytes);
    write_store(path, docs, dictionary, kStoreChunkBytes);
    auto reader = StoreReader::open(path, &kUuid, true);
    REQUIRE(reader.is_ok());
    check_store_holds(*reader, docs);
    uint64_t chunk_bytes = reader->file_bytes() - reader->dictionary_bytes();
    CAPTURE(chunk_bytes, reader->raw_bytes());
    REQUIRE(chunk_bytes < previous);
    previous = chunk_bytes;
  }
}

TEST_CASE("store: a dictionary above 256 KiB, compressed with bounded match tables, "
          "round-trips and beats none", "[store]") {
  std::vector<std::string> docs = synthetic_articles(5000, 17);
  std::string dictionary = train_store_dictionary(views_of(docs), 320 * 1024);
  REQUIRE(dictionary.size() == 320 * 1024);
  TempDir dir;
  write_store(dir.file("large.sto"), docs, dictionary, kStoreChunkBytes);
  write_store(dir.file("plain.sto"), docs, "", kStoreChunkBytes);
  auto large = StoreReader::open(dir.file("large.sto"), &kUuid, true);
  auto plain = StoreReader::open(dir.file("plain.sto"), &kUuid, true);
  REQUIRE((large.is_ok() && plain.is_ok()));
  check_store_holds(*large, docs);
  REQUIRE(large->dictionary_bytes() == dictionary.size());
  uint64_t large_chunks = large->file_bytes() - large->dictionary_bytes();
  CAPTURE(large_chunks, plain->file_bytes());
  REQUIRE(large_chunks < plain->file_bytes());
}

// Each chunk is compressed alone from the dictionary, so which thread compresses it, and
// with which context, cannot change its bytes: the files must be identical. Three threads
// and a chunk count that is no multiple of their ring of chunks give uneven shares and a
// partial last round, on each of the three ways of compressing (no dictionary, a digested
// one, a large one loaded into every context).
TEST_CASE("store: several compression threads write the same file as one", "[store]") {
  std::vector<std::string> docs = synthetic_articles(5000, 19);
  const std::string dictionaries[] = {"", train_store_dictionary(views_of(docs), 32 * 1024),
                                      train_store_dictionary(views_of(docs), 320 * 1024)};
  REQUIRE(dictionaries[2].size() > 256 * 1024);
  TempDir dir;
  for (const std::string& dictionary : dictionaries) {
    CAPTURE(dictionary.size());
    write_store(dir.file("one.sto"), docs, dictionary, 3000, kStoreZstdLevel, 1);
    auto one = StoreReader::open(dir.file("one.sto"), &kUuid, true);
    REQUIRE(one.is_ok());
    CAPTURE(one->chunk_count());
    REQUIRE(one->chunk_count() % (3 * kStoreChunksPerThread) != 0);
    check_store_holds(*one, docs);
    for (unsigned threads : {2u, 3u}) {
      CAPTURE(threads);
      std::string path = dir.file(std::to_string(threads) + ".sto");
      write_store(path, docs, dictionary, 3000, kStoreZstdLevel, threads);
      Result<std::string> many_bytes = read_whole_file(path);
      Result<std::string> one_bytes = read_whole_file(dir.file("one.sto"));
      REQUIRE((many_bytes.is_ok() && one_bytes.is_ok()));
      REQUIRE(*many_bytes == *one_bytes);
      std::filesystem::remove(path);
    }
    std::filesystem::remove(dir.file("one.sto"));
  }
}

// With a large dictionary at level 9 the writer compresses its first kStoreTrialChunks
// chunks with both searches and keeps the one that made them smaller. The oracle: each
// search forced on those chunks alone (the files then differ by their chunks' bytes only),
// and the whole file forced to the winner, which the trial's file must equal byte for byte
// (on three threads, against the forced ones' one). Two kinds of text, so that each search
// wins once: the made-up vocabulary here, and Reuters' real news.
TEST_CASE("store: the trial keeps the search that compresses the first chunks smaller",
          "[store]") {
  std::vector<std::string> reuters = reuters_bodies(6);
  if (reuters.empty()) {
    WARN("the Reuters-21578 .sgm files were not found: skipped");
    return;
  }
  const std::vector<std::string> texts[] = {synthetic_articles(5000, 29), reuters};
  std::vector<bool> fast_won;
  TempDir dir;
  for (const std::vector<std::string>& docs : texts) {
    for (const char* name : {"level-trial.sto", "fast-trial.sto", "trial.sto", "winner.sto"})
      std::filesystem::remove(dir.file(name));
    std::string dictionary = train_store_dictionary(views_of(docs), 320 * 1024);
    REQUIRE(dictionary.size() == 320 * 1024);
    std::vector<std::string> trial_docs = first_chunks(docs, kStoreChunkBytes, kStoreTrialChunks);
    REQUIRE(trial_docs.size() < docs.size());
    uint64_t trial_bytes[2] = {};
    for (bool fast : {false, true}) {
      std::string path = dir.file(fast ? "fast-trial.sto" : "level-trial.sto");
      StoreSearch search = fast ? StoreSearch::kFast : StoreSearch::kLevel;
      REQUIRE(write_store(path, trial_docs, dictionary, kStoreChunkBytes, kStoreZstdLevel, 1,
                          search) == fast);
      auto reader = StoreReader::open(path, &kUuid, true);
      REQUIRE(reader.is_ok());
      REQUIRE(reader->chunk_count() == kStoreTrialChunks);
      check_store_holds(*reader, trial_docs);
      trial_bytes[fast] = reader->file_bytes();
    }
    CAPTURE(trial_bytes[0], trial_bytes[1]);
    REQUIRE(trial_bytes[0] != trial_bytes[1]);
    bool fast_wins = trial_bytes[1] <= trial_bytes[0];
    fast_won.push_back(fast_wins);
    REQUIRE(write_store(dir.file("trial.sto"), docs, dictionary, kStoreChunkBytes,
                        kStoreZstdLevel, 3) == fast_wins);
    write_store(dir.file("winner.sto"), docs, dictionary, kStoreChunkBytes, kStoreZstdLevel, 1,
                fast_wins ? StoreSearch::kFast : StoreSearch::kLevel);
    Result<std::string> trial = read_whole_file(dir.file("trial.sto"));
    Result<std::string> winner = read_whole_file(dir.file("winner.sto"));
    REQUIRE((trial.is_ok() && winner.is_ok()));
    REQUIRE(*trial == *winner);
    auto reader = StoreReader::open(dir.file("trial.sto"), &kUuid, true);
    REQUIRE(reader.is_ok());
    REQUIRE(reader->chunk_count() > 2 * kStoreTrialChunks);
    check_store_holds(*reader, docs);
  }
  REQUIRE(fast_won == std::vector<bool>{true, false});
}

// A store of fewer chunks than the trial takes decides at finish(), on the chunks it has;
// a small dictionary, or a level that searches less than lazy2, has no trial.
TEST_CASE("store: a short store ends its trial at finish, and other stores have none",
          "[store]") {
  std::vector<std::string> docs = synthetic_articles(5000, 29);
  std::string large = train_store_dictionary(views_of(docs), 320 * 1024);
  std::string small = train_store_dictionary(views_of(docs), 32 * 1024);
  std::vector<std::string> few = first_chunks(docs, kStoreChunkBytes, 3);
  TempDir dir;
  // This text takes the fast search (the test above), on 3 chunks as on 16.
  REQUIRE(write_store(dir.file("few.sto"), few, large, kStoreChunkBytes, kStoreZstdLevel));
  write_store(dir.file("few-fast.sto"), few, large, kStoreChunkBytes, kStoreZstdLevel, 1,
              StoreSearch::kFast);
  REQUIRE(read_whole_file(dir.file("few.sto")).value() ==
          read_whole_file(dir.file("few-fast.sto")).value());
  auto reader = StoreReader::open(dir.file("few.sto"), &kUuid, true);
  REQUIRE(reader.is_ok());
  REQUIRE(reader->chunk_count() == 3);
  check_store_holds(*reader, few);
  REQUIRE(!write_store(dir.file("small.sto"), docs, small, kStoreChunkBytes, kStoreZstdLevel));
  REQUIRE(!write_store(dir.file("level3.sto"), docs, large, kStoreChunkBytes, 3));
  REQUIRE(!write_store(dir.file("empty.sto"), {}, large, kStoreChunkBytes, kStoreZstdLevel));
}

// The dictionary is checked when the first chunk is read, not at open: a damaged one must
// still fail every read, and verify(), naming the dictionary, and never reach zstd.
TEST_CASE("store: a damaged dictionary fails every read, though open does not check it",
          "[store]") {
  std::vector<std::string> docs = synthetic_articles(1000, 23);
  std::string dictionary = train_store_dictionary(views_of(docs), 16 * 1024);
  REQUIRE(!dictionary.empty());
  TempDir dir;
  std::string path = dir.file("s.sto");
  write_store(path, docs, dictionary, 4096);
  Result<std::string> bytes = read_whole_file(path);
  REQUIRE(bytes.is_ok());
  std::string damaged = *bytes;
  damaged[kFileHeaderSize + dictionary.size() / 2] ^= 0x20;
  write_bytes(path, damaged);

  auto reader = StoreReader::open(path, &kUuid, false);
  REQUIRE(reader.is_ok());
  for (uint32_t doc : {0u, 500u, 999u}) {
    Result<std::string> got = reader->get(doc);
    REQUIRE(got.status().code() == StatusCode::kCorruption);
    REQUIRE_THAT(got.status().message(), Catch::Contains("dictionary"));
  }
  StoreReader::Cursor cursor(*reader);
  REQUIRE(cursor.get(0).status().code() == StatusCode::kCorruption);
  REQUIRE(reader->verify().code() == StatusCode::kCorruption);
  REQUIRE(StoreReader::open(path, &kUuid, true).status().code() == StatusCode::kCorruption);
}

TEST_CASE("store: writer misuse and a wrong segment UUID give errors", "[store]") {
  TempDir dir;
  REQUIRE(StoreWriter::create(dir.file("a.sto"), kUuid, "", 99).status().code() ==
          StatusCode::kInvalidArgument);
  REQUIRE(StoreWriter::create(dir.file("a.sto"), kUuid, "", 3, 0).status().code() ==
          StatusCode::kInvalidArgument);
  REQUIRE(StoreWriter::create(dir.file("a.sto"), kUuid, "", 3, kStoreChunkBytes, 0)
              .status()
              .code() == StatusCode::kInvalidArgument);
  auto writer = StoreWriter::create(dir.file("a.sto"), kUuid, "", 3);
  REQUIRE(writer.is_ok());
  REQUIRE(writer->add("x").is_ok());
  REQUIRE(writer->finish().is_ok());
  REQUIRE(writer->add("y").code() == StatusCode::kInvalidArgument);
  REQUIRE(writer->finish().code() == StatusCode::kInvalidArgument);
  REQUIRE(StoreWriter::create(dir.file("a.sto"), kUuid, "", 3).status().code() ==
          StatusCode::kIOError);  // exists already
  Uuid other = kUuid;
  other[15] ^= 1;
  REQUIRE(StoreReader::open(dir.file("a.sto"), &other, false).status().code() ==
          StatusCode::kCorruption);
  {
    auto abandoned = StoreWriter::create(dir.file("b.sto"), kUuid, "", 3);
    REQUIRE(abandoned.is_ok());
    REQUIRE(abandoned->add("never finished").is_ok());
  }
  REQUIRE(!std::filesystem::exists(dir.file("b.sto")));
}

// A writer compressing on several threads, dropped or replaced by a move after rounds of
// chunks went through its threads, removes its file (with no hang and no use of freed
// contexts or chunks: the sanitizer builds check that); the writer moved in goes on
// writing its own file.
TEST_CASE("store: a writer with compression threads, dropped or replaced, removes its file",
          "[store]") {
  std::vector<std::string> docs = synthetic_articles(400, 23);
  TempDir dir;
  auto fill = [&](const std::string& name) {
    auto writer = StoreWriter::create(dir.file(name), kUuid, "", 9, 512, 3);
    REQUIRE(writer.is_ok());
    // More than a ring of chunks (3 threads x kStoreChunksPerThread of 512 bytes).
    for (const std::string& doc : docs) REQUIRE(writer->add(doc).is_ok());
    return std::move(*writer);
  };
  { StoreWriter dropped = fill("dropped.sto"); }
  REQUIRE(!std::filesystem::exists(dir.file("dropped.sto")));

  StoreWriter kept = fill("replaced.sto");
  kept = fill("kept.sto");
  REQUIRE(!std::filesystem::exists(dir.file("replaced.sto")));
  REQUIRE(kept.add("one more").is_ok());
  REQUIRE(kept.finish().is_ok());
  auto reader = StoreReader::open(dir.file("kept.sto"), &kUuid, true);
  REQUIRE(reader.is_ok());
  std::vector<std::string> expected = docs;
  expected.push_back("one more");
  check_store_holds(*reader, expected);
}

TEST_CASE("store: several threads read the same store at once", "[store]") {
  std::vector<std::string> docs = synthetic_articles(2000, 3);
  std::string dictionary = train_store_dictionary(views_of(docs), 16 * 1024);
  TempDir dir;
  write_store(dir.file("s.sto"), docs, dictionary, 4096);
  auto reader = StoreReader::open(dir.file("s.sto"), &kUuid, false);
  REQUIRE(reader.is_ok());
  std::vector<int> mismatches(4, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      std::mt19937_64 rng(static_cast<uint64_t>(t));
      for (int i = 0; i < 3000; ++i) {
        uint32_t doc = static_cast<uint32_t>(rng() % docs.size());
        Result<std::string> got = reader->get(doc);
        if (!got.is_ok() || *got != docs[doc]) ++mismatches[static_cast<size_t>(t)];
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  REQUIRE(mismatches == std::vector<int>(4, 0));
}

TEST_CASE("store: Reuters bodies round-trip through a trained dictionary", "[store]") {
  std::vector<std::string> docs = reuters_bodies(1);
  if (docs.empty()) {
    WARN("reut2-000.sgm not found: skipped");
    return;
  }
  REQUIRE(docs.size() > 500);
  std::string dictionary = train_store_dictionary(views_of(docs), kStoreDictionaryBytes);
  REQUIRE(!dictionary.empty());
  TempDir dir;
  write_store(dir.file("r.sto"), docs, dictionary, kStoreChunkBytes, kStoreZstdLevel);
  auto reader = StoreReader::open(dir.file("r.sto"), &kUuid, true);
  REQUIRE(reader.is_ok());
  check_store_holds(*reader, docs);
}

namespace {

enum class Outcome { kOpenFailed, kReadFailed, kIntact };

// Opens a damaged copy without the whole-file checksum (the per-chunk checks must catch the
// damage on their own) and reads everything. The one thing that must never happen: a get()
// or for_each() that succeeds with bytes other than the original's. verify() must fail
// whenever some read fails.
Outcome check_damaged(const std::string& path, const std::vector<std::string>& docs) {
  auto reader = StoreReader::open(path, &kUuid, false);
  if (!reader.is_ok()) {
    REQUIRE(reader.status().code() != StatusCode::kOk);
    return Outcome::kOpenFailed;
  }
  bool failed = reader->doc_count() != docs.size();
  for (uint32_t i = 0; i < reader->doc_count() && i < docs.size(); ++i) {
    Result<std::string> got = reader->get(i);
    if (got.is_ok())
      REQUIRE(*got == docs[i]);
    else
      failed = true;
  }
  Status seq = reader->for_each([&](uint32_t doc, std::string_view bytes) {
    REQUIRE((doc < docs.size() && bytes == docs[doc]));
    return Status::ok();
  });
  failed = failed || !seq.is_ok();
  Status verified = reader->verify();
  if (failed) REQUIRE(verified.code() == StatusCode::kCorruption);
  return verified.is_ok() ? Outcome::kIntact : Outcome::kReadFailed;
}

}  // namespace

TEST_CASE("store: flipped, zeroed and truncated bytes give a Status error, never a crash",
          "[store][property]") {
  std::vector<std::string> docs = synthetic_articles(1000, 21);
  std::string dictionary = train_store_dictionary(views_of(docs), 8 * 1024);
  REQUIRE(!dictionary.empty());
  TempDir dir;
  std::string good_path = dir.file("good.sto");
  write_store(good_path, docs, dictionary, 2048);
  Result<std::string> good = read_whole_file(good_path);
  REQUIRE(good.is_ok());
  const std::string& original = *good;
  std::string path = dir.file("bad.sto");

  uint64_t seed = test_seed(4242);
  CAPTURE(seed);
  std::mt19937_64 rng(seed);
  int detected_at_open = 0, detected_on_read = 0, harmless = 0;
  for (int trial = 0; trial < 400; ++trial) {
    std::string bytes = original;
    int kind = trial % 4;
    size_t at = rng() % bytes.size();
    if (kind == 0) {
      bytes[at] = static_cast<char>(bytes[at] ^ (1 << (rng() % 8)));
    } else if (kind == 1) {
      size_t n = std::min<size_t>(1 + rng() % 64, bytes.size() - at);
      std::fill_n(bytes.begin() + static_cast<ptrdiff_t>(at), n, '\0');
    } else if (kind == 2) {
      bytes.resize(at);
    } else {
      bytes[at] = static_cast<char>(rng());
    }
    if (bytes == original) continue;
    CAPTURE(trial, kind, at);
    write_bytes(path, bytes);
    // With the whole-file checksum every change is caught at open.
    REQUIRE(!StoreReader::open(path, &kUuid, true).is_ok());
    switch (check_damaged(path, docs)) {
      case Outcome::kOpenFailed:
        ++detected_at_open;
        break;
      case Outcome::kReadFailed:
        ++detected_on_read;
        break;
      case Outcome::kIntact:
        ++harmless;
        break;
    }
  }
  // Damage goes unnoticed without the file checksum only where no byte of any document
  // depends on it (the footer's checksum, the informative zstd level, a UUID byte...).
  CAPTURE(detected_at_open, detected_on_read, harmless);
  REQUIRE(harmless < 20);
  REQUIRE(detected_on_read > 100);  // most bytes are chunk bytes, caught by chunk checksums

  // Every byte outside the chunks (header, dictionary, index, trailer, footer), inverted.
  auto reader = StoreReader::open(good_path, &kUuid, true);
  REQUIRE(reader.is_ok());
  size_t chunks_begin = kFileHeaderSize + reader->dictionary_bytes();
  size_t index_begin = original.size() - kFileFooterSize - kStoreTrailerBytes -
                       reader->chunk_count() * kStoreIndexEntryBytes;
  for (size_t i = 0; i < original.size(); ++i) {
    if (i >= chunks_begin && i < index_begin - 8) continue;
    CAPTURE(i);
    std::string bytes = original;
    bytes[i] = static_cast<char>(~bytes[i]);
    write_bytes(path, bytes);
    check_damaged(path, docs);
  }
}
