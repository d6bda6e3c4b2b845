// The whole Reuters corpus through the index writer and back: every term's postings,
// frequencies and positions equal an inverted index built independently here, every
// stored article reads back identical, and a build cut into many segments by a tiny RAM
// budget holds exactly what a one-segment build holds.
#include <catch2/catch.hpp>

#include <filesystem>
#include <iterator>
#include <map>
#include <unordered_map>

#include "common/analysis/article_terms.h"
#include "common/analysis/field_terms.h"
#include "common/analysis/stemmer.h"
#include "common/index/index_reader.h"
#include "common/store/article_codec.h"
#include "common/store/store_writer.h"
#include "indexer/index/index_writer.h"
#include "indexer/index/segment_writer.h"
#include "indexer/readers/input_walker.h"
#include "tests/support/paths.h"
#include "tests/support/temp_dir.h"

using namespace morgue;
using morgue::testing::TempDir;

namespace {

const std::vector<Article>& reuters() {
  static const std::vector<Article> articles = [] {
    std::vector<Article> out;
    ArticleSink sink;
    sink.accept = [&](Article&& a, const SourceLocation&) { out.push_back(std::move(a)); };
    ReadCounts counts;
    Status s = read_inputs({morgue::testing::shared_path("corpus/reuters21578")}, {}, sink, counts);
    if (!s.is_ok()) FAIL(s.to_string());
    return out;
  }();
  return articles;
}

void build(const std::string& dir, size_t ram_budget, const WriterCounters** counters = nullptr) {
  IndexWriterOptions options;
  options.create_if_missing = true;
  options.ram_budget_bytes = ram_budget;
  auto writer = IndexWriter::open(dir, options);
  REQUIRE(writer.is_ok());
  Analyzer analyzer;
  for (const Article& a : reuters()) {
    auto outcome = (*writer)->add(prepare_article(a, analyzer));
    REQUIRE(outcome.is_ok());
  }
  static WriterCounters last;
  REQUIRE((*writer)->merge_all().is_ok());
  last = (*writer)->counters();
  if (counters) *counters = &last;
}

// An independent inverted index: term -> (article index, wdf, positions), from the same
// analysis the writer uses but none of its buffering, sorting or encoding.
struct NaivePosting {
  uint32_t article;
  uint32_t wdf;
  std::vector<uint32_t> positions;
};
using NaiveIndex = std::map<std::string, std::vector<NaivePosting>>;

NaiveIndex naive_index(const std::vector<Article>& articles) {
  NaiveIndex index;
  Analyzer analyzer;
  ArticleTerms terms;
  for (uint32_t i = 0; i < articles.size(); ++i) {
    article_terms(articles[i], analyzer, terms);
    for (const TermOccurrences& t : terms.terms) {
      std::span<const uint32_t> positions = terms.positions_of(t);
      index[std::string(terms.term(t))].push_back({i, t.wdf, {positions.begin(), positions.end()}});
    }
  }
  return index;
}

// Descriptors this process holds open (the count includes the one listing them).
size_t open_descriptors() {
  return static_cast<size_t>(std::distance(std::filesystem::directory_iterator("/proc/self/fd"),
                                           std::filesystem::directory_iterator()));
}

}  // namespace

TEST_CASE("index round trip: the Reuters corpus reads back term by term and article by article",
          "[index][roundtrip]") {
  TempDir dir;
  build(dir.path().string(), size_t{512} << 20);
  size_t descriptors = open_descriptors();
  auto snapshot = IndexSnapshot::open(dir.path().string(), {true});
  REQUIRE(snapshot.is_ok());
  REQUIRE((*snapshot)->segments().size() == 1);
  const SegmentReader& seg = *(*snapshot)->segments()[0];
  // An open index holds its files through the maps alone; only a merge opens descriptors.
  CHECK(open_descriptors() == descriptors);
  const std::vector<Article>& articles = reuters();
  REQUIRE(seg.meta().doc_count == articles.size());

  // Documents are numbered by (date, id); map each to its article through the store, and
  // check every stored article is the one given.
  std::unordered_map<std::string, uint32_t> article_by_id;
  for (uint32_t i = 0; i < articles.size(); ++i) article_by_id[articles[i].id] = i;
  std::vector<uint32_t> article_of(articles.size());
  int64_t last_date = INT64_MIN;
  for (DocNum d = 0; d < seg.meta().doc_count; ++d) {
    auto stored = seg.store().get(d);
    REQUIRE(stored.is_ok());
    Article back;
    REQUIRE(decode_article(*stored, back).is_ok());
    auto it = article_by_id.find(back.id);
    REQUIRE(it != article_by_id.end());
    article_of[d] = it->second;
    CHECK(*stored == encode_article(articles[it->second]));
    CHECK(seg.values().published(d) == *articles[it->second].published);
    CHECK(seg.values().published(d) >= last_date);
    last_date = seg.values().published(d);
  }

  std::vector<DocNum> doc_of_article(articles.size());
  for (DocNum d = 0; d < article_of.size(); ++d) doc_of_article[article_of[d]] = d;
  NaiveIndex expected = naive_index(articles);
  REQUIRE(seg.terms().term_count() == expected.size());
  auto term_it = seg.terms().begin();
  size_t checked_postings = 0, checked_headline_postings = 0;
  // A small window, so that the reads cross windows and some terms are longer than one.
  auto files = seg.open_postings_files(4096);
  REQUIRE(files.is_ok());
  CHECK(open_descriptors() == descriptors + 2);
  SegmentReader::TermBytes term_bytes;
  for (const auto& [term, postings] : expected) {
    REQUIRE(term_it.valid());
    REQUIRE(term_it.term() == term);
    CAPTURE(term);
    const TermInfo& info = term_it.info();
    REQUIRE(info.df == postings.size());
    // The naive postings in document order.
    std::map<DocNum, const NaivePosting*> by_doc;
    for (const NaivePosting& p : postings) by_doc[doc_of_article[p.article]] = &p;
    // Through the map, and read out with pread as a merge reads them.
    PostingsIterator it, read_it;
    REQUIRE(seg.open_postings(info, it).is_ok());
    REQUIRE(seg.read_postings(info, *files, term_bytes).is_ok());
    REQUIRE(seg.open_postings(info, term_bytes, read_it).is_ok());
    // A headline word's positions are not stored: they are the first wdf of its text
    // word's in the same document (docs/FORMAT.md#terms).
    PostingsIterator text_word;
    if (is_headline_word(term)) {
      auto text_info = seg.terms().find(headline_text_term(term));
      REQUIRE(text_info.is_ok());
      REQUIRE(text_info->has_value());
      REQUIRE(seg.open_postings(**text_info, text_word).is_ok());
    }
    for (const auto& [doc, p] : by_doc) {
      for (PostingsIterator* i : {&it, &read_it}) {
        REQUIRE(i->doc() == doc);
        REQUIRE(i->tf() == p->wdf);
        auto pos = i->positions();
        if (has_positions(term)) {
          REQUIRE(std::vector<uint32_t>(pos.begin(), pos.end()) == p->positions);
        } else {
          REQUIRE(pos.empty());
        }
        i->next();
      }
      if (is_headline_word(term)) {
        text_word.seek(doc);
        REQUIRE(text_word.doc() == doc);
        auto pos = text_word.positions();
        REQUIRE(pos.size() >= p->wdf);
        REQUIRE(std::vector<uint32_t>(pos.begin(), pos.begin() + p->wdf) == p->positions);
        ++checked_headline_postings;
      }
      ++checked_postings;
    }
    for (PostingsIterator* i : {&it, &read_it}) {
      CHECK(i->doc() == kEndDoc);
      CHECK(i->status().is_ok());
    }
    term_it.next();
  }
  CHECK(checked_postings > 3000000);
  CHECK(checked_headline_postings > 100000);

  // Shared postings (docs/FORMAT.md#shared-postings): terms at one offset have the same
  // documents and wdfs; and a word shares its stem's list whenever the two are the same and
  // long enough to be remembered.
  auto same_postings = [&](const std::vector<NaivePosting>& a, const std::vector<NaivePosting>& b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i)
      if (a[i].article != b[i].article || a[i].wdf != b[i].wdf) return false;
    return true;
  };
  std::map<uint64_t, std::string> first_at_offset;
  size_t shared = 0, words_like_their_stem = 0;
  Stemmer stemmer;
  for (auto t = seg.terms().begin(); t.valid(); t.next()) {
    std::string term(t.term());
    auto [at, fresh] = first_at_offset.emplace(t.info().postings_offset, term);
    if (!fresh) {
      CAPTURE(term, at->second);
      CHECK(same_postings(expected.at(term), expected.at(at->second)));
      ++shared;
    }
    if (has_positions(term)) {
      std::string stem = make_term(prefix::kTextStem, stemmer.stem(term));
      auto stem_info = seg.terms().find(stem);
      REQUIRE(stem_info.is_ok());
      REQUIRE(stem_info->has_value());
      if (same_postings(expected.at(term), expected.at(stem)) &&
          t.info().postings_length >= kMinSharedPostingsBytes) {
        CAPTURE(term, stem);
        CHECK(t.info().postings_offset == (*stem_info)->postings_offset);
        ++words_like_their_stem;
      }
    }
  }
  CHECK(words_like_their_stem > 1000);
  CHECK(shared >= words_like_their_stem);

  // A term info pointing past the files is refused before anything is read.
  TermInfo past_end{};
  past_end.df = 1;
  past_end.postings_offset = seg.postings_bytes().size();
  past_end.postings_length = 1;
  Status s = seg.read_postings(past_end, *files, term_bytes);
  CHECK(s.code() == StatusCode::kCorruption);
  CHECK_THAT(s.message(), Catch::Contains("extend past the end"));
  past_end.postings_offset = 0;
  past_end.positions_offset = seg.positions_bytes().size() - 2;
  past_end.positions_length = 3;
  CHECK(seg.read_postings(past_end, *files, term_bytes).code() == StatusCode::kCorruption);
}

TEST_CASE("a build cut into many segments by a tiny RAM budget equals a one-segment build",
          "[index][roundtrip]") {
  TempDir big, tiny;
  build(big.path().string(), size_t{512} << 20);
  const WriterCounters* counters = nullptr;
  build(tiny.path().string(), size_t{3} << 20, &counters);  // flushes every 1 MB
  CHECK(counters->flushes > 20);
  CHECK(counters->merges > 2);
  auto a = IndexSnapshot::open(big.path().string());
  auto b = IndexSnapshot::open(tiny.path().string());
  REQUIRE(a.is_ok());
  REQUIRE(b.is_ok());
  REQUIRE((*a)->segments().size() == 1);
  REQUIRE((*b)->segments().size() == 1);
  const SegmentReader& x = *(*a)->segments()[0];
  const SegmentReader& y = *(*b)->segments()[0];
  REQUIRE(x.meta().doc_count == y.meta().doc_count);
  CHECK(x.meta().total_doclen == y.meta().total_doclen);
  for (DocNum d = 0; d < x.meta().doc_count; ++d) {
    REQUIRE(x.values().published(d) == y.values().published(d));
    REQUIRE(x.values().doclen(d) == y.values().doclen(d));
    REQUIRE(x.values().version(d) == y.values().version(d));
    REQUIRE(x.values().source(d) == y.values().source(d));
    REQUIRE(*x.store().get(d) == *y.store().get(d));
  }
  // The flush trains its store's dictionary on the articles it holds, the merge on
  // articles it samples back from its inputs: both at the size the store's bytes call for,
  // and the two compress alike.
  for (const SegmentReader* s : {&x, &y}) {
    CHECK(s->store().dictionary_bytes() == store_dictionary_bytes(s->store().raw_bytes()));
  }
  CHECK(y.store().file_bytes() < x.store().file_bytes() * 1.02);
  CHECK(x.store().file_bytes() < y.store().file_bytes() * 1.02);
  auto ix = x.terms().begin(), iy = y.terms().begin();
  for (; ix.valid() && iy.valid(); ix.next(), iy.next()) {
    REQUIRE(ix.term() == iy.term());
    CAPTURE(ix.term());
    REQUIRE(ix.info().df == iy.info().df);
    REQUIRE(ix.info().cf == iy.info().cf);
    PostingsIterator px, py;
    REQUIRE(x.open_postings(ix.info(), px).is_ok());
    REQUIRE(y.open_postings(iy.info(), py).is_ok());
    for (; px.doc() != kEndDoc; px.next(), py.next()) {
      REQUIRE(px.doc() == py.doc());
      REQUIRE(px.tf() == py.tf());
      auto pa = px.positions(), pb = py.positions();
      REQUIRE(std::equal(pa.begin(), pa.end(), pb.begin(), pb.end()));
    }
    REQUIRE(py.doc() == kEndDoc);
  }
  CHECK_FALSE(ix.valid());
  CHECK_FALSE(iy.valid());
}
